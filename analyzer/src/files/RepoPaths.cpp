// Locating the repository root and making paths relative to it.
#include "files/RepoPaths.hpp"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace spawnguard {

std::optional<std::string> findGitWorkTree(const std::string &directory) {
  llvm::SmallString<256> start(directory);
  llvm::sys::fs::make_absolute(start);
  llvm::SmallString<256> real;
  if (!llvm::sys::fs::real_path(start, real)) {
    start = real;
  }
  for (llvm::StringRef dir = start; !dir.empty(); dir = llvm::sys::path::parent_path(dir)) {
    llvm::SmallString<256> marker(dir);
    llvm::sys::path::append(marker, ".git");
    if (llvm::sys::fs::exists(marker)) {
      return dir.str();
    }
  }
  return std::nullopt;
}

std::string findRepoRoot(const std::string &directory) {
  if (std::optional<std::string> tree = findGitWorkTree(directory)) {
    return *tree;
  }
  llvm::SmallString<256> start(directory);
  llvm::sys::fs::make_absolute(start);
  llvm::SmallString<256> real;
  if (!llvm::sys::fs::real_path(start, real)) {
    return std::string(real);
  }
  return std::string(start);
}

std::string commonAncestor(const std::vector<std::string> &files) {
  if (files.empty()) {
    return {};
  }
  llvm::StringRef common = llvm::sys::path::parent_path(files.front());
  for (const std::string &file : files) {
    llvm::StringRef folder = llvm::sys::path::parent_path(file);
    while (!common.empty() && !(folder == common || (folder.starts_with(common) &&
                                                     (common.ends_with("/") ||
                                                      folder[common.size()] == '/')))) {
      common = llvm::sys::path::parent_path(common);
    }
  }
  return common.empty() ? std::string("/") : common.str();
}

std::string relativeToRoot(const std::string &root, const std::string &path) {
  llvm::StringRef rest(path);
  if (!root.empty() && rest.consume_front(root) && rest.consume_front("/")) {
    return rest.str();
  }
  return path;
}

} // namespace spawnguard
