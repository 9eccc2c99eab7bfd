// Orchestrates a lint run and maps every user-caused failure to a message
// naming the thing and the fix, with exit status 2.
#include "driver/Driver.hpp"

#include "cache/ResultCache.hpp"
#include "checks/CheckRegistry.hpp"
#include "config/Config.hpp"
#include "driver/CommandLine.hpp"
#include "driver/CompileDatabase.hpp"
#include "driver/CrashIsolation.hpp"
#include "driver/Failure.hpp"
#include "driver/FixStage.hpp"
#include "driver/NoOpWarnings.hpp"
#include "driver/Options.hpp"
#include "driver/ReportFlags.hpp"
#include "driver/TranslationUnitLint.hpp"
#include "files/AtomicOutput.hpp"
#include "files/RepoPaths.hpp"
#include "output/Baseline.hpp"
#include "output/FindingPipeline.hpp"
#include "output/FindingWriters.hpp"
#include "summary/ShardManifest.hpp"
#include "summary/SummaryFile.hpp"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/ThreadPool.h>
#include <llvm/Support/Threading.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace spawnguard {
namespace {

// The settings of one configuration file, with the command line on top.
llvm::Expected<LintSettings> settingsFor(std::shared_ptr<const ConfigFile> config, const std::string &root) {
  std::vector<std::string> globs = config->Checks;
  for (std::string &glob : splitCheckGlobs(options::Checks)) {
    globs.push_back(std::move(glob));
  }
  // checkOptions refused a bad --checks and warned about its globs already:
  // what is wrong or matches nothing here is the file's.
  std::vector<size_t> unmatched;
  llvm::Expected<std::vector<std::string>> enabled = enabledChecks(globs, &unmatched);
  if (!enabled) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: key 'checks': %s", config->Path.c_str(),
                                   llvm::toString(enabled.takeError()).c_str());
  }
  for (size_t index : unmatched) {
    if (index < config->Checks.size()) {
      warnCheckGlobMatchesNothing(config->Path + ": key 'checks'", globs[index]);
    }
  }
  LintSettings settings;
  settings.EnabledChecks = std::move(*enabled);
  settings.Strict = options::Strict || config->Strict.value_or(false);
  settings.Config = std::move(config);
  settings.Root = root;
  settings.Summarise = !options::NoCrossTranslationUnit;
  settings.ExtraArgsBefore.assign(options::ExtraArgsBefore.begin(), options::ExtraArgsBefore.end());
  settings.ExtraArgs.assign(options::ExtraArgs.begin(), options::ExtraArgs.end());
  return settings;
}

// -o is replaced only by a complete file (temporary, fsync, rename); a failed
// write, to -o or to standard output, is exit 2 naming where.
int writeOutput(const std::vector<Finding> &findings, OutputSettings settings,
                const std::vector<std::string> &failedUnits) {
  if (!options::OutputFile.empty()) {
    if (llvm::Error written = writeFileAtomically(options::OutputFile, "output file", [&](llvm::raw_ostream &out) {
          writeFindings(out, findings, settings, failedUnits);
        })) {
      return fail(llvm::toString(std::move(written)), "pass -o a writable path on a file system with space");
    }
  } else {
    settings.Colour = llvm::sys::Process::StandardOutIsDisplayed();
    writeFindings(llvm::outs(), findings, settings, failedUnits);
    if (llvm::Error written = checkStandardOutput()) {
      return fail(llvm::toString(std::move(written)), "redirect standard output somewhere writable, or pass -o FILE");
    }
  }
  return findings.empty() ? NoFindings : Findings;
}

// The findings of the whole program: each unit's own, then those the
// cross-unit half of the checks makes over the joined summaries.
std::vector<Finding> wholeProgramFindings(const std::vector<const std::vector<Finding> *> &unitFindings,
                                          const std::vector<const TranslationUnitSummary *> &summaries) {
  FindingJoin join;
  for (const std::vector<Finding> *findings : unitFindings) {
    join.addUnitFindings(*findings);
  }
  join.addCrossUnitFindings(runChecksAcrossUnits(summaries));
  return join.take();
}

