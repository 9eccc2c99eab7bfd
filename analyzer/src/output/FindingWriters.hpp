// The three output formats: clang-style text, SARIF 2.1.0, JSON lines.
#pragma once

#include "findings/Finding.hpp"

#include <llvm/Support/raw_ostream.h>

#include <set>
#include <string>
#include <vector>

namespace spawnguard {

enum class OutputFormat { Text, Sarif, JsonLines };

// How a run's findings are written.
struct OutputSettings {
  OutputFormat Format = OutputFormat::Text;
  std::string Root; // findings' paths are written relative to it
  bool Colour = false;
  std::set<std::string> ErrorChecks; // --warnings-as-errors: shown as errors in text, level error in SARIF
  std::string SarifCategory;         // --sarif-category: SARIF's automationDetails.id
};

// The findings in the chosen format. failedUnits: one message per unit that
// could not be linted; any makes SARIF's invocation executionSuccessful: false.
void writeFindings(llvm::raw_ostream &out, const std::vector<Finding> &findings, const OutputSettings &settings,
                   const std::vector<std::string> &failedUnits);

// Renders each finding (it is kept: this is the only place findings are rendered).
void writeText(llvm::raw_ostream &out, const std::vector<Finding> &findings, bool colour,
               const std::set<std::string> &errorChecks);
// Findings' paths are written relative to settings.Root (uriBaseId %SRCROOT%).
void writeSarif(llvm::raw_ostream &out, const std::vector<Finding> &findings, const OutputSettings &settings,
                const std::vector<std::string> &failedUnits = {});
void writeJsonLines(llvm::raw_ostream &out, const std::vector<Finding> &findings, const std::string &root);

// Fingerprints for findings in order (the key plus its rank among equal keys).
std::vector<std::string> fingerprints(const std::vector<Finding> &findings, const std::string &root);

} // namespace spawnguard
