// The names a configuration file adds to the recognisers, and which of them a
// translation unit declares. A configured name that no unit of a run declares
// (a typo, a missing namespace) changes nothing, so the driver warns about it.
#pragma once

#include "config/Config.hpp"

#include <clang/AST/ASTContext.h>

#include <string>
#include <vector>

namespace spawnguard {

struct ConfiguredName {
  std::string Key;  // "spawn-functions", or a check's own key
  std::string Name; // as written: "::jobs::submit"
};

// Every name the file's lists give, in the file's order of keys.
std::vector<ConfiguredName> configuredNames(const ConfigFile &config);

// The names among `names` that the unit declares: a namespace member, a class
// member (a class template's too) or the class itself, looked up component by
// component from the global namespace, inline namespaces included. A name this
// lookup cannot judge (an operator, template arguments) counts as declared.
std::vector<std::string> declaredNames(clang::ASTContext &context, const std::vector<ConfiguredName> &names);

} // namespace spawnguard
