// Content hashes of the files a translation unit read: BLAKE3 of the bytes,
// and a run's memo of the files on disk, each read once however many units
// include it (a Boost.Asio program's thousand headers are in every unit).
#pragma once

#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringRef.h>

#include <mutex>
#include <string>

namespace spawnguard {

// BLAKE3 of the bytes, as hexadecimal.
std::string contentHash(llvm::StringRef bytes);

// Thread-safe: the units of a run look their inputs up in parallel.
class FileContentHashes {
public:
  // The hash of the file's bytes now, or "" when it cannot be read.
  std::string of(llvm::StringRef path);

private:
  std::mutex Mutex;
  llvm::StringMap<std::string> Known;
};

} // namespace spawnguard
