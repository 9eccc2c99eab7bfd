// The reporting flags spawnguard-lint shares with clang-tidy.
#include "driver/ReportFlags.hpp"

#include "checks/CheckRegistry.hpp"
#include "driver/Options.hpp"
#include "files/RepoPaths.hpp"
#include "output/NolintFilter.hpp"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Regex.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>

namespace spawnguard {

llvm::Expected<std::set<std::string>> warningsAsErrorsChecks() {
  std::set<std::string> checks;
  if (options::WarningsAsErrors.empty()) {
    return checks;
  }
  std::vector<std::string> globs{"-*"};
  for (std::string &glob : splitCheckGlobs(options::WarningsAsErrors)) {
    globs.push_back(std::move(glob));
  }
  llvm::Expected<std::vector<std::string>> named = enabledChecks(globs);
  if (!named) {
    return named.takeError();
  }
  checks.insert(named->begin(), named->end());
  return checks;
}

size_t countWarningsAsErrors(const std::vector<Finding> &findings, const std::set<std::string> &checks) {
  return static_cast<size_t>(
      std::count_if(findings.begin(), findings.end(), [&](const Finding &finding) { return checks.count(finding.Check); }));
}

size_t removeUnmatchedHeaderFindings(std::vector<Finding> &findings, const std::vector<std::string> &mainFiles,
                                     const std::string &root) {
  auto normalised = [](llvm::StringRef file) {
    llvm::SmallString<256> path(file);
    llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
    return std::string(path);
  };
  std::set<std::string> main;
  for (const std::string &file : mainFiles) {
    main.insert(normalised(file));
  }
  llvm::Regex filter(options::HeaderFilter);
  size_t before = findings.size();
  std::erase_if(findings, [&](const Finding &finding) {
    std::string file = normalised(finding.Where.File);
    return !main.count(file) && !filter.match(file) && !filter.match(relativeToRoot(root, file));
  });
  return before - findings.size();
}

void warnAboutNolintNamingNoCheck(const std::vector<std::string> &files, const std::string &root) {
  std::vector<std::string> names;
  for (const CheckInfo &check : allChecks()) {
    names.push_back(check.Name);
  }
  for (const std::string &file : files) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> text = llvm::MemoryBuffer::getFile(file);
    if (!text) {
      continue; // its unit has already failed, naming the file
    }
    for (const NolintName &unknown : nolintNamesMatchingNoCheck((*text)->getBuffer(), "spawnguard-", names)) {
      llvm::errs() << relativeToRoot(root, file) << ":" << unknown.Line << ": warning: NOLINT names '"
                   << unknown.Name << "', which matches no check, so it silences nothing (the checks: "
                   << "spawnguard-lint --list-checks)\n";
    }
  }
}

void printClosingSummary(size_t shown, size_t errors, size_t hiddenInHeaders) {
  if (options::Quiet) {
    return;
  }
  auto warnings = [](size_t count) { return count == 1 ? " warning" : " warnings"; };
  if (hiddenInHeaders > 0) {
    llvm::errs() << "Suppressed " << hiddenInHeaders << warnings(hiddenInHeaders)
                 << " in headers the --header-filter does not match.\n";
  }
  llvm::errs() << shown << warnings(shown) << " generated.\n";
  if (errors > 0) {
    llvm::errs() << errors << warnings(errors) << " treated as errors.\n";
  }
}

} // namespace spawnguard
