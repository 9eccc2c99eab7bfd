// The unbounded-spawn fix: a Boost.Asio co_spawn / post / dispatch / defer
// rewritten into spawnguard's wrapper at a site named after the enclosing
// function, with the runtime's header included. Behaviour is unchanged
// (counted, not limited) until a limit is set for the site.
#pragma once

#include "findings/FindingFix.hpp"
#include "recognisers/SpawnRecogniser.hpp"

#include <clang/AST/ASTContext.h>

#include <optional>
#include <string>

namespace spawnguard {

// The runtime's public header the rewritten call needs.
inline constexpr const char *RuntimeHeader = "spawnguard/spawnguard.hpp";

// A site name from the enclosing function as describeFunction spells it:
// "server::do_accept", "lambda in server::run" -> "server::run/lambda";
// characters SPAWNGUARD_LIMITS gives a meaning to (';', '=', ',', spaces) become '_'.
std::string siteNameFor(const std::string &function);

// The rewrite of spawn at site, or none when the call is not one the
// wrapper takes as written (standalone Asio, a defaulted token, a macro).
std::optional<FindingFix> instrumentSpawn(clang::ASTContext &context, const SpawnCall &spawn,
                                          const std::string &site);

} // namespace spawnguard
