// Adding an #include to a file the way clang-format would place it (the
// file's .clang-format include categories, LLVM's when it has none), or
// nothing when the file includes the header already.
#pragma once

#include "findings/FindingFix.hpp"

#include <clang/Basic/SourceManager.h>

#include <optional>

namespace spawnguard {

// #include <header> into file; none when it is there already.
std::optional<FixEdit> includeInsertion(const clang::SourceManager &sources, clang::FileID file,
                                        llvm::StringRef header);

} // namespace spawnguard
