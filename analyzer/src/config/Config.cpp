// Reading .spawnguard.yaml with LLVM's YAML I/O, and finding the file that
// applies to a source file.
#include "config/Config.hpp"

#include <llvm/ADT/STLExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/GlobPattern.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/YAMLParser.h>
#include <llvm/Support/YAMLTraits.h>

namespace spawnguard {
namespace {

// The value of 'checks': a list of globs, or clang-tidy's one string of
// comma-separated globs ('-*,spawnguard-*'). A mapping never reaches YAML
// I/O: the shape check refuses it first.
struct CheckGlobsValue {
  std::vector<std::string> List;
  std::string Text;
  bool IsString = false;
  struct NoMapping {};
  NoMapping Mapping;

  std::vector<std::string> globs() && {
    if (!IsString) {
      return std::move(List);
    }
    llvm::SmallVector<llvm::StringRef, 8> parts;
    llvm::StringRef(Text).split(parts, ',', -1, /*KeepEmpty=*/false);
    std::vector<std::string> globs;
    for (llvm::StringRef part : parts) {
      if (!part.trim().empty()) {
        globs.push_back(part.trim().str());
      }
    }
    return globs;
  }
};

} // namespace
} // namespace spawnguard

namespace llvm::yaml {
template <> struct MappingTraits<spawnguard::CheckGlobsValue::NoMapping> {
  static void mapping(IO &, spawnguard::CheckGlobsValue::NoMapping &) {}
};
template <> struct PolymorphicTraits<spawnguard::CheckGlobsValue> {
  static NodeKind getKind(const spawnguard::CheckGlobsValue &value) {
    return value.IsString ? NodeKind::Scalar : NodeKind::Sequence;
  }
  static std::string &getAsScalar(spawnguard::CheckGlobsValue &value) {
    value.IsString = true;
    return value.Text;
  }
  static std::vector<std::string> &getAsSequence(spawnguard::CheckGlobsValue &value) {
    value.IsString = false;
    return value.List;
  }
  static spawnguard::CheckGlobsValue::NoMapping &getAsMap(spawnguard::CheckGlobsValue &value) {
    return value.Mapping;
  }
};
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
    spawnguard::CheckGlobsValue checks;
    checks.List = config.Checks;
    io.mapOptional("checks", checks);
    config.Checks = std::move(checks).globs();
    io.mapOptional("spawn-functions", config.SpawnFunctions);
    io.mapOptional("bound-functions", config.BoundFunctions);
    io.mapOptional("bounded-spawn-functions", config.BoundedSpawnFunctions);
    io.mapOptional("wait-functions", config.WaitFunctions);
    io.mapOptional("deadline-functions", config.DeadlineFunctions);
    io.mapOptional("strict", config.Strict);
    io.mapOptional("skip-paths", config.SkipPaths);
    io.mapOptional("fix-spawn-through", config.FixSpawnThrough);
    io.mapOptional("fix-deadline-seconds", config.FixDeadlineSeconds);
    // The checks' own keys, handed over as the input's context.
    if (const auto *checkKeys = static_cast<const llvm::ArrayRef<spawnguard::CheckListKey> *>(io.getContext())) {
      for (const spawnguard::CheckListKey &key : *checkKeys) {
        std::vector<std::string> names;
        io.mapOptional(key.Key, names);
        if (!names.empty()) {
          config.CheckLists[key.Key] = std::move(names);
        }
      }
    }
  }
};
} // namespace llvm::yaml

namespace spawnguard {
namespace {

constexpr const char *ConfigFileName = ".spawnguard.yaml";
constexpr const char *CommonKeys = "checks, spawn-functions, bound-functions, bounded-spawn-functions, "
                                   "wait-functions, deadline-functions, strict, skip-paths, fix-spawn-through, "
                                   "fix-deadline-seconds";

std::string knownKeys(llvm::ArrayRef<CheckListKey> checkKeys) {
  std::string keys = CommonKeys;
  for (const CheckListKey &key : checkKeys) {
    keys += std::string(", ") + key.Key;
  }
  return keys;
}

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

const char *kindName(const llvm::yaml::Node *node) {
  switch (node->getType()) {
  case llvm::yaml::Node::NK_Null:
    return "nothing";
  case llvm::yaml::Node::NK_Scalar:
  case llvm::yaml::Node::NK_BlockScalar:
    return "a single value";
  case llvm::yaml::Node::NK_KeyValue:
  case llvm::yaml::Node::NK_Mapping:
    return "a mapping";
  case llvm::yaml::Node::NK_Sequence:
    return "a list";
  case llvm::yaml::Node::NK_Alias:
    return "an alias";
  }
  return "an unknown node";
}

// The shape of the file, checked on the YAML parser's nodes before YAML I/O
// maps it: the errors YAML I/O words badly or not at all (aliases, a file or
// list entry of the wrong kind, empty names, invalid globs), each at its own
// line and column and with its key.
class ConfigShapeCheck {
public:
  ConfigShapeCheck(llvm::StringRef text, llvm::StringRef path, llvm::ArrayRef<CheckListKey> checkKeys)
      : Text(text), Path(path), CheckKeys(checkKeys) {
    Sources.setDiagHandler([](const llvm::SMDiagnostic &, void *) {}, nullptr); // YAML I/O reports syntax errors
  }

