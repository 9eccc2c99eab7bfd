// The three output formats: clang-style text, SARIF 2.1.0, JSON lines.
#pragma once

#include "output/Finding.hpp"

#include <llvm/Support/raw_ostream.h>

#include <string>
#include <vector>

namespace spawnguard {

void writeText(llvm::raw_ostream &out, const std::vector<Finding> &findings, bool colour);
// root: findings' paths are written relative to it (uriBaseId %SRCROOT%).
// failedUnits: one message per unit that could not be linted; any makes the
// run's invocation executionSuccessful: false.
void writeSarif(llvm::raw_ostream &out, const std::vector<Finding> &findings, const std::string &root,
                const std::vector<std::string> &failedUnits = {});
void writeJsonLines(llvm::raw_ostream &out, const std::vector<Finding> &findings, const std::string &root);

// Fingerprints for findings in order (the key plus its rank among equal keys).
std::vector<std::string> fingerprints(const std::vector<Finding> &findings, const std::string &root);

} // namespace spawnguard
