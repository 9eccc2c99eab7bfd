// The key of a translation unit's cache entry, in the manner of ccache's
// direct mode: a BLAKE3 hash of everything that decides the unit's findings
// except the contents of the files it includes, which the entry records and
// a lookup checks (cache/UnitInputs.hpp). Fields are added by name, each
// length-prefixed, so no two different sets of fields hash alike.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/BLAKE3.h>

#include <string>

namespace spawnguard {

class CacheKey {
public:
  // tool: what identifies the lint itself (its version and its binary's hash).
  explicit CacheKey(llvm::StringRef tool);

  void add(llvm::StringRef field, llvm::StringRef value);
  void addList(llvm::StringRef field, llvm::ArrayRef<std::string> values);
  void addFlag(llvm::StringRef field, bool value) { add(field, llvm::StringRef(value ? "1" : "0")); }

  // Hexadecimal, usable as a file name.
  std::string hex() const;

private:
  void addBytes(llvm::StringRef bytes);

  llvm::BLAKE3 Hasher;
};

} // namespace spawnguard
