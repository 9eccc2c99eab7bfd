// The checks spawnguard-lint knows, their one-line descriptions, and which
// are enabled by a list of clang-tidy style globs.
#pragma once

#include "checks/Check.hpp"

#include <memory>
#include <string>
#include <vector>

namespace spawnguard {

struct CheckInfo {
  const char *Name;
  const char *Description;
};

const std::vector<CheckInfo> &allChecks();

// Applies "-*", "spawnguard-*", "-spawnguard-detached-thread"... in order,
// starting from every check enabled. Returns an error for a glob that names nothing.
llvm::Expected<std::vector<std::string>> enabledChecks(const std::vector<std::string> &globs);

// The globs of a flag such as --checks: "-*, spawnguard-x" is {"-*", "spawnguard-x"}.
std::vector<std::string> splitCheckGlobs(llvm::StringRef commaSeparated);

std::vector<std::unique_ptr<Check>> createChecks(const std::vector<std::string> &names, CheckContext &context);

// Runs the named checks over a TU whose traversal scope is the user's code:
// their matchers, then what each says at the end of the TU. Returns the
// findings before suppression. Both drivers run checks through this:
// spawnguard-lint and the clang-tidy plugin (analyzer/tidy/).
std::vector<PendingFinding> runChecks(const std::vector<std::string> &names, clang::ASTContext &context,
                                      const RecogniserNames &recognised, const TranslationUnitFacts &facts,
                                      TranslationUnitAnalyses &analyses, bool strict);

} // namespace spawnguard