// Output paths and baseline keys are relative to this, whatever folder the
// lint runs from: --root, else the git work tree around the compile database
// (or around its files), else the deepest folder holding it and all its
// files. With no database (--merge), the git work tree around the current
// folder.
std::string repoRoot(const clang::tooling::CompilationDatabase *database = nullptr) {
  if (options::Root.empty()) {
    if (!database) {
      return findRepoRoot(".");
    }
    if (std::optional<std::string> tree = findGitWorkTree(options::BuildPath)) {
      return *tree;
    }
    std::vector<std::string> files;
    for (const std::string &file : database->getAllFiles()) {
      llvm::SmallString<256> real;
      files.push_back(llvm::sys::fs::real_path(file, real) ? file : std::string(real));
    }
    if (files.empty()) {
      return findRepoRoot(".");
    }
    if (std::optional<std::string> tree = findGitWorkTree(commonAncestor(files))) {
      return *tree;
    }
    // No git: the database's own folder counts too, so that a tree with its
    // build folder inside (build/compile_commands.json) has the tree's top as
    // the root rather than the folder of the translation units, which would
    // leave the headers beside them outside.
    llvm::SmallString<256> listing;
    if (llvm::sys::fs::real_path(options::BuildPath, listing)) {
      listing = options::BuildPath;
      llvm::sys::fs::make_absolute(listing);
    }
    llvm::sys::path::append(listing, "compile_commands.json");
    files.push_back(std::string(listing));
    return commonAncestor(files);
  }
  llvm::SmallString<256> explicitRoot(options::Root);
  llvm::sys::fs::real_path(options::Root, explicitRoot);
  return std::string(explicitRoot);
}

// The run failed for these units: the output still has the others' findings
// (SARIF marks the run unsuccessful), a baseline is not rewritten from it.
int failedUnits(const std::vector<std::string> &failures) {
  return fail(llvm::Twine(failures.size()) + " translation unit(s) failed to parse or crashed (named above); the "
                                             "findings of the others were written",
              "fix the build flags in the compilation database, or the file");
}

// A baseline that matched nothing and names none of the files linted was
// most likely written with another root (or for another tree): say so, as a
// baseline silently matching nothing lets every old finding through.
void warnIfBaselineMatchedNothing(const Baseline &baseline, size_t known, const std::string &root,
                                  const std::vector<std::string> &linted) {
  if (known != 0 || baseline.empty()) {
    return;
  }
  std::vector<std::string> relative;
  for (const std::string &file : linted) {
    relative.push_back(relativeToRoot(root, file));
  }
  if (baseline.namesAnyOf(relative)) {
    return;
  }
  llvm::errs() << "spawnguard-lint: warning: the baseline '" << options::Baseline
               << "' matched none of the findings and names none of the files linted; its paths are "
                  "relative to the root it was written with, and this run's root is '"
               << root << "' (pass the same --root as when it was written, or write it again)\n";
}

// De-duplication, baseline and output: the end of a whole run and of a merge.
int report(std::vector<Finding> findings, const std::string &root, const std::optional<Baseline> &baseline,
           const std::vector<std::string> &failures = {}, size_t hiddenInHeaders = 0,
           const std::vector<std::string> &linted = {}) {
  deduplicate(findings);
  if (!options::WriteBaseline.empty()) {
    if (!failures.empty()) {
      failedUnits(failures);
      return fail("'" + options::WriteBaseline + "' was left as it was: a baseline of a partial run would forget "
                                                 "the failed units' findings",
                  "fix the failed units, then write the baseline again");
    }
    if (llvm::Error written = Baseline::write(options::WriteBaseline, findings, root)) {
      return fail(llvm::toString(std::move(written)),
                  "pass --write-baseline a writable path on a file system with space (the previous file is intact)");
    }
    if (!options::Quiet) {
      llvm::errs() << "spawnguard-lint: recorded " << findings.size() << " finding(s) in " << options::WriteBaseline
                   << "\n";
    }
    return NoFindings;
  }
  if (baseline) {
    size_t known = baseline->removeKnown(findings, root);
    if (!linted.empty()) {
      warnIfBaselineMatchedNothing(*baseline, known, root, linted);
    }
    if (!options::Quiet) {
      llvm::errs() << "spawnguard-lint: " << known << " finding(s) already in the baseline\n";
    }
  }
  if (llvm::Error fixed = exportAndApplyFixes(findings)) {
    return fail(llvm::toString(std::move(fixed)), "pass a writable path to --export-fixes, or make the sources writable");
  }
  llvm::Expected<std::set<std::string>> asErrors = warningsAsErrorsChecks();
  if (!asErrors) {
    return fail("--warnings-as-errors: " + llvm::toString(asErrors.takeError()), "name checks listed by --list-checks");
  }
  size_t errors = countWarningsAsErrors(findings, *asErrors);
  OutputSettings output{options::Format, root, false, std::move(*asErrors), options::SarifCategory};
  int written = writeOutput(findings, std::move(output), failures);
  if (written != CouldNotRun) {
    printClosingSummary(findings.size(), errors, hiddenInHeaders);
  }
  return failures.empty() || written == CouldNotRun ? written : failedUnits(failures);
}

