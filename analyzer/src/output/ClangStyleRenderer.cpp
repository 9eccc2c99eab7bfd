// Custom diagnostic IDs (a warning tagged with the check name, plus notes)
// emitted into a string through clang's text printer.
#include "output/ClangStyleRenderer.hpp"

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/DiagnosticOptions.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <llvm/Support/raw_ostream.h>

namespace spawnguard {

std::string renderClangStyle(clang::SourceManager &sources, const clang::LangOptions &language,
                             const PendingFinding &finding, bool colour) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os.enable_colors(colour);
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> options(new clang::DiagnosticOptions());
  options->ShowColors = colour;
  clang::TextDiagnosticPrinter printer(os, options.get());
  clang::DiagnosticsEngine engine(llvm::IntrusiveRefCntPtr<clang::DiagnosticIDs>(new clang::DiagnosticIDs()),
                                  options.get(), &printer, /*ShouldOwnClient=*/false);
  engine.setSourceManager(&sources);
  printer.BeginSourceFile(language, nullptr);
  unsigned warning = engine.getCustomDiagID(clang::DiagnosticsEngine::Warning, "%0 [%1]");
  unsigned note = engine.getCustomDiagID(clang::DiagnosticsEngine::Note, "%0");
  engine.Report(finding.Location, warning) << finding.Message << finding.Check;
  for (const PendingNote &each : finding.Notes) {
    engine.Report(each.Location, note) << each.Message;
  }
  printer.EndSourceFile();
  os.flush();
  return text;
}

} // namespace spawnguard
