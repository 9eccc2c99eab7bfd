// Parsing NOLINT comments, with check lists and globs as clang-tidy reads them.
#include "output/NolintFilter.hpp"

#include <llvm/ADT/SmallVector.h>
#include <llvm/Support/GlobPattern.h>

#include <vector>

namespace spawnguard {
namespace {

// Whether a NOLINT marker at the start of text (just after the keyword)
// covers check: bare (all checks) or a parenthesised list of globs.
bool markerCovers(llvm::StringRef afterKeyword, llvm::StringRef check) {
  if (!afterKeyword.starts_with("(")) {
    return true;
  }
  size_t close = afterKeyword.find(')');
  if (close == llvm::StringRef::npos) {
    return false;
  }
  llvm::SmallVector<llvm::StringRef, 4> globs;
  afterKeyword.slice(1, close).split(globs, ',', -1, false);
  for (llvm::StringRef glob : globs) {
    llvm::Expected<llvm::GlobPattern> pattern = llvm::GlobPattern::create(glob.trim());
    if (pattern && pattern->match(check)) {
      return true;
    } else if (!pattern) {
      llvm::consumeError(pattern.takeError());
    }
  }
  return false;
}

// Finds keyword in line as its own marker (NOLINT must not match NOLINTNEXTLINE).
bool lineHasMarker(llvm::StringRef line, llvm::StringRef keyword, llvm::StringRef check) {
  for (size_t at = line.find(keyword); at != llvm::StringRef::npos; at = line.find(keyword, at + 1)) {
    llvm::StringRef after = line.drop_front(at + keyword.size());
    if (!after.empty() && (std::isalnum(static_cast<unsigned char>(after.front())) != 0 || after.front() == '_')) {
      continue;
    }
    if (markerCovers(after, check)) {
      return true;
    }
  }
  return false;
}

bool matchesAny(llvm::StringRef glob, llvm::ArrayRef<std::string> checks) {
  llvm::Expected<llvm::GlobPattern> pattern = llvm::GlobPattern::create(glob);
  if (!pattern) {
    llvm::consumeError(pattern.takeError());
    return false;
  }
  for (const std::string &check : checks) {
    if (pattern->match(check)) {
      return true;
    }
  }
  return false;
}

} // namespace

std::vector<NolintName> nolintNamesMatchingNoCheck(llvm::StringRef fileText, llvm::StringRef prefix,
                                                   llvm::ArrayRef<std::string> checks) {
  std::vector<NolintName> unknown;
  llvm::SmallVector<llvm::StringRef, 0> lines;
  fileText.split(lines, '\n');
  for (size_t index = 0; index < lines.size(); ++index) {
    llvm::StringRef line = lines[index];
    for (size_t at = line.find("NOLINT"); at != llvm::StringRef::npos; at = line.find("NOLINT", at + 1)) {
      llvm::StringRef after = line.drop_front(at + 6);
      for (llvm::StringRef suffix : {"NEXTLINE", "BEGIN", "END"}) {
        if (after.consume_front(suffix)) {
          break;
        }
      }
      size_t close = after.find(')');
      if (!after.starts_with("(") || close == llvm::StringRef::npos) {
        continue;
      }
      llvm::SmallVector<llvm::StringRef, 4> names;
      after.slice(1, close).split(names, ',', -1, false);
      for (llvm::StringRef name : names) {
        name = name.trim();
        if (name.starts_with(prefix) && !matchesAny(name, checks)) {
          unknown.push_back({static_cast<unsigned>(index + 1), name.str()});
        }
      }
    }
  }
  return unknown;
}

bool isSuppressedByNolint(llvm::StringRef fileText, unsigned line, llvm::StringRef check) {
  llvm::SmallVector<llvm::StringRef, 0> lines;
  fileText.split(lines, '\n');
  if (line == 0 || line > lines.size()) {
    return false;
  }
  if (lineHasMarker(lines[line - 1], "NOLINT", check)) {
    return true;
  }
  if (line >= 2 && lineHasMarker(lines[line - 2], "NOLINTNEXTLINE", check)) {
    return true;
  }
  int openRegions = 0;
  for (unsigned index = 0; index + 1 < line; ++index) {
    if (lineHasMarker(lines[index], "NOLINTBEGIN", check)) {
      ++openRegions;
    }
    if (lineHasMarker(lines[index], "NOLINTEND", check) && openRegions > 0) {
      --openRegions;
    }
  }
  return openRegions > 0;
}

} // namespace spawnguard
