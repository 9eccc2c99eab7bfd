// One translation unit's cache entry: the files its parse read, with their
// hashes, and what linting it gave (its kept findings, fix-its included, and
// its summary, the configured names it declares). A file of JSON lines,
// written atomically.
#pragma once

#include "cache/UnitInputs.hpp"
#include "findings/Finding.hpp"
#include "summary/TranslationUnitSummary.hpp"

#include <llvm/Support/Error.h>
#include <llvm/Support/JSON.h>

#include <optional>
#include <string>
#include <vector>

namespace spawnguard {

// Bumped whenever the entry's shape or what it means changes.
inline constexpr int CacheFormatVersion = 1;

struct CacheEntry {
  std::string File; // the main file, absolute
  std::vector<UnitInput> Inputs;
  std::vector<Finding> Findings; // kept: after skip paths and NOLINT, with their fix-its
  std::optional<TranslationUnitSummary> Summary;
  // The configuration's names the unit declares (a name no unit declares is warned about).
  std::vector<std::string> DeclaredNames;
};

// An input as [file, hash].
llvm::json::Value toJSON(const UnitInput &input);
bool fromJSON(const llvm::json::Value &value, UnitInput &input, llvm::json::Path path);

llvm::Error writeCacheEntry(const std::string &path, const CacheEntry &entry);

// An error, naming the file, for an entry that cannot be read or is not one
// of this version: the caller lints the unit again.
llvm::Expected<CacheEntry> readCacheEntry(const std::string &path);

} // namespace spawnguard
