// Warnings about settings that silently change nothing: a --checks or
// 'checks' glob that matches no check, a configured name that no linted unit
// declares. The run goes on; the warning names the setting and the fix.
#pragma once

#include "config/Config.hpp"

#include <string>
#include <vector>

namespace spawnguard {

// "spawnguard-lint: warning: WHERE: 'GLOB' matches no check, ..."
void warnCheckGlobMatchesNothing(const std::string &where, const std::string &glob);

// One linted unit: the configuration it was linted with and the names of that
// configuration it declares (TranslationUnitResult::DeclaredNames).
struct UnitDeclaredNames {
  const ConfigFile *Config;
  const std::vector<std::string> *Declared;
};

// Warns once for each configured name that none of the units linted with its
// file declares. Call only with every unit of the run parsed (a failed unit's
// declarations are unknown).
void warnAboutConfiguredNamesDeclaredNowhere(const std::vector<UnitDeclaredNames> &units);

} // namespace spawnguard
