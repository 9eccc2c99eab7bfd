// Writing and checking shard.json with llvm::json.
#include "summary/ShardManifest.hpp"

#include "files/AtomicOutput.hpp"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <set>

namespace spawnguard {
namespace {

namespace json = llvm::json;

constexpr llvm::StringLiteral FormatName = "spawnguard-lint shard";
constexpr int FormatVersion = 1;
constexpr llvm::StringLiteral Rerun = "re-run that shard (spawnguard-lint -p BUILD_DIR --summaries-dir DIR FILES...) "
                                      "with this spawnguard-lint";

std::string manifestPath(const std::string &folder) {
  llvm::SmallString<256> path(folder);
  llvm::sys::path::append(path, ShardManifestName);
  return std::string(path);
}

llvm::Error manifestError(const std::string &path, const llvm::Twine &problem, const llvm::Twine &fix) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "shard '" + path + "' " + problem + "\n  fix: " + fix);
}

bool readStrings(const json::Object &object, llvm::StringRef key, std::vector<std::string> &into) {
  const json::Array *array = object.getArray(key);
  if (array == nullptr) {
    return false;
  }
  for (const json::Value &value : *array) {
    std::optional<llvm::StringRef> text = value.getAsString();
    if (!text) {
      return false;
    }
    into.push_back(text->str());
  }
  return true;
}

bool readUnits(const json::Object &object, std::vector<ShardUnit> &into) {
  const json::Array *array = object.getArray("units");
  if (array == nullptr) {
    return false;
  }
  for (const json::Value &value : *array) {
    const json::Object *unit = value.getAsObject();
    std::optional<llvm::StringRef> file = unit != nullptr ? unit->getString("file") : std::nullopt;
    std::optional<llvm::StringRef> summary = unit != nullptr ? unit->getString("summary") : std::nullopt;
    if (!file || !summary) {
      return false;
    }
    into.push_back({file->str(), summary->str()});
  }
  return true;
}

} // namespace

llvm::Error writeShardManifest(const std::string &folder, const ShardManifest &manifest) {
  json::Array units;
  for (const ShardUnit &unit : manifest.Units) {
    units.push_back(json::Object{{"file", unit.File}, {"summary", unit.Summary}});
  }
  json::Value document(json::Object{{"format", FormatName},
                                    {"version", FormatVersion},
                                    {"database", manifest.Database},
                                    {"database-files", manifest.DatabaseFiles},
                                    {"units", std::move(units)},
                                    {"skipped", manifest.Skipped}});
  return writeFileAtomically(manifestPath(folder), "shard manifest",
                             [&](llvm::raw_ostream &out) { out << llvm::formatv("{0:1}", document) << "\n"; });
}

llvm::Expected<ShardManifest> readShardManifest(const std::string &folder) {
  std::string path = manifestPath(folder);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    return manifestError(folder, llvm::Twine("has no readable ") + ShardManifestName + " (" +
                                     buffer.getError().message() +
                                     "): it was not written by --summaries-dir of this spawnguard-lint",
                         Rerun);
  }
  llvm::Expected<json::Value> parsed = json::parse((*buffer)->getBuffer());
  if (!parsed) {
    return manifestError(path, "is not JSON: " + llvm::toString(parsed.takeError()), Rerun);
  }
  const json::Object *document = parsed->getAsObject();
  if (document == nullptr || document->getString("format") != FormatName ||
      document->getInteger("version") != FormatVersion) {
    return manifestError(path, "is not a version " + llvm::Twine(FormatVersion) + " shard manifest", Rerun);
  }
  ShardManifest manifest;
  std::optional<llvm::StringRef> database = document->getString("database");
  if (!database || !readStrings(*document, "database-files", manifest.DatabaseFiles) ||
      !readUnits(*document, manifest.Units) || !readStrings(*document, "skipped", manifest.Skipped)) {
    return manifestError(path, "is malformed (\"database\", \"database-files\", \"units\", \"skipped\")", Rerun);
  }
  manifest.Database = database->str();
  return manifest;
}

llvm::Error checkShardsComplete(const std::vector<std::string> &folders, const std::vector<ShardManifest> &shards) {
  std::set<std::string> covered;
  for (size_t index = 0; index < shards.size(); ++index) {
    for (const ShardUnit &unit : shards[index].Units) {
      llvm::SmallString<256> summary(folders[index]);
      llvm::sys::path::append(summary, unit.Summary);
      if (!llvm::sys::fs::exists(summary)) {
        return manifestError(folders[index],
                             "linted '" + unit.File + "' but its summary '" + summary + "' is missing", Rerun);
      }
      covered.insert(unit.File);
    }
    covered.insert(shards[index].Skipped.begin(), shards[index].Skipped.end());
  }
  for (size_t index = 0; index < shards.size(); ++index) {
    std::vector<std::string> missing;
    for (const std::string &file : shards[index].DatabaseFiles) {
      if (!covered.count(file)) {
        missing.push_back(file);
      }
    }
    if (!missing.empty()) {
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "%zu file(s) of the compilation database '%s' are in no shard given to --merge (first: '%s'): a shard is "
          "missing\n  fix: pass --merge every shard's --summaries-dir folder (each file of the database linted by "
          "one shard)",
          missing.size(), shards[index].Database.c_str(), missing.front().c_str());
    }
  }
  return llvm::Error::success();
}

} // namespace spawnguard
