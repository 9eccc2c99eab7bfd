// Checking compile_commands.json with llvm::json before clang's loader reads
// it (clang's loader accepts a relative or missing "directory" and an empty
// list), and de-duplicating its commands.
#include "driver/CompileDatabase.hpp"

#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <set>
#include <tuple>

namespace spawnguard {
namespace {

namespace tooling = clang::tooling;

constexpr llvm::StringLiteral Regenerate =
    "configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or pass the folder that holds compile_commands.json";

llvm::Error databaseError(llvm::StringRef path, const llvm::Twine &problem, const llvm::Twine &fix) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "cannot use the compilation database '" + path + "': " + problem + "\n  fix: " + fix);
}

// What clang's loader lets through and then fails on far away: each entry
// must be an object with an absolute "directory", a "file", and a "command"
// or "arguments".
llvm::Error checkEntries(llvm::StringRef path, llvm::StringRef text) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed) {
    return databaseError(path, "cannot read a compilation database: not JSON: " + llvm::toString(parsed.takeError()), Regenerate);
  }
  const llvm::json::Array *entries = parsed->getAsArray();
  if (entries == nullptr) {
    return databaseError(path, "not a JSON array of compile commands", Regenerate);
  }
  if (entries->empty()) {
    return databaseError(path, "no compile commands ([]): nothing to lint",
                         "build or configure the project first so the database lists its files");
  }
  for (size_t index = 0; index < entries->size(); ++index) {
    const llvm::json::Object *entry = (*entries)[index].getAsObject();
    const std::string which = "entry " + std::to_string(index);
    if (entry == nullptr) {
      return databaseError(path, which + " is not an object", Regenerate);
    }
    std::optional<llvm::StringRef> file = entry->getString("file");
    std::string name = file ? " ('" + file->str() + "')" : std::string();
    std::optional<llvm::StringRef> directory = entry->getString("directory");
    if (!directory) {
      return databaseError(path, which + name + " has no \"directory\"",
                           "give every entry the absolute folder its command runs in, or regenerate the database");
    }
    if (!llvm::sys::path::is_absolute(*directory)) {
      return databaseError(path, which + name + " has a relative \"directory\" ('" + *directory + "')",
                           "make \"directory\" an absolute path, or regenerate the database");
    }
    if (!file) {
      return databaseError(path, which + " has no \"file\"", Regenerate);
    }
    if (entry->get("command") == nullptr && entry->get("arguments") == nullptr) {
      return databaseError(path, which + name + " has neither \"command\" nor \"arguments\"", Regenerate);
    }
  }
  return llvm::Error::success();
}

// Each distinct (file, command, directory) of a file once: a database that
// lists a file a thousand times (one entry per target that builds it with the
// same flags) is linted as one unit.
class DistinctCommands : public tooling::CompilationDatabase {
public:
  explicit DistinctCommands(std::unique_ptr<tooling::CompilationDatabase> inner) : Inner(std::move(inner)) {}

  std::vector<tooling::CompileCommand> getCompileCommands(llvm::StringRef file) const override {
    return distinct(Inner->getCompileCommands(file));
  }
  std::vector<std::string> getAllFiles() const override { return Inner->getAllFiles(); }
  std::vector<tooling::CompileCommand> getAllCompileCommands() const override {
    return distinct(Inner->getAllCompileCommands());
  }

private:
  static std::vector<tooling::CompileCommand> distinct(std::vector<tooling::CompileCommand> commands) {
    std::set<std::tuple<std::string, std::string, std::vector<std::string>>> seen;
    std::erase_if(commands, [&](const tooling::CompileCommand &command) {
      return !seen.emplace(command.Filename, command.Directory, command.CommandLine).second;
    });
    return commands;
  }

  std::unique_ptr<tooling::CompilationDatabase> Inner;
};

} // namespace

llvm::Expected<std::unique_ptr<tooling::CompilationDatabase>> loadCompileDatabase(llvm::StringRef buildDir) {
  llvm::SmallString<256> path(buildDir);
  llvm::sys::path::append(path, "compile_commands.json");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    return llvm::createStringError(buffer.getError(), "cannot read a compilation database in '%s': %s\n  fix: %s",
                                   buildDir.str().c_str(), buffer.getError().message().c_str(), Regenerate.data());
  }
  if (llvm::Error bad = checkEntries(path, (*buffer)->getBuffer())) {
    return std::move(bad);
  }
  std::string error;
  std::unique_ptr<tooling::CompilationDatabase> database =
      tooling::JSONCompilationDatabase::loadFromBuffer((*buffer)->getBuffer(), error,
                                                       tooling::JSONCommandLineSyntax::AutoDetect);
  if (!database) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot read a compilation database in '%s': %s\n  fix: %s",
                                   buildDir.str().c_str(), error.c_str(), Regenerate.data());
  }
  return std::make_unique<DistinctCommands>(std::move(database));
}

} // namespace spawnguard
