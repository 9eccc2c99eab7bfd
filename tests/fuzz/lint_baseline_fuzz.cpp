// Fuzzes the lint's --baseline reader: any file gives a Baseline or an error
// that names the file.
#include "output/Baseline.hpp"

#include "fuzz_input_file.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static const std::string path = (spawnguard::fuzz::scratch_folder() / "baseline.json").string();
  spawnguard::fuzz::write_file(path, spawnguard::fuzz::as_text(data, size));
  llvm::Expected<spawnguard::Baseline> baseline = spawnguard::Baseline::read(path);
  if (!baseline) {
    std::string message = llvm::toString(baseline.takeError());
    if (message.find(path) == std::string::npos) {
      std::fprintf(stderr, "baseline error does not name the file: %s\n", message.c_str());
      std::abort();
    }
    return 0;
  }
  // A baseline read is used at once: filter a finding through it.
  spawnguard::Finding finding;
  finding.Check = "spawnguard-unbounded-spawn";
  finding.Where.File = "/repo/src/session.cpp";
  finding.Function = "session::run";
  finding.Callee = "boost::asio::co_spawn";
  std::vector<spawnguard::Finding> findings{finding, finding};
  const std::size_t removed = baseline->removeKnown(findings, "/repo");
  if (removed + findings.size() != 2) {
    std::fprintf(stderr, "removeKnown removed %zu of 2 and left %zu\n", removed, findings.size());
    std::abort();
  }
  return 0;
}
