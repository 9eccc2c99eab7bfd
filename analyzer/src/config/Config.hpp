// The .spawnguard.yaml configuration: what a project adds to the defaults,
// found upward from each file like .clang-tidy, read with LLVM's YAML I/O.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/GlobPattern.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spawnguard {

// fix-spawn-through: what the unbounded-spawn fix rewrites a spawn into
// (none: no fix; the fix adds a dependency on the runtime, so it is opt-in).
enum class SpawnFixTarget { None, Spawnguard };

// fix-deadline-seconds: the expiry the missing-deadline fix sets, 1 to 86400.
struct DeadlineFixSeconds {
  unsigned Value = 30;
};

// A list key a check declares for itself, in its own class (ListKeys), so a
// check with a key of its own touches no other file: the .spawnguard.yaml
// key, the clang-tidy option that gives the same list, and what it lists.
// The reader is handed every check's keys (CheckRegistry's checkListKeys).
struct CheckListKey {
  const char *Key;        // "queue-push-functions"
  const char *TidyOption; // "QueuePushFunctions"
  const char *Lists;      // "a project's own queues: calls that push onto one"
};

// One configuration file as written. Every key is optional.
struct ConfigFile {
  std::string Path; // where it was read from ("" for the built-in default)
  std::string Text; // as read: what --cache-dir keys a unit's settings on
  // clang-tidy style globs, applied in order: "-*", "spawnguard-detached-thread".
  std::vector<std::string> Checks;
  std::vector<std::string> SpawnFunctions;
  std::vector<std::string> BoundFunctions;
  std::vector<std::string> BoundedSpawnFunctions;
  std::vector<std::string> WaitFunctions;
  std::vector<std::string> DeadlineFunctions;
  std::optional<bool> Strict;
  // Globs over repo-relative paths: files there are neither linted nor
  // reported. Compiled when the file is parsed (a bad glob is an error naming
  // the file, line and key), into SkipPatterns.
  std::vector<std::string> SkipPaths;
  std::vector<llvm::GlobPattern> SkipPatterns;
  // Fix-its (docs/fixes.md).
  SpawnFixTarget FixSpawnThrough = SpawnFixTarget::None;
  DeadlineFixSeconds FixDeadlineSeconds;
  // The lists of the keys checks declare, by key (absent: not written).
  std::map<std::string, std::vector<std::string>, std::less<>> CheckLists;

  // The names written under a check's own key; none when it is absent.
  // Inline: the clang-tidy plugin reads it and links no Config.cpp.
  const std::vector<std::string> &checkList(llvm::StringRef key) const {
    static const std::vector<std::string> none;
    auto found = CheckLists.find(key);
    return found == CheckLists.end() ? none : found->second;
  }

  // Whether a repo-relative path matches a skip-paths glob (or starts with one
  // written as a folder prefix, "third_party/").
  bool skips(llvm::StringRef relativePath) const;
};

// Parses a configuration file whose keys are the common ones plus checkKeys.
// The error names the file, line, column and key.
llvm::Expected<ConfigFile> parseConfigFile(llvm::StringRef path, llvm::ArrayRef<CheckListKey> checkKeys);
llvm::Expected<ConfigFile> parseConfigText(llvm::StringRef text, llvm::StringRef path,
                                           llvm::ArrayRef<CheckListKey> checkKeys);

// Finds and caches the configuration that applies to each source file:
// --config-file when given, else the nearest .spawnguard.yaml above the file.
class ConfigLocator {
public:
  ConfigLocator(std::string explicitConfigFile, std::vector<CheckListKey> checkKeys);
  // The configuration for a file; a parse error is returned once per file.
  llvm::Expected<std::shared_ptr<const ConfigFile>> configFor(llvm::StringRef sourceFile);

private:
  llvm::Expected<std::shared_ptr<const ConfigFile>> load(const std::string &path);

  std::string ExplicitConfigFile;
  std::vector<CheckListKey> CheckKeys;
  std::map<std::string, std::shared_ptr<const ConfigFile>> ByPath;
  std::map<std::string, std::string> ConfigPathOfDirectory;
};

} // namespace spawnguard
