// Length-prefixed fields into one BLAKE3 hash.
#include "cache/CacheKey.hpp"

#include <llvm/ADT/StringExtras.h>

namespace spawnguard {

CacheKey::CacheKey(llvm::StringRef tool) { add("tool", tool); }

void CacheKey::addBytes(llvm::StringRef bytes) {
  Hasher.update(std::to_string(bytes.size()) + ":");
  Hasher.update(bytes);
}

void CacheKey::add(llvm::StringRef field, llvm::StringRef value) {
  addBytes(field);
  addBytes(value);
}

void CacheKey::addList(llvm::StringRef field, llvm::ArrayRef<std::string> values) {
  addBytes(field);
  addBytes(std::to_string(values.size()));
  for (const std::string &value : values) {
    addBytes(value);
  }
}

std::string CacheKey::hex() const {
  llvm::BLAKE3 copy = Hasher;
  return llvm::toHex(copy.final(), /*LowerCase=*/true);
}

} // namespace spawnguard
