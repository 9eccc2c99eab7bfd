// --export-fixes, then --fix, with a line on stderr saying what was done.
#include "driver/FixStage.hpp"

#include "driver/FixOptions.hpp"
#include "fixes/FixApplication.hpp"
#include "fixes/FixExport.hpp"

namespace spawnguard {

llvm::Error exportAndApplyFixes(const std::vector<Finding> &findings) {
  if (!options::ExportFixes.empty()) {
    if (llvm::Error exported = exportFixes(findings, options::ExportFixes)) {
      return exported;
    }
  }
  if (!options::Fix) {
    return llvm::Error::success();
  }
  llvm::Expected<AppliedFixes> applied = applyFixes(findings);
  if (!applied) {
    return applied.takeError();
  }
  llvm::errs() << "spawnguard-lint: applied " << applied->Edits << " edit(s) in " << applied->Files << " file(s)";
  if (applied->Skipped > 0) {
    llvm::errs() << "; " << applied->Skipped << " overlapped another and were left for the next run";
  }
  llvm::errs() << "\n";
  return llvm::Error::success();
}

} // namespace spawnguard
