// Paths as CI users read them: relative to the repository root.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace spawnguard {

// The git work tree around directory (a folder holding .git), or directory itself.
std::string findRepoRoot(const std::string &directory);

// The git work tree around directory, if there is one.
std::optional<std::string> findGitWorkTree(const std::string &directory);

// The deepest folder holding every one of files (absolute paths); "/" when
// they share nothing, empty when there are none.
std::string commonAncestor(const std::vector<std::string> &files);

// path relative to root when it lies inside it, else path unchanged.
std::string relativeToRoot(const std::string &root, const std::string &path);

} // namespace spawnguard