// --merge: the shards' summaries in, a whole run's output out.
int mergeSummaries(const std::string &root, const std::optional<Baseline> &baseline) {
  std::vector<std::string> folders(options::Merge.begin(), options::Merge.end());
  llvm::Expected<std::vector<SummarisedUnit>> summaries = readSummaryFolders(folders);
  if (!summaries) {
    return fail(llvm::toString(summaries.takeError()));
  }
  if (summaries->empty()) {
    return fail("no summaries (*.summary.json) in the folders given to --merge",
                "write them first: spawnguard-lint -p BUILD_DIR --summaries-dir DIR [FILES...]");
  }
  std::vector<ShardManifest> shards;
  for (const std::string &folder : folders) {
    llvm::Expected<ShardManifest> shard = readShardManifest(folder);
    if (!shard) {
      return fail(llvm::toString(shard.takeError()));
    }
    shards.push_back(std::move(*shard));
  }
  if (llvm::Error incomplete = checkShardsComplete(folders, shards)) {
    return fail(llvm::toString(std::move(incomplete)));
  }
  std::vector<const std::vector<Finding> *> unitFindings;
  std::vector<const TranslationUnitSummary *> joined;
  for (const SummarisedUnit &unit : *summaries) {
    unitFindings.push_back(&unit.Findings);
    joined.push_back(&unit);
  }
  return report(wholeProgramFindings(unitFindings, joined), root, baseline);
}

// --summaries-dir: one summary file per translation unit, and the shard's manifest.
// Without a manifest (a unit failed), the merge refuses the folder.
int writeSummaries(std::vector<TranslationUnitResult> &results, const std::optional<ShardManifest> &manifest) {
  if (std::error_code error = llvm::sys::fs::create_directories(options::SummariesDir)) {
    return fail("cannot create '" + options::SummariesDir + "': " + error.message(),
                "pass a writable folder to --summaries-dir");
  }
  for (TranslationUnitResult &result : results) {
    if (!result.Summary) {
      continue;
    }
    llvm::SmallString<256> path(options::SummariesDir);
    llvm::sys::path::append(path, summaryFileName(result.File));
    SummarisedUnit unit;
    static_cast<TranslationUnitSummary &>(unit) = std::move(*result.Summary);
    unit.Findings = std::move(result.Findings);
    if (llvm::Error written = writeSummaryFile(std::string(path), unit)) {
      return fail(llvm::toString(std::move(written)), "pass a writable folder to --summaries-dir");
    }
  }
  if (!manifest) {
    return NoFindings;
  }
  if (llvm::Error written = writeShardManifest(options::SummariesDir, *manifest)) {
    return fail(llvm::toString(std::move(written)), "pass a writable folder to --summaries-dir");
  }
  return NoFindings;
}

// What a run lints: each file in the compilation database with the settings
// of its configuration; files under skip paths are left out (and listed in
// the shard's manifest).
struct LintPlan {
  std::unique_ptr<clang::tooling::CompilationDatabase> Database;
  std::string Root;
  std::vector<std::string> Files; // absolute
  std::vector<const LintSettings *> SettingsOf;
  std::map<const ConfigFile *, LintSettings> SettingsByConfig;
  ShardManifest Shard;
};

