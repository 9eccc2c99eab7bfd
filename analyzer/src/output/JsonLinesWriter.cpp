// JSON lines: one object per finding, for scripts.
#include "files/RepoPaths.hpp"
#include "output/FindingWriters.hpp"

#include <llvm/Support/JSON.h>

namespace spawnguard {

void writeJsonLines(llvm::raw_ostream &out, const std::vector<Finding> &findings, const std::string &root) {
  std::vector<std::string> prints = fingerprints(findings, root);
  for (size_t index = 0; index < findings.size(); ++index) {
    const Finding &finding = findings[index];
    llvm::json::Array notes;
    for (const FindingNote &note : finding.Notes) {
      notes.push_back(llvm::json::Object{{"file", relativeToRoot(root, note.Where.File)},
                                         {"line", note.Where.Line},
                                         {"column", note.Where.Column},
                                         {"message", note.Message}});
    }
    out << llvm::json::Value(llvm::json::Object{{"check", finding.Check},
                                                {"file", relativeToRoot(root, finding.Where.File)},
                                                {"line", finding.Where.Line},
                                                {"column", finding.Where.Column},
                                                {"message", finding.Message},
                                                {"function", finding.Function},
                                                {"callee", finding.Callee},
                                                {"fingerprint", prints[index]},
                                                {"notes", std::move(notes)}})
        << "\n";
  }
}

} // namespace spawnguard
