// clang-tidy's flags over what a run reports: --warnings-as-errors,
// --header-filter, and the closing summary lines that --quiet leaves out.
#pragma once

#include "findings/Finding.hpp"

#include <llvm/Support/Error.h>

#include <set>
#include <string>
#include <vector>

namespace spawnguard {

// The checks --warnings-as-errors names (its globs applied to none, as
// --checks' are to all); an error for a glob that names no check.
llvm::Expected<std::set<std::string>> warningsAsErrorsChecks();

// How many findings are of those checks (the text output shows them as errors).
size_t countWarningsAsErrors(const std::vector<Finding> &findings, const std::set<std::string> &checks);

// --header-filter: a finding outside the linted files is in a header, and is
// kept when the header's absolute or root-relative path matches. Returns how
// many were removed.
size_t removeUnmatchedHeaderFindings(std::vector<Finding> &findings, const std::vector<std::string> &mainFiles,
                                     const std::string &root);

// A warning on stderr for each name in a linted file's NOLINT lists that
// starts with "spawnguard-" and matches no check: such a comment silences
// nothing (printed also with --quiet).
void warnAboutNolintNamingNoCheck(const std::vector<std::string> &files, const std::string &root);

// "N warnings generated." and its companions on stderr, unless --quiet.
void printClosingSummary(size_t shown, size_t errors, size_t hiddenInHeaders);

} // namespace spawnguard
