// Fuzzes the lint's .spawnguard.yaml reader: any bytes give a ConfigFile or an
// error that names the file, never a crash.
#include "config/Config.hpp"

#include "fuzz_input_file.hpp"

#include <cstdlib>

// A key of a check's own (CheckInfo::ListKeys), so those are fuzzed too.
constexpr spawnguard::CheckListKey CheckKeys[] = {
    {"queue-push-functions", "QueuePushFunctions", "a project's own queues"},
};

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<spawnguard::ConfigFile> config = spawnguard::parseConfigText(text, "fuzz/.spawnguard.yaml", CheckKeys);
  if (!config) {
    std::string message = llvm::toString(config.takeError());
    if (message.find("fuzz/.spawnguard.yaml") == std::string::npos) {
      std::fprintf(stderr, "config error does not name the file: %s\n", message.c_str());
      std::abort();
    }
    return 0;
  }
  // What a parsed file says must be in range (docs/configuration.md).
  if (config->FixDeadlineSeconds.Value < 1 || config->FixDeadlineSeconds.Value > 86400) {
    std::fprintf(stderr, "fix-deadline-seconds %u accepted\n", config->FixDeadlineSeconds.Value);
    std::abort();
  }
  return 0;
}
