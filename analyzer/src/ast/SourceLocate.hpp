// Turning a clang SourceLocation into the plain file:line:column a Finding
// (and a cross-translation-unit summary) carries.
#pragma once

#include "findings/Finding.hpp"

#include <clang/Basic/SourceManager.h>

namespace spawnguard {

// The file position of location (macro expansions resolved to the file),
// with the file's real absolute path.
FindingLocation locate(const clang::SourceManager &sources, clang::SourceLocation location);

} // namespace spawnguard
