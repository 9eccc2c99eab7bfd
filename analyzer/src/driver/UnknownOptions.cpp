// The exact-name check of command-line options.
#include "driver/UnknownOptions.hpp"

#include <llvm/Support/CommandLine.h>

namespace spawnguard {

std::optional<std::string> firstUnknownOption(llvm::ArrayRef<const char *> args) {
  llvm::StringMap<llvm::cl::Option *> &known = llvm::cl::getRegisteredOptions();
  for (size_t index = 1; index < args.size(); ++index) {
    llvm::StringRef arg(args[index]);
    if (arg == "--") {
      break; // the rest is positional
    }
    if (!arg.starts_with("-") || arg == "-") {
      continue;
    }
    llvm::StringRef name = arg.drop_front(arg.starts_with("--") ? 2 : 1).split('=').first;
    // "h" is llvm::cl's alias of --help, registered only while it parses.
    if (name == "h") {
      continue;
    }
    auto option = known.find(name);
    if (option == known.end()) {
      return arg.str();
    }
    // "--extra-arg -Wall": the next argument is the value, not an option.
    if (!arg.contains('=') && option->second->getValueExpectedFlag() == llvm::cl::ValueRequired) {
      ++index;
    }
  }
  return std::nullopt;
}

} // namespace spawnguard