int planRun(LintPlan &plan) {
  if (options::BuildPath.empty()) {
    return fail("no build directory: pass -p BUILD_DIR (the folder with compile_commands.json)");
  }
  llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>> loaded =
      loadCompileDatabase(options::BuildPath);
  if (!loaded) {
    return fail(llvm::toString(loaded.takeError()));
  }
  plan.Database = std::move(*loaded);
  plan.Root = repoRoot(plan.Database.get());
  std::vector<std::string> files(options::SourcePaths.begin(), options::SourcePaths.end());
  if (files.empty()) {
    files = plan.Database->getAllFiles();
  }
  ConfigLocator configs(options::ConfigFile, checkListKeys());
  for (const std::string &file : files) {
    llvm::SmallString<256> absolute(file);
    llvm::sys::fs::make_absolute(absolute);
    if (plan.Database->getCompileCommands(absolute).empty()) {
      return fail("'" + file + "' is not in the compilation database of '" + options::BuildPath + "'",
                  "lint a file the build compiles, or regenerate the database");
    }
    llvm::Expected<std::shared_ptr<const ConfigFile>> config = configs.configFor(absolute);
    if (!config) {
      return fail(llvm::toString(config.takeError()), "fix the configuration file (see docs/configuration.md)");
    }
    if ((*config)->skips(relativeToRoot(plan.Root, std::string(absolute)))) {
      plan.Shard.Skipped.push_back(std::string(absolute));
      continue;
    }
    auto known = plan.SettingsByConfig.find(config->get());
    if (known == plan.SettingsByConfig.end()) {
      llvm::Expected<LintSettings> settings = settingsFor(*config, plan.Root);
      if (!settings) {
        return fail(llvm::toString(settings.takeError()), "name checks listed by --list-checks");
      }
      known = plan.SettingsByConfig.emplace(config->get(), std::move(*settings)).first;
    }
    known->second.ProcessEndsAfter = files.size() == 1;
    plan.Files.push_back(std::string(absolute));
    plan.SettingsOf.push_back(&known->second);
  }
  return NoFindings;
}

// Every planned unit, --jobs at a time; the failed ones said on stderr and returned.
std::vector<std::string> lintUnits(const LintPlan &plan, std::vector<TranslationUnitResult> &results) {
  results.resize(plan.Files.size());
  enableCrashRecovery();
  {
    // ClangTool changes the process's working directory to each command's
    // and back; parallel TUs interleave those changes, so the directory is
    // put back here, for the relative paths given to -o and the others.
    llvm::SmallString<256> workingDirectory;
    llvm::sys::fs::current_path(workingDirectory);
    llvm::DefaultThreadPool pool(llvm::hardware_concurrency(std::max(1U, unsigned(options::Jobs))));
    for (size_t index = 0; index < plan.Files.size(); ++index) {
      pool.async([&, index] {
        results[index] = lintTranslationUnit(*plan.Database, plan.Files[index], *plan.SettingsOf[index]);
      });
    }
    pool.wait();
    llvm::sys::fs::set_current_path(workingDirectory);
  }
  std::vector<std::string> failures;
  for (TranslationUnitResult &result : results) {
    if (result.Crashed) {
      failures.push_back("'" + result.File + "' crashed clang's parser or spawnguard-lint (a stack overflow on a "
                                             "pathologically deep expression, or a bug: please report it with this "
                                             "file); skipped");
      llvm::errs() << "spawnguard-lint: error: " << failures.back() << "\n";
    } else if (result.ParseFailed) {
      failures.push_back("'" + result.File + "' failed to parse");
      llvm::errs() << result.Errors;
      llvm::errs() << "spawnguard-lint: error: " << failures.back() << "\n";
    }
  }
  return failures;
}

// --summaries-dir: the units' summaries and findings, and the shard's manifest
// unless a unit failed.
int writeShard(LintPlan &plan, std::vector<TranslationUnitResult> &results, const std::vector<std::string> &failures) {
  if (!failures.empty()) {
    int written = writeSummaries(results, std::nullopt);
    if (written != NoFindings) {
      return written;
    }
    return fail(llvm::Twine(failures.size()) + " translation unit(s) failed to parse or crashed (named above); "
                                               "the others' summaries are written, but no " +
                    ShardManifestName + ", so --merge refuses this shard",
                "fix the build flags in the compilation database, or the file, and re-run the shard");
  }
  ShardManifest &shard = plan.Shard;
  llvm::SmallString<256> databasePath(options::BuildPath);
  llvm::sys::path::append(databasePath, "compile_commands.json");
  llvm::sys::fs::make_absolute(databasePath);
  shard.Database = std::string(databasePath);
  // One spelling per file ("src/./a.cpp" is "src/a.cpp"), so the merge can
  // match what shards linted against what the database lists.
  auto normalised = [](llvm::StringRef file) {
    llvm::SmallString<256> absolute(file);
    llvm::sys::fs::make_absolute(absolute);
    llvm::sys::path::remove_dots(absolute, /*remove_dot_dot=*/true);
    return std::string(absolute);
  };
  for (const std::string &file : plan.Database->getAllFiles()) {
    shard.DatabaseFiles.push_back(normalised(file));
  }
  std::sort(shard.DatabaseFiles.begin(), shard.DatabaseFiles.end());
  for (const std::string &file : plan.Files) {
    shard.Units.push_back({normalised(file), summaryFileName(file)});
  }
  for (std::string &file : shard.Skipped) {
    file = normalised(file);
  }
  return writeSummaries(results, std::move(shard));
}

