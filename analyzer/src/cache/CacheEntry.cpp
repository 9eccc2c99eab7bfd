// A header line (format, version, unit, inputs, declared names), one line per finding, and
// the summary's line when the unit was summarised.
#include "cache/CacheEntry.hpp"

#include "cache/FindingFixJson.hpp"
#include "files/AtomicOutput.hpp"
#include "summary/SummaryJson.hpp"

#include <llvm/Support/MemoryBuffer.h>

namespace spawnguard {
namespace {

namespace json = llvm::json;

constexpr llvm::StringLiteral FormatName = "spawnguard-lint cache entry";

llvm::Error entryError(const std::string &path, const llvm::Twine &problem) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "cache entry '" + path + "' " + problem);
}

// A finding as summary files write it, with its fix-it.
json::Value findingRecord(const Finding &finding) {
  json::Value value = toJSON(finding);
  if (finding.Fix) {
    (*value.getAsObject())["fix"] = toJSON(*finding.Fix);
  }
  return json::Object{{"finding", std::move(value)}};
}

bool readFinding(const json::Value &value, Finding &finding, json::Path path) {
  if (!fromJSON(value, finding, path)) {
    return false;
  }
  const json::Value *fix = value.getAsObject()->get("fix");
  if (fix == nullptr) {
    return true;
  }
  finding.Fix.emplace();
  return fromJSON(*fix, *finding.Fix, path.field("fix"));
}

} // namespace

json::Value toJSON(const UnitInput &input) { return json::Array{input.File, input.Hash}; }

bool fromJSON(const json::Value &value, UnitInput &input, json::Path path) {
  const json::Array *pair = value.getAsArray();
  if (pair == nullptr || pair->size() != 2) {
    path.report("expected [file, hash]");
    return false;
  }
  return json::fromJSON((*pair)[0], input.File, path.index(0)) && json::fromJSON((*pair)[1], input.Hash, path.index(1));
}

llvm::Error writeCacheEntry(const std::string &path, const CacheEntry &entry) {
  json::Value header(json::Object{{"format", FormatName},
                                  {"version", CacheFormatVersion},
                                  {"translationUnit", entry.File},
                                  {"inputs", entry.Inputs},
                                  {"declaredNames", entry.DeclaredNames}});
  return writeFileAtomically(path, "cache entry", [&](llvm::raw_ostream &out) {
    out << header << "\n";
    for (const Finding &finding : entry.Findings) {
      out << findingRecord(finding) << "\n";
    }
    if (entry.Summary) {
      out << json::Value(json::Object{{"summary", toJSON(*entry.Summary)}}) << "\n";
    }
  });
}

llvm::Expected<CacheEntry> readCacheEntry(const std::string &path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    return entryError(path, "cannot be read: " + buffer.getError().message());
  }
  CacheEntry entry;
  json::Path::Root root("entry");
  unsigned lineNumber = 0;
  llvm::StringRef rest = (*buffer)->getBuffer();
  if (!rest.ends_with("\n")) {
    return entryError(path, "is cut short");
  }
  while (!rest.empty()) {
    llvm::StringRef text;
    std::tie(text, rest) = rest.split('\n');
    ++lineNumber;
    llvm::Expected<json::Value> line = json::parse(text);
    if (!line) {
      return entryError(path, "is not JSON at line " + llvm::Twine(lineNumber) + ": " +
                                  llvm::toString(line.takeError()));
    }
    const json::Object *object = line->getAsObject();
    bool wellFormed = object != nullptr;
    if (wellFormed && lineNumber == 1) {
      if (object->getString("format") != FormatName || object->getInteger("version") != CacheFormatVersion) {
        return entryError(path, "is not a cache entry of format version " + llvm::Twine(CacheFormatVersion));
      }
      const json::Value *inputs = object->get("inputs");
      const json::Value *declared = object->get("declaredNames");
      std::optional<llvm::StringRef> unit = object->getString("translationUnit");
      wellFormed = unit && inputs != nullptr && declared != nullptr &&
                   fromJSON(*inputs, entry.Inputs, json::Path(root).field("inputs")) &&
                   fromJSON(*declared, entry.DeclaredNames, json::Path(root).field("declaredNames"));
      entry.File = unit.value_or("").str();
    } else if (const json::Value *finding = wellFormed ? object->get("finding") : nullptr) {
      wellFormed = finding->getAsObject() != nullptr &&
                   readFinding(*finding, entry.Findings.emplace_back(), json::Path(root).field("finding"));
    } else if (const json::Value *summary = wellFormed ? object->get("summary") : nullptr) {
      wellFormed = fromJSON(*summary, entry.Summary.emplace(), json::Path(root).field("summary"));
    } else {
      wellFormed = false;
    }
    if (!wellFormed) {
      return entryError(path, "is malformed at line " + llvm::Twine(lineNumber));
    }
  }
  if (lineNumber == 0) {
    return entryError(path, "is empty");
  }
  return entry;
}

} // namespace spawnguard
