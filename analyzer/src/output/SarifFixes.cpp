// SARIF fixes: one artifactChange per file the fix edits, regions given both
// as lines and columns and as byte offsets.
#include "output/SarifFixes.hpp"

#include <map>
#include <vector>

namespace spawnguard {

llvm::json::Array sarifFixes(const FindingFix &fix,
                             llvm::function_ref<llvm::json::Object(const std::string &file)> artifactLocation) {
  std::map<std::string, std::vector<const FixEdit *>> byFile;
  for (const FixEdit &edit : fix.Edits) {
    byFile[edit.File].push_back(&edit);
  }
  llvm::json::Array changes;
  for (const auto &[file, edits] : byFile) {
    llvm::json::Array replacements;
    for (const FixEdit *edit : edits) {
      llvm::json::Object deleted{{"startLine", edit->StartLine}, {"startColumn", edit->StartColumn},
                                 {"endLine", edit->EndLine},     {"endColumn", edit->EndColumn},
                                 {"charOffset", edit->Offset},   {"charLength", edit->Length}};
      replacements.push_back(llvm::json::Object{{"deletedRegion", std::move(deleted)},
                                                {"insertedContent", llvm::json::Object{{"text", edit->Text}}}});
    }
    changes.push_back(
        llvm::json::Object{{"artifactLocation", artifactLocation(file)}, {"replacements", std::move(replacements)}});
  }
  return llvm::json::Array{llvm::json::Object{{"description", llvm::json::Object{{"text", fix.Description}}},
                                              {"artifactChanges", std::move(changes)}}};
}

} // namespace spawnguard