// The units' findings, joined with the cross-unit ones unless --no-cross-tu.
std::vector<Finding> mergeUnits(std::vector<TranslationUnitResult> &results) {
  std::vector<const std::vector<Finding> *> unitFindings;
  std::vector<const TranslationUnitSummary *> summaries;
  for (const TranslationUnitResult &result : results) {
    if (result.Crashed || result.ParseFailed) {
      continue;
    }
    unitFindings.push_back(&result.Findings);
    if (result.Summary) {
      summaries.push_back(&*result.Summary);
    }
  }
  if (options::NoCrossTranslationUnit) {
    std::vector<Finding> findings;
    for (const std::vector<Finding> *each : unitFindings) {
      findings.insert(findings.end(), each->begin(), each->end());
    }
    return findings;
  }
  return wholeProgramFindings(unitFindings, summaries);
}

} // namespace

// Plan, lint, merge, report (or, for a shard, write what the merge needs).
int runDriver(int argc, const char **argv) {
  if (std::optional<int> done = parseCommandLine(argc, argv)) {
    return *done;
  }
  // The baseline is read before any parsing: a bad one fails in a second, not
  // after the whole codebase was parsed.
  std::optional<Baseline> baseline;
  if (!options::Baseline.empty()) {
    llvm::Expected<Baseline> read = Baseline::read(options::Baseline);
    if (!read) {
      return fail(llvm::toString(read.takeError()), "write one with --write-baseline FILE");
    }
    baseline = std::move(*read);
  }
  if (!options::Merge.empty()) {
    return mergeSummaries(repoRoot(), baseline);
  }
  std::unique_ptr<ResultCache> cache;
  if (!options::CacheDir.empty()) {
    llvm::Expected<std::unique_ptr<ResultCache>> opened = ResultCache::open(options::CacheDir);
    if (!opened) {
      return fail(llvm::toString(opened.takeError()), "pass --cache-dir a writable folder, or leave it out");
    }
    cache = std::move(*opened);
  }
  LintPlan plan;
  if (int failed = planRun(plan)) {
    return failed;
  }
  for (auto &[config, settings] : plan.SettingsByConfig) {
    settings.Cache = cache.get();
  }
  std::vector<TranslationUnitResult> results;
  std::vector<std::string> failures = lintUnits(plan, results);
  if (cache && !options::Quiet) {
    cache->printStatistics(llvm::errs());
  }
  if (!options::SummariesDir.empty()) {
    return writeShard(plan, results, failures);
  }
  if (failures.empty()) {
    std::vector<UnitDeclaredNames> declared;
    for (size_t index = 0; index < results.size(); ++index) {
      declared.push_back({plan.SettingsOf[index]->Config.get(), &results[index].DeclaredNames});
    }
    warnAboutConfiguredNamesDeclaredNowhere(declared);
  }
  std::vector<Finding> findings = mergeUnits(results);
  size_t hiddenInHeaders = 0;
  if (options::HeaderFilter.getNumOccurrences() > 0) {
    deduplicate(findings); // a header's finding is hidden once, however many units include it
    hiddenInHeaders = removeUnmatchedHeaderFindings(findings, plan.Files, plan.Root);
  }
  warnAboutNolintNamingNoCheck(plan.Files, plan.Root);
  return report(std::move(findings), plan.Root, baseline, failures, hiddenInHeaders, plan.Files);
}

} // namespace spawnguard
