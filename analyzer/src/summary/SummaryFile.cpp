// Writing and reading summary files, with the version and source-hash checks.
#include "summary/SummaryFile.hpp"

#include "output/AtomicOutput.hpp"
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
std::set<std::string> referencedFiles(const TranslationUnitSummary &summary) {
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

} // namespace

std::string summaryFileName(const std::string &translationUnit) {
  std::string hash = llvm::utohexstr(llvm::xxh3_64bits(translationUnit), /*LowerCase=*/true, 16);
  return llvm::sys::path::filename(translationUnit).str() + "-" + hash + ".summary.json";
}

llvm::Error writeSummaryFile(const std::string &path, const TranslationUnitSummary &summary) {
  json::Object sources;
  for (const std::string &file : referencedFiles(summary)) {
    sources[file] = contentHash(file);
  }
  json::Object document{{"format", FormatName},
                        {"version", SummaryFormatVersion},
                        {"sources", std::move(sources)},
                        {"summary", toJSON(summary)}};
  json::Value value(std::move(document));
  return writeFileAtomically(path, "summary", [&](llvm::raw_ostream &out) { out << llvm::formatv("{0:1}", value) << "\n"; });
}

llvm::Expected<TranslationUnitSummary> readSummaryFile(const std::string &path) {
  constexpr llvm::StringLiteral Rerun = "re-run the shard that wrote it (spawnguard-lint --summaries-dir) with this "
                                        "spawnguard-lint, or remove the file";
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    return summaryError(path, "cannot be read: " + buffer.getError().message(), "check the path given to --merge");
  }
  llvm::Expected<json::Value> parsed = json::parse((*buffer)->getBuffer());
  buffer->reset(); // the values are copies: the file's bytes need not be held beside them
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
  TranslationUnitSummary summary;
  json::Path::Root root("summary");
  const json::Value *body = document->get("summary");
  if (body == nullptr || !fromJSON(*body, summary, root)) {
    std::string problem = body == nullptr ? "has no \"summary\"" : llvm::toString(root.getError());
    return summaryError(path, "is malformed: " + problem, Rerun);
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

llvm::Expected<std::vector<TranslationUnitSummary>> readSummaryFolders(const std::vector<std::string> &folders) {
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
  std::vector<TranslationUnitSummary> summaries;
  std::map<std::string, std::string> fileOfUnit;
  for (const std::string &path : paths) {
    llvm::Expected<TranslationUnitSummary> summary = readSummaryFile(path);
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
