// Writing and reading summary files, with the version and source-hash checks.
#include "summary/SummaryFile.hpp"

#include "files/AtomicOutput.hpp"
#include "summary/SummaryJson.hpp"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/xxhash.h>

#include <algorithm>
#include <map>
#include <set>

namespace spawnguard {
namespace {

namespace json = llvm::json;

constexpr llvm::StringLiteral FormatName = "spawnguard-lint translation unit summary";

llvm::Error summaryError(const std::string &path, const llvm::Twine &problem, llvm::StringRef fix) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "summary '" + path + "' " + problem + "\n  fix: " + fix);
}

// The hash of a file's bytes, or "" when it cannot be read.
std::string contentHash(const std::string &file) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(file);
  if (!buffer) {
    return "";
  }
  return llvm::utohexstr(llvm::xxh3_64bits((*buffer)->getBuffer()), /*LowerCase=*/true, 16);
}

// Every file a summary points into: its lines are rendered at merge time.
std::set<std::string> referencedFiles(const SummarisedUnit &summary) {
  std::set<std::string> files{summary.File};
  for (const SummaryFunction &function : summary.Functions) {
    files.insert(function.Where.File);
  }
  auto insertSteps = [&files](const std::optional<LocalRepetition> &repetition) {
    if (!repetition) {
      return;
    }
    for (const SummaryStep &step : repetition->Steps) {
      files.insert(step.Where.File);
    }
  };
  for (const SummaryCall &call : summary.Calls) {
    files.insert(call.Where.File);
    insertSteps(call.Repeated);
    insertSteps(call.TaskRepeated);
  }
  for (const SummarySpawn &spawn : summary.Spawns) {
    files.insert(spawn.Where.File);
    insertSteps(spawn.TaskRepeated);
  }
  for (const SummaryWait &wait : summary.Waits) {
    files.insert(wait.Where.File);
    if (wait.TurnedOffAt) {
      files.insert(wait.TurnedOffAt->File);
    }
  }
  for (const Finding &finding : summary.Findings) {
    files.insert(finding.Where.File);
    for (const FindingNote &note : finding.Notes) {
      files.insert(note.Where.File);
    }
  }
  files.erase("");
  return files;
}

// The record kinds after the header line, each with the summary's list it
// goes to (and its name in JSON paths of errors: summary.spawns[0].where).
template <typename Record> struct RecordList {
  llvm::StringLiteral Key;
  llvm::StringLiteral Path;
  std::vector<Record> SummarisedUnit::*List;
};
constexpr RecordList<SummaryFunction> Functions{"function", "functions", &TranslationUnitSummary::Functions};
constexpr RecordList<SummaryCall> Calls{"call", "calls", &TranslationUnitSummary::Calls};
constexpr RecordList<SummarySpawn> Spawns{"spawn", "spawns", &TranslationUnitSummary::Spawns};
constexpr RecordList<SummaryWait> Waits{"wait", "waits", &TranslationUnitSummary::Waits};
constexpr RecordList<Finding> Findings{"finding", "findings", &SummarisedUnit::Findings};

template <typename Record>
void writeRecords(llvm::raw_ostream &out, const SummarisedUnit &summary, const RecordList<Record> &records) {
  for (const Record &record : summary.*records.List) {
    out << json::Value(json::Object{{records.Key, toJSON(record)}}) << "\n";
  }
}

// Reads the record on one line if it is of this kind; false on a malformed one.
template <typename Record>
bool readRecord(const json::Object &line, SummarisedUnit &summary, const RecordList<Record> &records,
                std::map<llvm::StringRef, size_t> &counts, bool &matched, json::Path::Root &root) {
  const json::Value *value = line.get(records.Key);
  if (value == nullptr) {
    return true;
  }
  matched = true;
  Record record;
  if (!fromJSON(*value, record, json::Path(root).field(records.Path).index(counts[records.Path]++))) {
    return false;
  }
  (summary.*records.List).push_back(std::move(record));
  return true;
}

} // namespace

std::string summaryFileName(const std::string &translationUnit) {
  std::string hash = llvm::utohexstr(llvm::xxh3_64bits(translationUnit), /*LowerCase=*/true, 16);
  return llvm::sys::path::filename(translationUnit).str() + "-" + hash + ".summary.json";
}

// A header line, then one record per line: the merge parses one line at a
// time, so it holds one record's JSON values at once and not the whole
// file's (llvm::json gives each object 64 hash buckets: a 15 MB summary was
// 300 MB of values).
llvm::Error writeSummaryFile(const std::string &path, const SummarisedUnit &summary) {
  json::Object sources;
  for (const std::string &file : referencedFiles(summary)) {
    sources[file] = contentHash(file);
  }
  json::Value header(json::Object{{"format", FormatName},
                                  {"version", SummaryFormatVersion},
                                  {"sources", std::move(sources)},
                                  {"translationUnit", summary.File},
                                  {"enabledChecks", summary.EnabledChecks}});
  return writeFileAtomically(path, "summary", [&](llvm::raw_ostream &out) {
    out << header << "\n";
    writeRecords(out, summary, Functions);
    writeRecords(out, summary, Calls);
    writeRecords(out, summary, Spawns);
    writeRecords(out, summary, Waits);
    writeRecords(out, summary, Findings);
  });
}

