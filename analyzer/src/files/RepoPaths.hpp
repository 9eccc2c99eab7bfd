// Paths as CI users read them: relative to the repository root.
#pragma once

#include <string>

namespace spawnguard {

// The git work tree around directory (a folder holding .git), or directory itself.
std::string findRepoRoot(const std::string &directory);

// path relative to root when it lies inside it, else path unchanged.
std::string relativeToRoot(const std::string &root, const std::string &path);

} // namespace spawnguard
