// Summaries as files, so a large codebase can be linted in shards (one CI job
// per slice of the compilation database) and merged: JSON written and read
// with llvm::json, versioned, and stamped with a hash of every source file
// they point into so a merge never renders lines that have since changed. A
// shard's file also carries the unit's kept findings, unrendered, for the
// merge to report: the one way a finding crosses from one process to another.
#pragma once

#include "summary/TranslationUnitSummary.hpp"

#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace spawnguard {

// A unit's summary file: what the merge joins, and the unit's own findings.
struct SummarisedUnit : TranslationUnitSummary {
  std::vector<Finding> Findings; // kept: after skip paths and NOLINT
};

// A stable file name for a translation unit's summary: its base name plus a
// hash of its absolute path ("session.cpp-1f2e....summary.json").
std::string summaryFileName(const std::string &translationUnit);

llvm::Error writeSummaryFile(const std::string &path, const SummarisedUnit &unit);

// Reads a summary written by writeSummaryFile. The error names the file and
// says how to fix it: not a summary, another format version, or a source file
// it points into that changed or disappeared since it was written.
llvm::Expected<SummarisedUnit> readSummaryFile(const std::string &path);

// Every summary file in the folders, read in file-name order.
llvm::Expected<std::vector<SummarisedUnit>> readSummaryFolders(const std::vector<std::string> &folders);

} // namespace spawnguard
