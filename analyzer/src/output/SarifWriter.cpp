// SARIF 2.1.0 as GitHub code scanning reads it: rules with help (the checks'
// docs pages), a PascalCase name, tags for the weaknesses their registry row
// names and its rating; results at repo-relative URIs under %SRCROOT% with
// the notes as related locations, the repetition chain as a code flow, and
// partialFingerprints; the run's category (automationDetails) when given.
#include "checks/CheckRegistry.hpp"
#include "files/RepoPaths.hpp"
#include "output/CheckDocs.hpp"
#include "output/FindingWriters.hpp"
#include "output/SarifFixes.hpp"

#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/JSON.h>

#include <optional>

namespace spawnguard {
namespace {

llvm::json::Object physicalLocation(const FindingLocation &where, const std::string &root) {
  std::string relative = relativeToRoot(root, where.File);
  llvm::json::Object artifact{{"uri", relative}};
  if (relative != where.File) {
    artifact["uriBaseId"] = "%SRCROOT%";
  } else {
    artifact["uri"] = "file://" + where.File;
  }
  return llvm::json::Object{
      {"artifactLocation", std::move(artifact)},
      {"region", llvm::json::Object{{"startLine", where.Line}, {"startColumn", where.Column}}}};
}

// "spawnguard-unbounded-spawn" is "UnboundedSpawn".
std::string pascalCaseName(llvm::StringRef check) {
  check.consume_front("spawnguard-");
  llvm::SmallVector<llvm::StringRef, 4> words;
  check.split(words, '-', -1, /*KeepEmpty=*/false);
  std::string name;
  for (llvm::StringRef word : words) {
    name += llvm::toUpper(word.front());
    name += word.drop_front().str();
  }
  return name;
}

// The level a check's findings have: an error when --warnings-as-errors names it.
const char *levelOf(const std::string &check, const OutputSettings &settings) {
  return settings.ErrorChecks.count(check) ? "error" : "warning";
}

// The rules, from the registry's rows: help from the docs pages, weakness
// tags, and the rating code scanning sorts and filters by.
llvm::json::Array rules(const OutputSettings &settings) {
  llvm::json::Array list;
  for (const CheckInfo &check : allChecks()) {
    std::string fullDescription = check.Description;
    llvm::json::Array tags{"security", "reliability"};
    llvm::json::Array weaknesses;
    for (const WeaknessTag &weakness : check.Weaknesses) {
      fullDescription += std::string(". ") + weakness.Id + ": " + weakness.Title + ".";
      tags.push_back("external/cwe/" + llvm::StringRef(weakness.Id).lower());
      weaknesses.push_back(weakness.Id);
    }
    std::string page = checkDocPage(check.Name).str();
    std::string url = checkDocUrl(check.Name);
    llvm::json::Object rule{
        {"id", check.Name},
        {"name", pascalCaseName(check.Name)},
        {"shortDescription", llvm::json::Object{{"text", check.Description}}},
        {"fullDescription", llvm::json::Object{{"text", std::move(fullDescription)}}},
        {"helpUri", url},
        {"help", llvm::json::Object{{"text", page.empty() ? std::string(check.Description) + ". See " + url : page},
                                    {"markdown", page.empty() ? "See [the check's page](" + url + ")." : page}}},
        {"defaultConfiguration", llvm::json::Object{{"level", levelOf(check.Name, settings)}}},
        {"properties", llvm::json::Object{{"tags", std::move(tags)},
                                          {"cwe", std::move(weaknesses)},
                                          {"security-severity", check.Rating.SecuritySeverity},
                                          {"precision", check.Rating.Precision},
                                          {"problem.severity", check.Rating.ProblemSeverity}}},
    };
    list.push_back(std::move(rule));
  }
  return list;
}

// The chain that repeats the finding, in the order it runs: the notes at
// other places than the finding are its steps, written from the finding
// outward (spawn, called from, repeated by this loop), so reversed here;
// the finding's own place ends the flow. None for a finding without steps.
std::optional<llvm::json::Array> codeFlows(const Finding &finding, const std::string &root) {
  llvm::json::Array steps;
  for (auto note = finding.Notes.rbegin(); note != finding.Notes.rend(); ++note) {
    if (note->Where.key() == finding.Where.key()) {
      continue; // advice at the finding itself: bound it, give it a deadline
    }
    steps.push_back(llvm::json::Object{
        {"location", llvm::json::Object{{"physicalLocation", physicalLocation(note->Where, root)},
                                        {"message", llvm::json::Object{{"text", note->Message}}}}}});
  }
  if (steps.empty()) {
    return std::nullopt;
  }
  steps.push_back(llvm::json::Object{
      {"location", llvm::json::Object{{"physicalLocation", physicalLocation(finding.Where, root)},
                                      {"message", llvm::json::Object{{"text", finding.Message}}}}}});
  return llvm::json::Array{llvm::json::Object{
      {"message", llvm::json::Object{{"text", "how the finding repeats"}}},
      {"threadFlows", llvm::json::Array{llvm::json::Object{{"locations", std::move(steps)}}}}}};
}

int ruleIndex(const std::string &check) {
  const std::vector<CheckInfo> &checks = allChecks();
  for (size_t index = 0; index < checks.size(); ++index) {
    if (check == checks[index].Name) {
      return static_cast<int>(index);
    }
  }
  return -1;
}

} // namespace

void writeSarif(llvm::raw_ostream &out, const std::vector<Finding> &findings, const OutputSettings &settings,
                const std::vector<std::string> &failedUnits) {
  const std::string &root = settings.Root;
  std::vector<std::string> prints = fingerprints(findings, root);
  llvm::json::Array results;
  for (size_t index = 0; index < findings.size(); ++index) {
    const Finding &finding = findings[index];
    llvm::json::Array related;
    int noteId = 1;
    for (const FindingNote &note : finding.Notes) {
      related.push_back(llvm::json::Object{{"id", noteId++},
                                           {"physicalLocation", physicalLocation(note.Where, root)},
                                           {"message", llvm::json::Object{{"text", note.Message}}}});
    }
    llvm::json::Object result{
        {"ruleId", finding.Check},
        {"ruleIndex", ruleIndex(finding.Check)},
        {"level", levelOf(finding.Check, settings)},
        {"message", llvm::json::Object{{"text", finding.Message}}},
        {"locations", llvm::json::Array{llvm::json::Object{{"physicalLocation", physicalLocation(finding.Where, root)}}}},
        {"relatedLocations", std::move(related)},
        {"partialFingerprints", llvm::json::Object{{"spawnguardKey/v1", prints[index]}}},
    };
    if (std::optional<llvm::json::Array> flows = codeFlows(finding, root)) {
      result["codeFlows"] = std::move(*flows);
    }
    if (finding.Fix) {
      result["fixes"] = sarifFixes(*finding.Fix, [&](const std::string &file) {
        return std::move(*physicalLocation({file, 0, 0}, root).getObject("artifactLocation"));
      });
    }
    results.push_back(std::move(result));
  }
  llvm::json::Object driver{{"name", "spawnguard-lint"},
                            {"version", SPAWNGUARD_VERSION},
                            {"semanticVersion", SPAWNGUARD_VERSION},
                            {"informationUri", SPAWNGUARD_HOMEPAGE_URL},
                            {"rules", rules(settings)}};
  // A run with failed units says so, so that code scanning does not take a
  // partial result for a clean one.
  llvm::json::Array notifications;
  for (const std::string &failure : failedUnits) {
    notifications.push_back(llvm::json::Object{{"level", "error"}, {"message", llvm::json::Object{{"text", failure}}}});
  }
  llvm::json::Object invocation{{"executionSuccessful", failedUnits.empty()}};
  if (!notifications.empty()) {
    invocation["toolExecutionNotifications"] = std::move(notifications);
  }
  llvm::json::Object run{
      {"tool", llvm::json::Object{{"driver", std::move(driver)}}},
      {"invocations", llvm::json::Array{std::move(invocation)}},
      {"originalUriBaseIds", llvm::json::Object{{"%SRCROOT%", llvm::json::Object{{"uri", "file://" + root + "/"}}}}},
      {"columnKind", "utf16CodeUnits"},
      {"results", std::move(results)}};
  if (!settings.SarifCategory.empty()) {
    // Code scanning takes what comes before the last '/' as the category.
    std::string id = settings.SarifCategory;
    if (!llvm::StringRef(id).ends_with("/")) {
      id += "/";
    }
    run["automationDetails"] = llvm::json::Object{{"id", std::move(id)}};
  }
  llvm::json::Value document(llvm::json::Object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                                                {"version", "2.1.0"},
                                                {"runs", llvm::json::Array{std::move(run)}}});
  out << llvm::formatv("{0:2}", document) << "\n";
}

} // namespace spawnguard
