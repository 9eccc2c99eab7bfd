// Turning spans of a loaded file into FixEdits.
#include "fixes/SourceEdit.hpp"

#include "ast/SourceLocate.hpp"

namespace spawnguard {

FixEdit editAt(const clang::SourceManager &sources, clang::FileID file, unsigned offset, unsigned length,
               std::string text) {
  clang::SourceLocation start = sources.getComposedLoc(file, offset);
  clang::SourceLocation end = sources.getComposedLoc(file, offset + length);
  FixEdit edit;
  edit.File = locate(sources, start).File;
  edit.Offset = offset;
  edit.Length = length;
  edit.Text = std::move(text);
  edit.StartLine = sources.getSpellingLineNumber(start);
  edit.StartColumn = sources.getSpellingColumnNumber(start);
  edit.EndLine = sources.getSpellingLineNumber(end);
  edit.EndColumn = sources.getSpellingColumnNumber(end);
  return edit;
}

std::optional<FixEdit> editBetween(const clang::SourceManager &sources, clang::SourceLocation begin,
                                   clang::SourceLocation end, std::string text) {
  if (begin.isInvalid() || end.isInvalid() || begin.isMacroID() || end.isMacroID()) {
    return std::nullopt;
  }
  auto [file, offset] = sources.getDecomposedLoc(begin);
  auto [endFile, endOffset] = sources.getDecomposedLoc(end);
  if (file != endFile || endOffset < offset) {
    return std::nullopt;
  }
  return editAt(sources, file, offset, endOffset - offset, std::move(text));
}

clang::tooling::Replacement toReplacement(const FixEdit &edit) {
  return clang::tooling::Replacement(edit.File, edit.Offset, edit.Length, edit.Text);
}

} // namespace spawnguard