llvm::Expected<SummarisedUnit> readSummaryFile(const std::string &path) {
  constexpr llvm::StringLiteral Rerun = "re-run the shard that wrote it (spawnguard-lint --summaries-dir) with this "
                                        "spawnguard-lint, or remove the file";
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    return summaryError(path, "cannot be read: " + buffer.getError().message(), "check the path given to --merge");
  }
  auto [headerText, rest] = (*buffer)->getBuffer().split('\n');
  llvm::Expected<json::Value> parsed = json::parse(headerText);
  if (!parsed) {
    return summaryError(path, "is not JSON: " + llvm::toString(parsed.takeError()), Rerun);
  }
  const json::Object *document = parsed->getAsObject();
  if (document == nullptr || document->getString("format") != FormatName) {
    return summaryError(path, "is not a spawnguard-lint summary (no \"format\": \"" + FormatName + "\")", Rerun);
  }
  std::optional<int64_t> version = document->getInteger("version");
  if (version != SummaryFormatVersion) {
    return summaryError(path,
                        "has format version " + (version ? std::to_string(*version) : std::string("(none)")) +
                            ", this spawnguard-lint reads version " + std::to_string(SummaryFormatVersion),
                        Rerun);
  }
  SummarisedUnit summary;
  json::Path::Root root("summary");
  std::optional<llvm::StringRef> unit = document->getString("translationUnit");
  const json::Value *checks = document->get("enabledChecks");
  if (!unit || checks == nullptr || !fromJSON(*checks, summary.EnabledChecks, json::Path(root).field("enabledChecks"))) {
    return summaryError(path, "is malformed: its first line has no \"translationUnit\" or \"enabledChecks\"", Rerun);
  }
  summary.File = unit->str();
  std::map<llvm::StringRef, size_t> counts;
  unsigned lineNumber = 1;
  for (llvm::StringRef line = rest; !line.empty();) {
    llvm::StringRef text;
    std::tie(text, line) = line.split('\n');
    ++lineNumber;
    if (text.trim().empty()) {
      continue;
    }
    llvm::Expected<json::Value> record = json::parse(text);
    if (!record) {
      return summaryError(path, "is not JSON at line " + llvm::Twine(lineNumber) + ": " +
                                    llvm::toString(record.takeError()), Rerun);
    }
    const json::Object *object = record->getAsObject();
    bool matched = false;
    bool wellFormed = object != nullptr && readRecord(*object, summary, Functions, counts, matched, root) &&
                      readRecord(*object, summary, Calls, counts, matched, root) &&
                      readRecord(*object, summary, Spawns, counts, matched, root) &&
                      readRecord(*object, summary, Waits, counts, matched, root) &&
                      readRecord(*object, summary, Findings, counts, matched, root);
    if (!wellFormed || !matched) {
      std::string problem = !wellFormed && object != nullptr ? llvm::toString(root.getError())
                                                              : "line " + std::to_string(lineNumber) +
                                                                    " is not a function, call, spawn, wait or finding";
      return summaryError(path, "is malformed: " + problem, Rerun);
    }
  }
  const json::Object *sources = document->getObject("sources");
  if (sources == nullptr) {
    return summaryError(path, "is malformed: no \"sources\"", Rerun);
  }
  for (const std::string &file : referencedFiles(summary)) {
    const json::Value *recorded = sources->get(file);
    std::optional<llvm::StringRef> hash = recorded != nullptr ? recorded->getAsString() : std::nullopt;
    std::string now = contentHash(file);
    if (now.empty()) {
      return summaryError(path, "points into '" + file + "', which no longer exists or cannot be read", Rerun);
    }
    if (!hash || *hash != now) {
      return summaryError(path, "is stale: '" + file + "' changed since the summary was written", Rerun);
    }
  }
  return summary;
}

llvm::Expected<std::vector<SummarisedUnit>> readSummaryFolders(const std::vector<std::string> &folders) {
  std::vector<std::string> paths;
  for (const std::string &folder : folders) {
    if (!llvm::sys::fs::is_directory(folder)) {
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "'%s' is not a folder of summaries\n  fix: pass --merge the folder given to "
                                     "--summaries-dir",
                                     folder.c_str());
    }
    std::error_code error;
    for (llvm::sys::fs::directory_iterator entry(folder, error), end; entry != end && !error;
         entry.increment(error)) {
      if (llvm::StringRef(entry->path()).ends_with(".summary.json")) {
        paths.push_back(entry->path());
      }
    }
    if (error) {
      return llvm::createStringError(error, "cannot list '%s': %s", folder.c_str(), error.message().c_str());
    }
  }
  std::sort(paths.begin(), paths.end(), [](const std::string &a, const std::string &b) {
    return llvm::sys::path::filename(a) < llvm::sys::path::filename(b);
  });
  std::vector<SummarisedUnit> summaries;
  std::map<std::string, std::string> fileOfUnit;
  for (const std::string &path : paths) {
    llvm::Expected<SummarisedUnit> summary = readSummaryFile(path);
    if (!summary) {
      return summary.takeError();
    }
    auto [known, fresh] = fileOfUnit.emplace(summary->File, path);
    if (!fresh) {
      return summaryError(path, "summarises '" + summary->File + "' again (also in '" + known->second + "')",
                          "give --merge each shard's folder once, and lint each file in one shard only");
    }
    summaries.push_back(std::move(*summary));
  }
  return summaries;
}

} // namespace spawnguard
