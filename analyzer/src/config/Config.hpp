// The .spawnguard.yaml configuration: what a project adds to the defaults,
// found upward from each file like .clang-tidy, read with LLVM's YAML I/O.
#pragma once

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

// One configuration file as written. Every key is optional.
struct ConfigFile {
  std::string Path; // where it was read from ("" for the built-in default)
  // clang-tidy style globs, applied in order: "-*", "spawnguard-detached-thread".
  std::vector<std::string> Checks;
  std::vector<std::string> SpawnFunctions;
  std::vector<std::string> BoundFunctions;
  std::vector<std::string> BoundedSpawnFunctions;
  std::vector<std::string> WaitFunctions;
  std::vector<std::string> DeadlineFunctions;
  std::vector<std::string> QueuePushFunctions; // a project's own queues: calls that push onto one
  std::optional<bool> Strict;
  // Globs over repo-relative paths: files there are neither linted nor
  // reported. Compiled when the file is parsed (a bad glob is an error naming
  // the file, line and key), into SkipPatterns.
  std::vector<std::string> SkipPaths;
  std::vector<llvm::GlobPattern> SkipPatterns;
  // Fix-its (docs/fixes.md).
  SpawnFixTarget FixSpawnThrough = SpawnFixTarget::None;
  DeadlineFixSeconds FixDeadlineSeconds;

  // Whether a repo-relative path matches a skip-paths glob (or starts with one
  // written as a folder prefix, "third_party/").
  bool skips(llvm::StringRef relativePath) const;
};

// Parses a configuration file. The error names the file, line, column and key.
llvm::Expected<ConfigFile> parseConfigFile(llvm::StringRef path);
llvm::Expected<ConfigFile> parseConfigText(llvm::StringRef text, llvm::StringRef path);

// Finds and caches the configuration that applies to each source file:
// --config-file when given, else the nearest .spawnguard.yaml above the file.
class ConfigLocator {
public:
  explicit ConfigLocator(std::string explicitConfigFile);
  // The configuration for a file; a parse error is returned once per file.
  llvm::Expected<std::shared_ptr<const ConfigFile>> configFor(llvm::StringRef sourceFile);

private:
  llvm::Expected<std::shared_ptr<const ConfigFile>> load(const std::string &path);

  std::string ExplicitConfigFile;
  std::map<std::string, std::shared_ptr<const ConfigFile>> ByPath;
  std::map<std::string, std::string> ConfigPathOfDirectory;
};

} // namespace spawnguard
