// Resolving a location to its file, line and column.
#include "ast/SourceLocate.hpp"

#include <llvm/Support/FileSystem.h>

namespace spawnguard {

FindingLocation locate(const clang::SourceManager &sources, clang::SourceLocation location) {
  clang::SourceLocation inFile = sources.getFileLoc(location);
  FindingLocation where;
  where.Line = sources.getSpellingLineNumber(inFile);
  where.Column = sources.getSpellingColumnNumber(inFile);
  clang::OptionalFileEntryRef entry = sources.getFileEntryRefForID(sources.getFileID(inFile));
  if (entry) {
    where.File = entry->getFileEntry().tryGetRealPathName().str();
    if (where.File.empty()) {
      llvm::SmallString<256> absolute(entry->getName());
      llvm::sys::fs::make_absolute(absolute);
      where.File = std::string(absolute);
    }
  }
  return where;
}

} // namespace spawnguard
