// Making a FixEdit from a span of a file clang has loaded: its absolute path
// and the span as byte offset and as line:column.
#pragma once

#include "findings/FindingFix.hpp"

#include <clang/Basic/SourceManager.h>
#include <clang/Tooling/Core/Replacement.h>

#include <optional>
#include <string>

namespace spawnguard {

// Replace length bytes at offset of the file with text.
FixEdit editAt(const clang::SourceManager &sources, clang::FileID file, unsigned offset, unsigned length,
               std::string text);

// Replace [begin, end) with text; none when either end is in a macro
// expansion or the two are in different files (no mechanical fix there).
std::optional<FixEdit> editBetween(const clang::SourceManager &sources, clang::SourceLocation begin,
                                   clang::SourceLocation end, std::string text);

// The clang tooling form of an edit, for --fix and --export-fixes.
clang::tooling::Replacement toReplacement(const FixEdit &edit);

} // namespace spawnguard
