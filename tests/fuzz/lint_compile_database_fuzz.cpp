// Fuzzes the lint's compile_commands.json reader: any file gives a database
// whose commands can be listed, or an error that names the database.
#include "driver/CompileDatabase.hpp"

#include "fuzz_input_file.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static const std::string folder = spawnguard::fuzz::scratch_folder().string();
  spawnguard::fuzz::write_file(spawnguard::fuzz::scratch_folder() / "compile_commands.json",
                               spawnguard::fuzz::as_text(data, size));
  auto database = spawnguard::loadCompileDatabase(folder);
  if (!database) {
    std::string message = llvm::toString(database.takeError());
    if (message.find(folder) == std::string::npos || message.find("fix:") == std::string::npos) {
      std::fprintf(stderr, "database error does not name the database and the fix: %s\n", message.c_str());
      std::abort();
    }
    return 0;
  }
  // What the driver does next: every file, and each file's commands.
  for (const std::string &file : (*database)->getAllFiles()) {
    (void)(*database)->getCompileCommands(file);
  }
  (void)(*database)->getAllCompileCommands();
  return 0;
}