  std::optional<std::string> firstProblem() {
    llvm::yaml::Stream stream(Text, Sources, /*ShowColors=*/false);
    unsigned documents = 0;
    for (llvm::yaml::Document &document : stream) {
      llvm::yaml::Node *root = document.getRoot();
      if (root == nullptr || Problem) {
        break;
      }
      if (++documents > 1) {
        report(root, "", "a second YAML document: a configuration is one mapping", "remove the '---' and what follows");
        break;
      }
      checkRoot(root);
      document.skip();
    }
    return Problem;
  }

private:
  void report(const llvm::yaml::Node *node, llvm::StringRef key, const llvm::Twine &problem, const llvm::Twine &fix) {
    // A node the scanner gave up inside ("s: &a[" then a byte it rejects)
    // can start outside the buffer; YAML I/O reports that syntax error itself.
    llvm::SMLoc start = node->getSourceRange().Start;
    if (Problem || !start.isValid() || Sources.FindBufferContainingLoc(start) == 0) {
      return;
    }
    auto [line, column] = Sources.getLineAndColumn(start);
    std::string message;
    llvm::raw_string_ostream os(message);
    os << Path << ":" << line << ":" << column << ": ";
    if (!key.empty()) {
      os << "bad value for key '" << key << "': ";
    }
    os << problem << " (" << fix << ")";
    Problem = std::move(message);
  }

  void checkRoot(llvm::yaml::Node *root) {
    if (llvm::isa<llvm::yaml::NullNode>(root)) {
      return; // an empty file: the defaults
    }
    auto *mapping = llvm::dyn_cast<llvm::yaml::MappingNode>(root);
    if (mapping == nullptr) {
      report(root, "", llvm::Twine("the configuration is ") + kindName(root) + ", not a mapping of keys",
             "write 'key: value' lines, e.g. \"checks: ['-*', 'spawnguard-unbounded-spawn']\"");
      return;
    }
    for (llvm::yaml::KeyValueNode &entry : *mapping) {
      auto *keyNode = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(entry.getKey());
      llvm::yaml::Node *value = entry.getValue();
      if (keyNode == nullptr || value == nullptr || Problem) {
        return; // YAML I/O reports a key that is not a plain word
      }
      llvm::SmallString<32> storage;
      std::string key = keyNode->getValue(storage).str();
      if (llvm::isa<llvm::yaml::AliasNode>(value) || !value->getAnchor().empty()) {
        report(value, key, "YAML anchors and aliases (&name, *name) are not supported",
               "write the value out in full");
      } else if (key == "strict") {
        if (!llvm::isa<llvm::yaml::ScalarNode>(value)) {
          report(value, key, llvm::Twine("found ") + kindName(value), "expected true or false");
        }
      } else if (isListKey(key)) {
        checkList(key, value);
      }
    }
  }

  bool isListKey(llvm::StringRef key) const {
    return key == "checks" || key == "skip-paths" || key.ends_with("-functions") ||
           llvm::any_of(CheckKeys, [key](const CheckListKey &own) { return key == own.Key; });
  }

