// The checks spawnguard-lint knows, in one table: name, description, the
// weaknesses (CWE) SARIF tags them with, how to create one for a translation
// unit and what it reports across units. --list-checks, SARIF's rules, the
// baselines' check names and the clang-tidy plugin all read this table.
#pragma once

#include "checks/Check.hpp"

#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace spawnguard {

// A weakness a check's findings are an instance of, as SARIF tags it.
struct WeaknessTag {
  const char *Id;    // "CWE-770"
  const char *Title; // "Allocation of Resources Without Limits or Throttling"
};

using CrossUnitReporter = void (*)(const CrossUnitContext &, std::vector<Finding> &);

// How GitHub code scanning rates a check's findings (SARIF rule properties).
struct CodeScanningRating {
  const char *SecuritySeverity; // CVSS-like "7.5": code scanning's critical/high/medium/low
  const char *Precision;        // "very-high", "high", "medium", "low": from the measured precision
  const char *ProblemSeverity;  // "error", "warning", "recommendation"
};

struct CheckInfo {
  const char *Name;
  const char *Description;
  std::vector<WeaknessTag> Weaknesses;
  CodeScanningRating Rating;
  std::unique_ptr<Check> (*Create)(CheckContext &);
  CrossUnitReporter ReportAcrossUnits = nullptr; // none: the check decides everything inside one unit
  std::vector<CheckListKey> ListKeys{};           // the configuration keys of its own
};

// One row of the table: CheckClass::Name, its factory, its rating, and its
// reportAcrossUnits and ListKeys (configuration keys of its own) when it has
// them.
template <typename CheckClass>
CheckInfo registerCheck(const char *description, std::vector<WeaknessTag> weaknesses, CodeScanningRating rating) {
  CheckInfo info{CheckClass::Name, description, std::move(weaknesses), rating,
                 [](CheckContext &context) -> std::unique_ptr<Check> { return std::make_unique<CheckClass>(context); }};
  if constexpr (requires { &CheckClass::reportAcrossUnits; }) {
    info.ReportAcrossUnits = &CheckClass::reportAcrossUnits;
  }
  if constexpr (requires { CheckClass::ListKeys; }) {
    info.ListKeys.assign(std::begin(CheckClass::ListKeys), std::end(CheckClass::ListKeys));
  }
  return info;
}

const std::vector<CheckInfo> &allChecks();

// Every check's own configuration keys, for the configuration reader.
std::vector<CheckListKey> checkListKeys();

// The row of a check, or nullptr.
const CheckInfo *findCheck(llvm::StringRef name);

// Applies "-*", "spawnguard-*", "-spawnguard-detached-thread"... in order,
// starting from every check enabled. An invalid glob is an error; so is one
// that names no check, unless unmatched is given: then its index is listed
// there (for the caller to warn about) and it changes nothing.
llvm::Expected<std::vector<std::string>> enabledChecks(const std::vector<std::string> &globs,
                                                       std::vector<size_t> *unmatched = nullptr);

// The globs of a flag such as --checks: "-*, spawnguard-x" is {"-*", "spawnguard-x"}.
std::vector<std::string> splitCheckGlobs(llvm::StringRef commaSeparated);

std::vector<std::unique_ptr<Check>> createChecks(const std::vector<std::string> &names, CheckContext &context);

// Runs the named checks over a TU whose traversal scope is the user's code:
// their matchers, then what each says at the end of the TU. Returns the
// findings before suppression. Both drivers run checks through this:
// spawnguard-lint and the clang-tidy plugin (analyzer/tidy/).
std::vector<PendingFinding> runChecks(const std::vector<std::string> &names, clang::ASTContext &context,
                                      const ConfigFile &config, const RecogniserNames &recognised,
                                      const TranslationUnitFacts &facts, TranslationUnitAnalyses &analyses,
                                      bool strict);

// The cross-unit half of every check, over the summaries of a whole program:
// the findings only the joined view shows (each unit's summary says which
// checks it enables), with resolved locations and before NOLINT; some may
// repeat what a unit reported itself. Deterministic: the same summaries in
// any order give the same findings.
std::vector<Finding> runChecksAcrossUnits(const std::vector<const TranslationUnitSummary *> &summaries);

} // namespace spawnguard
