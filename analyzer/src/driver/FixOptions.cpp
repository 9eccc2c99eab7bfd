// Definitions of --fix and --export-fixes.
#include "driver/FixOptions.hpp"

#include "driver/Options.hpp"

namespace spawnguard::options {

namespace cl = llvm::cl;

cl::opt<bool> Fix("fix", cl::desc("Apply the fixes the findings offer to the source files (docs/fixes.md)"),
                  cl::cat(Category));
cl::opt<std::string> ExportFixes("export-fixes",
                                 cl::desc("Write the fixes the findings offer to FILE as clang-apply-replacements "
                                          "YAML (the format of clang-tidy's --export-fixes)"),
                                 cl::value_desc("FILE"), cl::cat(Category));

std::optional<std::string> fixOptionsConflict(bool merging, bool writingSummaries) {
  if (!Fix && ExportFixes.empty()) {
    return std::nullopt;
  }
  if (merging) {
    return std::string("--fix and --export-fixes need the parsed sources; --merge reads summaries only");
  }
  if (writingSummaries) {
    return std::string("--fix and --export-fixes belong to the run that reports; --summaries-dir reports nothing");
  }
  return std::nullopt;
}

} // namespace spawnguard::options
