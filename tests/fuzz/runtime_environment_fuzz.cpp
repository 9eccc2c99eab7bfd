// Fuzzes the runtime's SPAWNGUARD_* parser: each input line is NAME=VALUE, an
// environment the parser reads through its lookup; any environment gives a
// valid Config or a ConfigError, never another exception or a crash.
#include "spawnguard/config.hpp"

#include "fuzz_input_file.hpp"

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::map<std::string, std::string, std::less<>> environment;
  std::vector<std::string_view> names;
  std::string_view text = spawnguard::fuzz::as_text(data, size);
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    const auto equals = line.find('=');
    if (equals == std::string_view::npos) {
      continue;
    }
    auto [entry, fresh] = environment.insert_or_assign(std::string(line.substr(0, equals)),
                                                       std::string(line.substr(equals + 1)));
    // Real variable names are short; the closest-name search is quadratic
    // in a name's length, and long names would only slow the fuzzer down.
    if (entry->first.size() <= 128) {
      names.push_back(entry->first);
    }
    (void)fresh;
  }
  (void)spawnguard::unknown_variable_warnings(names);
  try {
    const spawnguard::Config config = spawnguard::Config::from_environment(
        spawnguard::Config{}, [&environment](const char *name) -> std::optional<std::string> {
          if (auto found = environment.find(name); found != environment.end()) {
            return found->second;
          }
          return std::nullopt;
        });
    config.validate(); // from_environment validated already: it must hold
  } catch (const spawnguard::ConfigError &error) {
    if (std::string_view(error.what()).empty()) {
      std::fprintf(stderr, "ConfigError with no message\n");
      std::abort();
    }
  }
  return 0;
}
