// BLAKE3 over bytes, and the memo of files on disk.
#include "cache/ContentHash.hpp"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/BLAKE3.h>
#include <llvm/Support/MemoryBuffer.h>

namespace spawnguard {

std::string contentHash(llvm::StringRef bytes) {
  llvm::BLAKE3 hasher;
  hasher.update(bytes);
  return llvm::toHex(hasher.final(), /*LowerCase=*/true);
}

std::string FileContentHashes::of(llvm::StringRef path) {
  {
    std::lock_guard<std::mutex> lock(Mutex);
    auto known = Known.find(path);
    if (known != Known.end()) {
      return known->second;
    }
  }
  // Read and hashed outside the lock: two units asking for the same new
  // file at once both hash it, and agree.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  std::string hash = buffer ? contentHash((*buffer)->getBuffer()) : "";
  std::lock_guard<std::mutex> lock(Mutex);
  return Known.try_emplace(path, std::move(hash)).first->second;
}

} // namespace spawnguard
