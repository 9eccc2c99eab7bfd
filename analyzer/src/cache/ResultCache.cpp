// Lookups, stores and the folder's start-up check.
#include "cache/ResultCache.hpp"

#include <llvm/Config/llvm-config.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace spawnguard {
namespace {

// One write per line: units warn from parallel jobs.
void warn(const llvm::Twine &message) { llvm::errs() << ("spawnguard-lint: warning: " + message + "\n").str(); }

// The lint's identity: a rebuilt binary of the same version (a developer's,
// or a fix released under the same number) is another tool.
std::string toolIdentity(FileContentHashes &files) {
  std::string executable = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  return std::string("spawnguard-lint " SPAWNGUARD_VERSION " LLVM " LLVM_VERSION_STRING " cache format ") +
         std::to_string(CacheFormatVersion) + " binary " + files.of(executable);
}

} // namespace

llvm::Expected<std::unique_ptr<ResultCache>> ResultCache::open(const std::string &folder) {
  auto refused = [&](const std::string &problem) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "--cache-dir '%s' %s", folder.c_str(),
                                   problem.c_str());
  };
  if (std::error_code error = llvm::sys::fs::create_directories(folder)) {
    return refused("cannot be created: " + error.message());
  }
  // Absolute: parallel units move the process's working directory (ClangTool).
  llvm::SmallString<256> absolute(folder);
  llvm::sys::fs::make_absolute(absolute);
  // Writable only if a file can be made in it: permissions alone say nothing
  // of read-only mounts.
  llvm::SmallString<256> probe(absolute);
  llvm::sys::path::append(probe, ".probe-%%%%%%%%");
  llvm::Expected<llvm::sys::fs::TempFile> probeFile = llvm::sys::fs::TempFile::create(probe);
  if (!probeFile) {
    return refused("is not writable: " + llvm::toString(probeFile.takeError()));
  }
  llvm::consumeError(probeFile->discard());
  FileContentHashes files;
  std::string tool = toolIdentity(files);
  return std::unique_ptr<ResultCache>(new ResultCache(std::string(absolute), std::move(tool)));
}

std::string ResultCache::pathOf(const std::string &key) const {
  llvm::SmallString<256> path(Folder);
  llvm::sys::path::append(path, key + ".entry.jsonl");
  return std::string(path);
}

std::optional<CacheEntry> ResultCache::lookup(const std::string &key) {
  std::string path = pathOf(key);
  if (!llvm::sys::fs::exists(path)) {
    ++Misses;
    return std::nullopt;
  }
  llvm::Expected<CacheEntry> entry = readCacheEntry(path);
  if (!entry) {
    warn(llvm::toString(entry.takeError()) + "; linting its unit again");
    ++Misses;
    return std::nullopt;
  }
  for (const UnitInput &input : entry->Inputs) {
    if (Files.of(input.File) != input.Hash) {
      ++Misses;
      return std::nullopt;
    }
  }
  ++Hits;
  return std::move(*entry);
}

void ResultCache::store(const std::string &key, const CacheEntry &entry) {
  if (llvm::Error written = writeCacheEntry(pathOf(key), entry)) {
    warn(llvm::toString(std::move(written)) + "; the next run lints this unit again");
  }
}

void ResultCache::printStatistics(llvm::raw_ostream &out) const {
  out << "spawnguard-lint: cache '" << Folder << "': " << Hits << " hit(s), " << Misses << " miss(es)\n";
}

} // namespace spawnguard
