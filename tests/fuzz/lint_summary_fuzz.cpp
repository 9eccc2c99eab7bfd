// Fuzzes the reader of the summaries --merge takes: any file gives a summary
// or an error that names the file and the fix.
#include "summary/SummaryFile.hpp"

#include "fuzz_input_file.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static const std::string path = (spawnguard::fuzz::scratch_folder() / "unit.summary.json").string();
  spawnguard::fuzz::write_file(path, spawnguard::fuzz::as_text(data, size));
  llvm::Expected<spawnguard::TranslationUnitSummary> summary = spawnguard::readSummaryFile(path);
  if (!summary) {
    std::string message = llvm::toString(summary.takeError());
    if (message.find(path) == std::string::npos || message.find("fix:") == std::string::npos) {
      std::fprintf(stderr, "summary error does not name the file and the fix: %s\n", message.c_str());
      std::abort();
    }
  }
  return 0;
}
