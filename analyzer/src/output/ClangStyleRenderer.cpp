// Custom diagnostic IDs (a warning tagged with the check name, plus notes)
// emitted into a string through clang's text printer.
#include "output/ClangStyleRenderer.hpp"

#include <clang/Basic/DiagnosticOptions.h>
#include <clang/Basic/LangOptions.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <llvm/Support/raw_ostream.h>

namespace spawnguard {

std::string renderClangStyle(SourceFiles &files, const Finding &finding, bool colour, bool asError) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os.enable_colors(colour);
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> options(new clang::DiagnosticOptions());
  options->ShowColors = colour;
  clang::TextDiagnosticPrinter printer(os, options.get());
  clang::DiagnosticsEngine engine(llvm::IntrusiveRefCntPtr<clang::DiagnosticIDs>(new clang::DiagnosticIDs()),
                                  options.get(), &printer, /*ShouldOwnClient=*/false);
  engine.setSourceManager(&files.sources());
  clang::LangOptions language;
  language.CPlusPlus = true;
  printer.BeginSourceFile(language, nullptr);
  unsigned warning = engine.getCustomDiagID(clang::DiagnosticsEngine::Warning, "%0 [%1]");
  unsigned note = engine.getCustomDiagID(clang::DiagnosticsEngine::Note, "%0");
  engine.Report(files.at(finding.Where), warning) << finding.Message << finding.Check;
  for (const FindingNote &each : finding.Notes) {
    engine.Report(files.at(each.Where), note) << each.Message;
  }
  printer.EndSourceFile();
  os.flush();
  // Rendered as a warning, then relabelled, so an error keeps the warning's
  // colour: clang's first "warning:" is the finding's own.
  if (size_t at = text.find("warning:"); asError && at != std::string::npos) {
    text.replace(at, llvm::StringRef("warning:").size(), "error:");
  }
  return text;
}

} // namespace spawnguard
