// The clang-tidy suppression comments users know: NOLINT, NOLINT(check,...),
// NOLINTNEXTLINE(...), and NOLINTBEGIN(...) / NOLINTEND(...) regions.
#pragma once

#include <llvm/ADT/StringRef.h>

namespace spawnguard {

// Whether the finding of check on line (1-based) of a file's text is suppressed.
bool isSuppressedByNolint(llvm::StringRef fileText, unsigned line, llvm::StringRef check);

} // namespace spawnguard
