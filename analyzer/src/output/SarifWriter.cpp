// SARIF 2.1.0 as GitHub code scanning reads it: stable rule ids tagged with
// the weaknesses their registry row names, repo-relative URIs under %SRCROOT%, regions, related locations for
// the notes, and partialFingerprints.
#include "checks/CheckRegistry.hpp"
#include "files/RepoPaths.hpp"
#include "output/FindingWriters.hpp"
#include "output/SarifFixes.hpp"

#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/JSON.h>

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

// The rules and their weakness tags, from the registry's rows.
llvm::json::Array rules() {
  llvm::json::Array list;
  for (const CheckInfo &check : allChecks()) {
    std::string fullDescription = check.Description;
    llvm::json::Array tags{"reliability"};
    llvm::json::Array weaknesses;
    for (const WeaknessTag &weakness : check.Weaknesses) {
      fullDescription += std::string(". ") + weakness.Id + ": " + weakness.Title + ".";
      tags.push_back("external/cwe/" + llvm::StringRef(weakness.Id).lower());
      weaknesses.push_back(weakness.Id);
    }
    list.push_back(llvm::json::Object{
        {"id", check.Name},
        {"name", check.Name},
        {"shortDescription", llvm::json::Object{{"text", check.Description}}},
        {"fullDescription", llvm::json::Object{{"text", std::move(fullDescription)}}},
        {"defaultConfiguration", llvm::json::Object{{"level", "warning"}}},
        {"properties", llvm::json::Object{{"tags", std::move(tags)}, {"cwe", std::move(weaknesses)}}},
    });
  }
  return list;
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

void writeSarif(llvm::raw_ostream &out, const std::vector<Finding> &findings, const std::string &root,
                const std::vector<std::string> &failedUnits) {
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
        {"level", "warning"},
        {"message", llvm::json::Object{{"text", finding.Message}}},
        {"locations", llvm::json::Array{llvm::json::Object{{"physicalLocation", physicalLocation(finding.Where, root)}}}},
        {"relatedLocations", std::move(related)},
        {"partialFingerprints", llvm::json::Object{{"spawnguardKey/v1", prints[index]}}},
    };
    if (finding.Fix) {
      result["fixes"] = sarifFixes(*finding.Fix, [&](const std::string &file) {
        return std::move(*physicalLocation({file, 0, 0}, root).getObject("artifactLocation"));
      });
    }
    results.push_back(std::move(result));
  }
  llvm::json::Object driver{{"name", "spawnguard-lint"},
                            {"version", SPAWNGUARD_VERSION},
                            {"rules", rules()}};
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
  llvm::json::Value document(llvm::json::Object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                                                {"version", "2.1.0"},
                                                {"runs", llvm::json::Array{std::move(run)}}});
  out << llvm::formatv("{0:2}", document) << "\n";
}

} // namespace spawnguard
