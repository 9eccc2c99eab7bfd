// Opening findings' files in a SourceManager of their own, positions from line and column.
#include "output/SourceFiles.hpp"

#include <clang/Basic/DiagnosticOptions.h>

namespace spawnguard {

SourceFiles::SourceFiles()
    : Files(clang::FileSystemOptions()),
      Diagnostics(llvm::IntrusiveRefCntPtr<clang::DiagnosticIDs>(new clang::DiagnosticIDs()),
                  new clang::DiagnosticOptions(), new clang::IgnoringDiagConsumer()),
      Sources(Diagnostics, Files) {}

clang::SourceLocation SourceFiles::at(const FindingLocation &where) {
  std::optional<clang::FileID> file = fileFor(where.File);
  return file ? Sources.translateLineCol(*file, where.Line, where.Column) : clang::SourceLocation();
}

llvm::StringRef SourceFiles::text(const std::string &path) {
  std::optional<clang::FileID> file = fileFor(path);
  return file ? Sources.getBufferData(*file) : llvm::StringRef();
}

std::optional<clang::FileID> SourceFiles::fileFor(const std::string &path) {
  auto known = Opened.find(path);
  if (known != Opened.end()) {
    return known->second;
  }
  std::optional<clang::FileID> id;
  if (llvm::Expected<clang::FileEntryRef> entry = Files.getFileRef(path)) {
    id = Sources.createFileID(*entry, clang::SourceLocation(), clang::SrcMgr::C_User);
  } else {
    llvm::consumeError(entry.takeError());
  }
  Opened[path] = id;
  return id;
}

} // namespace spawnguard
