// The real files findings point into, opened once each in a fresh clang
// SourceManager: findings carry file, line and column, and are suppressed by
// NOLINT and rendered from here, after the translation units are gone.
#pragma once

#include "findings/Finding.hpp"

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/FileManager.h>
#include <clang/Basic/SourceManager.h>

#include <map>
#include <optional>
#include <string>

namespace spawnguard {

class SourceFiles {
public:
  SourceFiles();

  // The position of where, or an invalid location when its file cannot be read.
  clang::SourceLocation at(const FindingLocation &where);
  // The text of a file ("" when it cannot be read).
  llvm::StringRef text(const std::string &path);
  clang::SourceManager &sources() { return Sources; }

private:
  std::optional<clang::FileID> fileFor(const std::string &path);

  clang::FileManager Files;
  clang::DiagnosticsEngine Diagnostics;
  clang::SourceManager Sources;
  std::map<std::string, std::optional<clang::FileID>> Opened;
};

} // namespace spawnguard
