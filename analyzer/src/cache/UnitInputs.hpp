// What a parse read: every file clang's preprocessor entered (the main file,
// its headers, system and resource-dir headers, -include'd files), each with
// the hash of the bytes the parse saw. A cache entry is reused only while
// every one of them is unchanged.
#pragma once

#include <clang/Basic/SourceManager.h>

#include <string>
#include <vector>

namespace spawnguard {

struct UnitInput {
  std::string File; // absolute
  std::string Hash; // contentHash of its bytes

  bool operator<(const UnitInput &other) const {
    return std::tie(File, Hash) < std::tie(other.File, other.Hash);
  }
  bool operator==(const UnitInput &other) const { return File == other.File && Hash == other.Hash; }
};

// The files of a finished parse, hashed from the buffers it read (not from
// disk, which may have changed since), sorted by path.
std::vector<UnitInput> unitInputs(const clang::SourceManager &sources);

} // namespace spawnguard
