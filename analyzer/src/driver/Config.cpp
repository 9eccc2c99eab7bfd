// Reading .spawnguard.yaml with LLVM's YAML I/O, and finding the file that
// applies to a source file.
#include "driver/Config.hpp"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/YAMLTraits.h>


namespace llvm::yaml {
template <> struct ScalarEnumerationTraits<spawnguard::SpawnFixTarget> {
  static void enumeration(IO &io, spawnguard::SpawnFixTarget &target) {
    io.enumCase(target, "none", spawnguard::SpawnFixTarget::None);
    io.enumCase(target, "spawnguard", spawnguard::SpawnFixTarget::Spawnguard);
  }
};
template <> struct ScalarTraits<spawnguard::DeadlineFixSeconds> {
  static void output(const spawnguard::DeadlineFixSeconds &seconds, void *, raw_ostream &out) { out << seconds.Value; }
  static StringRef input(StringRef text, void *, spawnguard::DeadlineFixSeconds &seconds) {
    if (text.getAsInteger(10, seconds.Value) || seconds.Value < 1 || seconds.Value > 86400) {
      return "not a whole number of seconds from 1 to 86400";
    }
    return {};
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::None; }
};
template <> struct MappingTraits<spawnguard::ConfigFile> {
  static void mapping(IO &io, spawnguard::ConfigFile &config) {
    io.mapOptional("checks", config.Checks);
    io.mapOptional("spawn-functions", config.SpawnFunctions);
    io.mapOptional("bound-functions", config.BoundFunctions);
    io.mapOptional("bounded-spawn-functions", config.BoundedSpawnFunctions);
    io.mapOptional("wait-functions", config.WaitFunctions);
    io.mapOptional("deadline-functions", config.DeadlineFunctions);
    io.mapOptional("strict", config.Strict);
    io.mapOptional("skip-paths", config.SkipPaths);
    io.mapOptional("fix-spawn-through", config.FixSpawnThrough);
    io.mapOptional("fix-deadline-seconds", config.FixDeadlineSeconds);
  }
};
} // namespace llvm::yaml

namespace spawnguard {
namespace {

constexpr const char *ConfigFileName = ".spawnguard.yaml";
constexpr const char *KnownKeys = "checks, spawn-functions, bound-functions, bounded-spawn-functions, "
                                  "wait-functions, deadline-functions, strict, skip-paths, fix-spawn-through, "
                                  "fix-deadline-seconds";

// The first diagnostic YAML I/O reports, kept to build one clear error.
struct FirstYamlError {
  bool Seen = false;
  llvm::SMDiagnostic Diagnostic;
};

void keepFirstError(const llvm::SMDiagnostic &diagnostic, void *context) {
  auto *first = static_cast<FirstYamlError *>(context);
  if (!first->Seen) {
    first->Seen = true;
    first->Diagnostic = diagnostic;
  }
}

// The key a value error belongs to: the "key:" on the error's line, or on the
// nearest line above it that is indented less (for errors inside a list).
std::string keyAt(llvm::StringRef text, int lineNumber) {
  llvm::SmallVector<llvm::StringRef, 64> lines;
  text.split(lines, '\n');
  size_t indentBelow = std::string::npos;
  for (int index = lineNumber - 1; index >= 0 && index < static_cast<int>(lines.size()); --index) {
    llvm::StringRef line = lines[static_cast<size_t>(index)];
    size_t indent = line.find_first_not_of(' ');
    if (indent == llvm::StringRef::npos || indent >= indentBelow) {
      continue;
    }
    llvm::StringRef content = line.drop_front(indent);
    size_t colon = content.find(':');
    if (!content.starts_with("-") && colon != llvm::StringRef::npos) {
      return content.take_front(colon).trim().str();
    }
    indentBelow = indent;
  }
  return "";
}

} // namespace

llvm::Expected<ConfigFile> parseConfigText(llvm::StringRef text, llvm::StringRef path) {
  ConfigFile config;
  config.Path = path.str();
  FirstYamlError first;
  llvm::yaml::Input input(llvm::MemoryBufferRef(text, path), nullptr, keepFirstError, &first);
  input >> config;
  if (!input.error() && !first.Seen) {
    return config;
  }
  std::string message;
  llvm::raw_string_ostream os(message);
  const llvm::SMDiagnostic &diagnostic = first.Diagnostic;
  os << path << ":" << diagnostic.getLineNo() << ":" << (diagnostic.getColumnNo() + 1) << ": ";
  llvm::StringRef what = diagnostic.getMessage();
  if (what.starts_with("unknown key")) {
    os << what << " (known keys: " << KnownKeys << ")";
  } else {
    std::string key = keyAt(text, diagnostic.getLineNo());
    os << "bad value for key '" << key << "': " << what;
    if (key == "strict") {
      os << " (expected true or false)";
    } else if (key == "fix-spawn-through") {
      os << " (expected spawnguard or none)";
    } else if (key == "fix-deadline-seconds") {
      os << " (expected e.g. 30)";
    } else if (!key.empty()) {
      os << " (expected a list of strings, e.g. ['::ns::name'])";
    }
  }
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<ConfigFile> parseConfigFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    return llvm::createStringError(buffer.getError(), "cannot read configuration file '%s': %s",
                                   path.str().c_str(), buffer.getError().message().c_str());
  }
  return parseConfigText((*buffer)->getBuffer(), path);
}

ConfigLocator::ConfigLocator(std::string explicitConfigFile)
    : ExplicitConfigFile(std::move(explicitConfigFile)) {}

llvm::Expected<std::shared_ptr<const ConfigFile>> ConfigLocator::load(const std::string &path) {
  if (auto known = ByPath.find(path); known != ByPath.end()) {
    return known->second;
  }
  std::shared_ptr<const ConfigFile> config;
  if (path.empty()) {
    config = std::make_shared<const ConfigFile>();
  } else {
    llvm::Expected<ConfigFile> parsed = parseConfigFile(path);
    if (!parsed) {
      return parsed.takeError();
    }
    config = std::make_shared<const ConfigFile>(std::move(*parsed));
  }
  ByPath[path] = config;
  return config;
}

llvm::Expected<std::shared_ptr<const ConfigFile>> ConfigLocator::configFor(llvm::StringRef sourceFile) {
  if (!ExplicitConfigFile.empty()) {
    return load(ExplicitConfigFile);
  }
  llvm::SmallString<256> directory(sourceFile);
  llvm::sys::fs::make_absolute(directory);
  llvm::sys::path::remove_filename(directory);
  std::vector<std::string> visited;
  std::string found;
  for (llvm::StringRef dir = directory; !dir.empty(); dir = llvm::sys::path::parent_path(dir)) {
    if (auto cached = ConfigPathOfDirectory.find(dir.str()); cached != ConfigPathOfDirectory.end()) {
      found = cached->second;
      break;
    }
    visited.push_back(dir.str());
    llvm::SmallString<256> candidate(dir);
    llvm::sys::path::append(candidate, ConfigFileName);
    if (llvm::sys::fs::exists(candidate)) {
      found = std::string(candidate);
      break;
    }
  }
  for (const std::string &dir : visited) {
    ConfigPathOfDirectory[dir] = found;
  }
  return load(found);
}

} // namespace spawnguard
