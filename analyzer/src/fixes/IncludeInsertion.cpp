// Placing an #include with clang's HeaderIncludes, as clang-tidy's include
// inserter and clang-format's include sorting do.
#include "fixes/IncludeInsertion.hpp"

#include "fixes/SourceEdit.hpp"

#include <clang/Format/Format.h>
#include <clang/Tooling/Inclusions/HeaderIncludes.h>

namespace spawnguard {

std::optional<FixEdit> includeInsertion(const clang::SourceManager &sources, clang::FileID file,
                                        llvm::StringRef header) {
  clang::OptionalFileEntryRef entry = sources.getFileEntryRefForID(file);
  if (!entry) {
    return std::nullopt;
  }
  llvm::StringRef code = sources.getBufferData(file);
  llvm::Expected<clang::format::FormatStyle> style =
      clang::format::getStyle("file", entry->getName(), "LLVM", code);
  clang::format::FormatStyle chosen = clang::format::getLLVMStyle();
  if (style) {
    chosen = *style;
  } else {
    llvm::consumeError(style.takeError()); // an unreadable .clang-format: LLVM's order
  }
  clang::tooling::HeaderIncludes includes(entry->getName(), code, chosen.IncludeStyle);
  std::optional<clang::tooling::Replacement> insertion =
      includes.insert(header, /*IsAngled=*/true, clang::tooling::IncludeDirective::Include);
  if (!insertion) {
    return std::nullopt;
  }
  return editAt(sources, file, insertion->getOffset(), insertion->getLength(),
                insertion->getReplacementText().str());
}

} // namespace spawnguard
