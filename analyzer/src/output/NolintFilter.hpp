// The clang-tidy suppression comments users know: NOLINT, NOLINT(check,...),
// NOLINTNEXTLINE(...), and NOLINTBEGIN(...) / NOLINTEND(...) regions.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <string>
#include <vector>

namespace spawnguard {

// Whether the finding of check on line (1-based) of a file's text is suppressed.
bool isSuppressedByNolint(llvm::StringRef fileText, unsigned line, llvm::StringRef check);

// A check name or glob in a NOLINT comment's list.
struct NolintName {
  unsigned Line; // 1-based
  std::string Name;
};

// The names in NOLINT lists of fileText that start with prefix (other tools'
// checks are not ours to judge) and match none of checks: comments that
// silence nothing, usually a typo.
std::vector<NolintName> nolintNamesMatchingNoCheck(llvm::StringRef fileText, llvm::StringRef prefix,
                                                   llvm::ArrayRef<std::string> checks);

} // namespace spawnguard