  void checkList(const std::string &key, llvm::yaml::Node *value) {
    auto *list = llvm::dyn_cast<llvm::yaml::SequenceNode>(value);
    if (key == "checks" && llvm::isa<llvm::yaml::ScalarNode>(value)) {
      return; // clang-tidy's form: one string of comma-separated globs
    }
    if (list == nullptr) {
      if (!llvm::isa<llvm::yaml::NullNode>(value)) {
        report(value, key, llvm::Twine("found ") + kindName(value),
               key == "checks" ? "expected a list of globs, or one string of them as clang-tidy writes it, "
                                 "e.g. '-*,spawnguard-*'"
                               : "expected a list of strings, e.g. ['::ns::name']");
      }
      return;
    }
    for (llvm::yaml::Node &item : *list) {
      if (Problem) {
        return;
      }
      auto *scalar = llvm::dyn_cast<llvm::yaml::ScalarNode>(&item);
      if (scalar == nullptr || !item.getAnchor().empty()) {
        report(&item, key,
               llvm::isa<llvm::yaml::AliasNode>(&item) || !item.getAnchor().empty()
                   ? llvm::Twine("YAML anchors and aliases (&name, *name) are not supported")
                   : llvm::Twine("a list entry is ") + kindName(&item),
               "write each entry as a plain string");
        continue;
      }
      llvm::SmallString<64> storage;
      llvm::StringRef text = scalar->getValue(storage).trim();
      if (text.empty() || text == "::") {
        report(&item, key, key == "checks" ? "an empty check glob" : "an empty name",
               key == "checks" ? "name checks or globs listed by --list-checks"
                               : "give a fully qualified name, e.g. '::jobs::submit', or remove the entry");
      } else if (key == "skip-paths") {
        llvm::Expected<llvm::GlobPattern> glob = llvm::GlobPattern::create(text);
        if (!glob) {
          report(&item, key, "invalid glob '" + text + "': " + llvm::toString(glob.takeError()),
                 "fix the pattern (*, ?, [abc], {a,b} as in a shell)");
        }
      }
    }
  }

  llvm::StringRef Text;
  llvm::StringRef Path;
  llvm::ArrayRef<CheckListKey> CheckKeys;
  llvm::SourceMgr Sources;
  std::optional<std::string> Problem;
};

} // namespace

llvm::Expected<ConfigFile> parseConfigText(llvm::StringRef text, llvm::StringRef path,
                                           llvm::ArrayRef<CheckListKey> checkKeys) {
  ConfigFile config;
  config.Path = path.str();
  config.Text = text.str();
  if (std::optional<std::string> problem = ConfigShapeCheck(text, path, checkKeys).firstProblem()) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), *problem);
  }
  FirstYamlError first;
  llvm::yaml::Input input(llvm::MemoryBufferRef(text, path), &checkKeys, keepFirstError, &first);
  input >> config;
  if (!input.error() && !first.Seen) {
    for (const std::string &glob : config.SkipPaths) {
      // The shape check refused a bad glob with its line; none is left here.
      config.SkipPatterns.push_back(llvm::cantFail(llvm::GlobPattern::create(glob)));
    }
    return config;
  }
  std::string message;
  llvm::raw_string_ostream os(message);
  const llvm::SMDiagnostic &diagnostic = first.Diagnostic;
  if (!first.Seen || diagnostic.getLineNo() == 0) {
    // YAML I/O failed with no position: say so rather than print line 0.
    os << path << ": " << (first.Seen ? diagnostic.getMessage() : llvm::StringRef("not a valid configuration"))
       << " (see docs/configuration.md for the keys and their values)";
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  }
  os << path << ":" << diagnostic.getLineNo() << ":" << (diagnostic.getColumnNo() + 1) << ": ";
  llvm::StringRef what = diagnostic.getMessage();
  if (what.starts_with("unknown key")) {
    os << what << " (known keys: " << knownKeys(checkKeys) << ")";
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

bool ConfigFile::skips(llvm::StringRef relativePath) const {
  for (size_t index = 0; index < SkipPatterns.size(); ++index) {
    if (SkipPatterns[index].match(relativePath) || relativePath.starts_with(SkipPaths[index])) {
      return true;
    }
  }
  return false;
}

llvm::Expected<ConfigFile> parseConfigFile(llvm::StringRef path, llvm::ArrayRef<CheckListKey> checkKeys) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    return llvm::createStringError(buffer.getError(), "cannot read configuration file '%s': %s",
                                   path.str().c_str(), buffer.getError().message().c_str());
  }
  return parseConfigText((*buffer)->getBuffer(), path, checkKeys);
}

ConfigLocator::ConfigLocator(std::string explicitConfigFile, std::vector<CheckListKey> checkKeys)
    : ExplicitConfigFile(std::move(explicitConfigFile)), CheckKeys(std::move(checkKeys)) {}

llvm::Expected<std::shared_ptr<const ConfigFile>> ConfigLocator::load(const std::string &path) {
  if (auto known = ByPath.find(path); known != ByPath.end()) {
    return known->second;
  }
  std::shared_ptr<const ConfigFile> config;
  if (path.empty()) {
    config = std::make_shared<const ConfigFile>();
  } else {
    llvm::Expected<ConfigFile> parsed = parseConfigFile(path, CheckKeys);
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
