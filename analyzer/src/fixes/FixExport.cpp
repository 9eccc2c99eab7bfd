// Writing clang-apply-replacements YAML with clang's own tooling types.
#include "fixes/FixExport.hpp"

#include "files/AtomicOutput.hpp"
#include "fixes/SourceEdit.hpp"

#include <clang/Tooling/DiagnosticsYaml.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/YAMLTraits.h>

#include <set>

namespace spawnguard {

std::vector<FixEdit> distinctEdits(const std::vector<Finding> &findings) {
  std::set<FixEdit> seen;
  std::vector<FixEdit> edits;
  for (const Finding &finding : findings) {
    if (!finding.Fix) {
      continue;
    }
    for (const FixEdit &edit : finding.Fix->Edits) {
      if (seen.insert(edit).second) {
        edits.push_back(edit);
      }
    }
  }
  return edits;
}

llvm::Error exportFixes(const std::vector<Finding> &findings, const std::string &path) {
  clang::tooling::TranslationUnitDiagnostics document;
  llvm::SmallString<256> directory;
  llvm::sys::fs::current_path(directory);
  std::set<FixEdit> written;
  for (const Finding &finding : findings) {
    if (!finding.Fix) {
      continue;
    }
    clang::tooling::DiagnosticMessage message;
    message.Message = finding.Message;
    message.FilePath = finding.Where.File;
    message.FileOffset = finding.Fix->Offset;
    for (const FixEdit &edit : finding.Fix->Edits) {
      if (!written.insert(edit).second) {
        continue;
      }
      if (llvm::Error added = message.Fix[edit.File].add(toReplacement(edit))) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(), "the fix of %s:%u conflicts with itself: %s",
                                       finding.Where.File.c_str(), finding.Where.Line,
                                       llvm::toString(std::move(added)).c_str());
      }
    }
    if (message.Fix.empty()) {
      continue; // every edit is another finding's already
    }
    document.Diagnostics.emplace_back(finding.Check, message, llvm::SmallVector<clang::tooling::DiagnosticMessage, 1>{},
                                      clang::tooling::Diagnostic::Warning, directory.str());
  }
  // Written whole or not at all (a temporary file beside it, synced, renamed over the path).
  return writeFileAtomically(path, "fixes file", [&](llvm::raw_ostream &out) {
    llvm::yaml::Output yaml(out);
    yaml << document;
  });
}

} // namespace spawnguard
