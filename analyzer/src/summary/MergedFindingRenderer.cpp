// A SourceManager over the real files, positions translated from line and
// column, and the shared clang-style renderer.
#include "summary/MergedFindingRenderer.hpp"

#include "output/ClangStyleRenderer.hpp"
#include "output/NolintFilter.hpp"

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/DiagnosticOptions.h>
#include <clang/Basic/FileManager.h>
#include <clang/Basic/LangOptions.h>
#include <clang/Basic/SourceManager.h>

#include <map>

namespace spawnguard {
namespace {

class FileLocations {
public:
  FileLocations()
      : Files(clang::FileSystemOptions()),
        Diagnostics(llvm::IntrusiveRefCntPtr<clang::DiagnosticIDs>(new clang::DiagnosticIDs()),
                    new clang::DiagnosticOptions(), new clang::IgnoringDiagConsumer()),
        Sources(Diagnostics, Files) {}

  clang::SourceLocation at(const FindingLocation &where) {
    std::optional<clang::FileID> file = fileFor(where.File);
    return file ? Sources.translateLineCol(*file, where.Line, where.Column) : clang::SourceLocation();
  }

  llvm::StringRef text(const std::string &path) {
    std::optional<clang::FileID> file = fileFor(path);
    return file ? Sources.getBufferData(*file) : llvm::StringRef();
  }

  clang::SourceManager &sources() { return Sources; }

private:
  std::optional<clang::FileID> fileFor(const std::string &path) {
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

  clang::FileManager Files;
  clang::DiagnosticsEngine Diagnostics;
  clang::SourceManager Sources;
  std::map<std::string, std::optional<clang::FileID>> Opened;
};

} // namespace

std::vector<Finding> renderMergedFindings(std::vector<Finding> findings) {
  FileLocations locations;
  clang::LangOptions language;
  language.CPlusPlus = true;
  std::vector<Finding> kept;
  for (Finding &finding : findings) {
    if (isSuppressedByNolint(locations.text(finding.Where.File), finding.Where.Line, finding.Check)) {
      continue;
    }
    PendingFinding pending;
    pending.Check = finding.Check;
    pending.Message = finding.Message;
    pending.Location = locations.at(finding.Where);
    for (const FindingNote &note : finding.Notes) {
      pending.Notes.push_back({locations.at(note.Where), note.Message});
    }
    finding.Rendered = renderClangStyle(locations.sources(), language, pending, false);
    finding.RenderedInColour = renderClangStyle(locations.sources(), language, pending, true);
    kept.push_back(std::move(finding));
  }
  return kept;
}

} // namespace spawnguard
