// The warnings about settings that change nothing.
#include "driver/NoOpWarnings.hpp"

#include "recognisers/ConfiguredNames.hpp"

#include <llvm/Support/raw_ostream.h>

#include <map>
#include <set>

namespace spawnguard {

void warnCheckGlobMatchesNothing(const std::string &where, const std::string &glob) {
  llvm::errs() << "spawnguard-lint: warning: " << where << ": '" << glob
               << "' matches no check, so it changes nothing (the checks: spawnguard-lint --list-checks)\n";
}

void warnAboutConfiguredNamesDeclaredNowhere(const std::vector<UnitDeclaredNames> &units) {
  struct Seen {
    std::set<std::string> Declared;
    size_t Units = 0;
  };
  std::map<const ConfigFile *, Seen> byConfig;
  std::vector<const ConfigFile *> order;
  for (const UnitDeclaredNames &unit : units) {
    auto [entry, added] = byConfig.try_emplace(unit.Config);
    if (added) {
      order.push_back(unit.Config);
    }
    entry->second.Declared.insert(unit.Declared->begin(), unit.Declared->end());
    ++entry->second.Units;
  }
  for (const ConfigFile *config : order) {
    const Seen &seen = byConfig[config];
    std::set<std::pair<std::string, std::string>> warned;
    for (const ConfiguredName &name : configuredNames(*config)) {
      if (seen.Declared.count(name.Name) || !warned.insert({name.Key, name.Name}).second) {
        continue;
      }
      llvm::errs() << "spawnguard-lint: warning: " << config->Path << ": key '" << name.Key << "': '" << name.Name
                   << "' matches no declaration in the " << seen.Units
                   << " translation unit(s) linted with this file, so it changes nothing (names match as declared, "
                      "fully qualified: '::jobs::queue::submit'; a member of a class template through the "
                      "template, not through a typedef or alias)\n";
    }
  }
}

} // namespace spawnguard
