// --cache-dir: the folder of cache entries, one per translation unit key
// (cache/CacheKey.hpp), shared by a run's parallel units and by runs. An
// entry is used only when every file it records is unchanged; one that
// cannot be read is a miss, never a wrong result.
#pragma once

#include "cache/CacheEntry.hpp"
#include "cache/CacheKey.hpp"
#include "cache/ContentHash.hpp"

#include <llvm/Support/Error.h>
#include <llvm/Support/raw_ostream.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace spawnguard {

class ResultCache {
public:
  // Creates the folder if need be and proves it writable; the error names it.
  static llvm::Expected<std::unique_ptr<ResultCache>> open(const std::string &folder);

  // A key already holding the lint's identity (version, LLVM, its binary).
  CacheKey newKey() const { return CacheKey(Tool); }

  // The hash of a file's bytes now ("" when unreadable), read once per run.
  std::string hashOf(llvm::StringRef file) { return Files.of(file); }

  // The entry under key when every input it records is unchanged on disk;
  // counted as a hit or a miss. A corrupt entry is a miss with a warning.
  std::optional<CacheEntry> lookup(const std::string &key);

  // A failed write is a warning (the next run misses), not a failed run.
  void store(const std::string &key, const CacheEntry &entry);

  // "spawnguard-lint: cache 'DIR': N hit(s), M miss(es)".
  void printStatistics(llvm::raw_ostream &out) const;

private:
  ResultCache(std::string folder, std::string tool) : Folder(std::move(folder)), Tool(std::move(tool)) {}
  std::string pathOf(const std::string &key) const;

  std::string Folder;
  std::string Tool;
  FileContentHashes Files;
  std::atomic<size_t> Hits = 0;
  std::atomic<size_t> Misses = 0;
};

} // namespace spawnguard
