// Applying fixes file by file with clang's tooling Replacements.
#include "fixes/FixApplication.hpp"

#include "files/AtomicOutput.hpp"
#include "fixes/FixExport.hpp"
#include "fixes/SourceEdit.hpp"

#include <clang/Tooling/Core/Replacement.h>
#include <llvm/Support/MemoryBuffer.h>

#include <map>

namespace spawnguard {

llvm::Expected<AppliedFixes> applyFixes(const std::vector<Finding> &findings) {
  AppliedFixes applied;
  std::map<std::string, clang::tooling::Replacements> byFile;
  for (const FixEdit &edit : distinctEdits(findings)) {
    if (llvm::Error conflict = byFile[edit.File].add(toReplacement(edit))) {
      llvm::consumeError(std::move(conflict));
      ++applied.Skipped;
      continue;
    }
    ++applied.Edits;
  }
  for (const auto &[file, replacements] : byFile) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> source = llvm::MemoryBuffer::getFile(file);
    if (!source) {
      return llvm::createStringError(source.getError(), "cannot read '%s' to fix it: %s", file.c_str(),
                                     source.getError().message().c_str());
    }
    llvm::Expected<std::string> fixed = clang::tooling::applyAllReplacements((*source)->getBuffer(), replacements);
    if (!fixed) {
      return llvm::createStringError(llvm::inconvertibleErrorCode(), "cannot fix '%s': %s", file.c_str(),
                                     llvm::toString(fixed.takeError()).c_str());
    }
    // Whole or not at all: a temporary file renamed over the source.
    if (llvm::Error written = writeFileAtomically(file, "fixed source", [&](llvm::raw_ostream &out) { out << *fixed; })) {
      return written;
    }
    ++applied.Files;
  }
  return applied;
}

} // namespace spawnguard
