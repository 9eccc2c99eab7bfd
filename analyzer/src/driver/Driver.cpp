// Orchestrates a lint run and maps every user-caused failure to a message
// naming the thing and the fix, with exit status 2.
#include "driver/Driver.hpp"

#include "checks/CheckRegistry.hpp"
#include "driver/CompileDatabase.hpp"
#include "driver/Config.hpp"
#include "driver/CrashIsolation.hpp"
#include "driver/Options.hpp"
#include "driver/ReportFlags.hpp"
#include "driver/TranslationUnitLint.hpp"
#include "driver/UnknownOptions.hpp"
#include "fixes/FixOptions.hpp"
#include "fixes/FixStage.hpp"
#include "output/AtomicOutput.hpp"
#include "output/Baseline.hpp"
#include "output/FindingWriters.hpp"
#include "output/RepoPaths.hpp"
#include "summary/CrossTranslationUnitMerge.hpp"
#include "summary/MergedFindingRenderer.hpp"
#include "summary/ShardManifest.hpp"
#include "summary/SummaryFile.hpp"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/GlobPattern.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/Regex.h>
#include <llvm/Support/ThreadPool.h>
#include <llvm/Support/Threading.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fcntl.h>
#include <unistd.h>

namespace spawnguard {
namespace {

namespace cl = llvm::cl;

int fail(const llvm::Twine &message, const llvm::Twine &fix = "") {
  llvm::errs() << "spawnguard-lint: error: " << message << "\n";
  if (!fix.isTriviallyEmpty()) {
    llvm::errs() << "  fix: " << fix << "\n";
  }
  return CouldNotRun;
}

void printVersion(llvm::raw_ostream &os) {
  os << "spawnguard-lint " << SPAWNGUARD_VERSION << " (LLVM " << LLVM_VERSION_STRING << ")\n";
}

bool skipped(const ConfigFile &config, const std::string &relativePath) {
  for (const std::string &glob : config.SkipPaths) {
    llvm::Expected<llvm::GlobPattern> pattern = llvm::GlobPattern::create(glob);
    if (pattern && (pattern->match(relativePath) || llvm::StringRef(relativePath).starts_with(glob))) {
      return true;
    }
    if (!pattern) {
      llvm::consumeError(pattern.takeError());
    }
  }
  return false;
}

// The settings of one configuration file, with the command line on top.
llvm::Expected<LintSettings> settingsFor(std::shared_ptr<const ConfigFile> config) {
  std::vector<std::string> globs = config->Checks;
  for (std::string &glob : splitCheckGlobs(options::Checks)) {
    globs.push_back(std::move(glob));
  }
  llvm::Expected<std::vector<std::string>> enabled = enabledChecks(globs);
  if (!enabled) {
    std::string where = config->Path.empty() ? "--checks" : config->Path;
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: key 'checks': %s", where.c_str(),
                                   llvm::toString(enabled.takeError()).c_str());
  }
  LintSettings settings;
  settings.EnabledChecks = std::move(*enabled);
  settings.Strict = options::Strict || config->Strict.value_or(false);
  settings.Config = std::move(config);
  settings.ExtraArgsBefore.assign(options::ExtraArgsBefore.begin(), options::ExtraArgsBefore.end());
  settings.ExtraArgs.assign(options::ExtraArgs.begin(), options::ExtraArgs.end());
  return settings;
}

// One finding per check and source location: a header line reached through
// two template instantiations or two translation units is reported once (the
// first in sorted order, so the choice does not depend on parse order).
void deduplicate(std::vector<Finding> &findings) {
  std::sort(findings.begin(), findings.end());
  auto same = [](const Finding &a, const Finding &b) {
    return a.Check == b.Check && a.Where.key() == b.Where.key();
  };
  findings.erase(std::unique(findings.begin(), findings.end(), same), findings.end());
}

void renderFindings(llvm::raw_ostream &out, const std::vector<Finding> &findings, const std::string &root,
                    const std::vector<std::string> &failedUnits, bool colour) {
  switch (options::Format) {
  case options::OutputFormat::Text:
    writeText(out, findings, colour);
    break;
  case options::OutputFormat::Sarif:
    writeSarif(out, findings, root, failedUnits);
    break;
  case options::OutputFormat::JsonLines:
    writeJsonLines(out, findings, root);
    break;
  }
}

// -o is replaced only by a complete file (temporary, fsync, rename); a failed
// write, to -o or to standard output, is exit 2 naming where.
int writeFindings(const std::vector<Finding> &findings, const std::string &root,
                  const std::vector<std::string> &failedUnits = {}) {
  if (!options::OutputFile.empty()) {
    if (llvm::Error written = writeFileAtomically(options::OutputFile, "output file", [&](llvm::raw_ostream &out) {
          renderFindings(out, findings, root, failedUnits, false);
        })) {
      return fail(llvm::toString(std::move(written)), "pass -o a writable path on a file system with space");
    }
  } else {
    renderFindings(llvm::outs(), findings, root, failedUnits, llvm::sys::Process::StandardOutIsDisplayed());
    if (llvm::Error written = checkStandardOutput()) {
      return fail(llvm::toString(std::move(written)), "redirect standard output somewhere writable, or pass -o FILE");
    }
  }
  return findings.empty() ? NoFindings : Findings;
}

// The findings of the whole program: each unit's own, then those only the
// merge sees (NOLINT applied, rendered), unless a unit reported the same
// place already.
std::vector<Finding> wholeProgramFindings(const std::vector<TranslationUnitSummary> &summaries) {
  std::vector<Finding> findings;
  std::set<std::tuple<std::string, std::string, unsigned, unsigned>> local;
  for (const TranslationUnitSummary &summary : summaries) {
    for (const Finding &finding : summary.Findings) {
      local.emplace(finding.Check, finding.Where.File, finding.Where.Line, finding.Where.Column);
      findings.push_back(finding);
    }
  }
  for (Finding &finding : renderMergedFindings(crossTranslationUnitFindings(summaries))) {
    if (!local.count({finding.Check, finding.Where.File, finding.Where.Line, finding.Where.Column})) {
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

std::string repoRoot() {
  if (options::Root.empty()) {
    return findRepoRoot(".");
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

// De-duplication, baseline and output: the end of a whole run and of a merge.
int report(std::vector<Finding> findings, const std::string &root, const std::optional<Baseline> &baseline,
           const std::vector<std::string> &failures = {}, size_t hiddenInHeaders = 0) {
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
  size_t errors = markWarningsAsErrors(findings, *asErrors);
  int written = writeFindings(findings, root, failures);
  if (written != CouldNotRun) {
    printClosingSummary(findings.size(), errors, hiddenInHeaders);
  }
  return failures.empty() || written == CouldNotRun ? written : failedUnits(failures);
}

// --merge: the shards' summaries in, a whole run's output out.
int mergeSummaries(const std::string &root, const std::optional<Baseline> &baseline) {
  std::vector<std::string> folders(options::Merge.begin(), options::Merge.end());
  llvm::Expected<std::vector<TranslationUnitSummary>> summaries = readSummaryFolders(folders);
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
  return report(wholeProgramFindings(*summaries), root, baseline);
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
    if (llvm::Error written = writeSummaryFile(std::string(path), *result.Summary)) {
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

// Flag values that can be refused before anything is read or parsed.
int checkOptions() {
  if (options::Jobs.getNumOccurrences() > 0 && options::Jobs == 0) {
    return fail("--jobs 0: at least one translation unit must be parsed at a time",
                "pass --jobs N with N >= 1 (default 1)");
  }
  std::string regexError;
  if (options::HeaderFilter.getNumOccurrences() > 0 && !llvm::Regex(options::HeaderFilter).isValid(regexError)) {
    return fail("--header-filter '" + options::HeaderFilter + "': " + regexError,
                "pass an extended regular expression, e.g. --header-filter='^src/' or --header-filter='.*'");
  }
  if (llvm::Expected<std::set<std::string>> asErrors = warningsAsErrorsChecks(); !asErrors) {
    return fail("--warnings-as-errors: " + llvm::toString(asErrors.takeError()), "name checks listed by --list-checks");
  }
  if (!options::Root.empty() && !llvm::sys::fs::is_directory(options::Root)) {
    return fail("--root '" + options::Root + "' is not a folder", "pass --root the repository's top folder");
  }
  // A closed standard output: findings written there would be lost (and a
  // file opened later could take its descriptor).
  bool toStandardOutput =
      options::OutputFile.empty() && options::WriteBaseline.empty() && options::SummariesDir.empty();
  if (::fcntl(STDOUT_FILENO, F_GETFD) == -1) {
    if (toStandardOutput) {
      return fail("standard output is closed: the findings would be lost",
                  "run with standard output open, or pass -o FILE");
    }
    llvm::sys::Process::FixupStandardFileDescriptors();
  }
  return NoFindings;
}

} // namespace

int runDriver(int argc, const char **argv) {
  cl::SetVersionPrinter(printVersion);
  cl::HideUnrelatedOptions(options::Category);
  // Response files are expanded first, so that their options are checked too.
  llvm::BumpPtrAllocator allocator;
  llvm::SmallVector<const char *, 32> args(argv, argv + argc);
  if (llvm::Error expanded = cl::ExpansionContext(allocator, cl::TokenizeGNUCommandLine).expandResponseFiles(args)) {
    return fail(llvm::toString(std::move(expanded)), "pass a readable response file after '@'");
  }
  if (std::optional<std::string> unknown = firstUnknownOption(args)) {
    return fail("unknown option '" + *unknown + "'", "run 'spawnguard-lint --help' for the options");
  }
  if (!cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(),
                                   "Finds task spawns that grow with load and nothing bounds.\n", &llvm::errs())) {
    return CouldNotRun;
  }
  if (options::ListChecks) {
    for (const CheckInfo &check : allChecks()) {
      llvm::outs() << check.Name << "\n    " << check.Description << "\n";
    }
    return NoFindings;
  }
  if (std::optional<std::string> conflict =
          options::fixOptionsConflict(!options::Merge.empty(), !options::SummariesDir.empty())) {
    return fail(*conflict, "run --fix / --export-fixes on a whole run: spawnguard-lint -p BUILD_DIR [FILES...]");
  }
  if (int refused = checkOptions()) {
    return refused;
  }
  if (!options::Merge.empty()) {
    if (!options::SummariesDir.empty() || !options::SourcePaths.empty() || options::NoCrossTranslationUnit ||
        options::HeaderFilter.getNumOccurrences() > 0) {
      return fail("--merge reads summaries only: it takes no FILES, --summaries-dir, --no-cross-tu or --header-filter",
                  "run the shards first with --summaries-dir, then --merge their folders");
    }
  } else if (!options::SummariesDir.empty() && options::NoCrossTranslationUnit) {
    return fail("--summaries-dir writes what the cross-translation-unit merge needs; --no-cross-tu turns it off",
                "drop one of the two");
  } else if (!options::SummariesDir.empty() &&
             (!options::Baseline.empty() || !options::WriteBaseline.empty() || !options::OutputFile.empty())) {
    return fail("--summaries-dir writes summaries and reports nothing: --baseline, --write-baseline and -o "
                "belong to the run that reports",
                "pass them to the --merge run");
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
  if (options::BuildPath.empty()) {
    return fail("no build directory: pass -p BUILD_DIR (the folder with compile_commands.json)");
  }
  llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>> loaded =
      loadCompileDatabase(options::BuildPath);
  if (!loaded) {
    return fail(llvm::toString(loaded.takeError()));
  }
  std::unique_ptr<clang::tooling::CompilationDatabase> database = std::move(*loaded);

  std::string root = repoRoot();

  std::vector<std::string> files(options::SourcePaths.begin(), options::SourcePaths.end());
  if (files.empty()) {
    files = database->getAllFiles();
  }
  ConfigLocator configs(options::ConfigFile);
  std::map<const ConfigFile *, LintSettings> settingsByConfig;
  std::vector<std::string> toLint;
  std::vector<const LintSettings *> settingsOf;
  ShardManifest shard;
  for (const std::string &file : files) {
    llvm::SmallString<256> absolute(file);
    llvm::sys::fs::make_absolute(absolute);
    if (database->getCompileCommands(absolute).empty()) {
      return fail("'" + file + "' is not in the compilation database of '" + options::BuildPath + "'",
                  "lint a file the build compiles, or regenerate the database");
    }
    llvm::Expected<std::shared_ptr<const ConfigFile>> config = configs.configFor(absolute);
    if (!config) {
      return fail(llvm::toString(config.takeError()), "fix the configuration file (see docs/configuration.md)");
    }
    if (skipped(**config, relativeToRoot(root, std::string(absolute)))) {
      shard.Skipped.push_back(std::string(absolute));
      continue;
    }
    auto known = settingsByConfig.find(config->get());
    if (known == settingsByConfig.end()) {
      llvm::Expected<LintSettings> settings = settingsFor(*config);
      if (!settings) {
        return fail(llvm::toString(settings.takeError()), "name checks listed by --list-checks");
      }
      known = settingsByConfig.emplace(config->get(), std::move(*settings)).first;
    }
    known->second.ProcessEndsAfter = files.size() == 1;
    known->second.Summarise = !options::NoCrossTranslationUnit;
    toLint.push_back(std::string(absolute));
    settingsOf.push_back(&known->second);
  }

  std::vector<TranslationUnitResult> results(toLint.size());
  enableCrashRecovery();
  {
    // ClangTool changes the process's working directory to each command's
    // and back; parallel TUs interleave those changes, so the directory is
    // put back here, for the relative paths given to -o and the others.
    llvm::SmallString<256> workingDirectory;
    llvm::sys::fs::current_path(workingDirectory);
    llvm::DefaultThreadPool pool(llvm::hardware_concurrency(std::max(1U, unsigned(options::Jobs))));
    for (size_t index = 0; index < toLint.size(); ++index) {
      pool.async([&, index] { results[index] = lintTranslationUnit(*database, toLint[index], *settingsOf[index]); });
    }
    pool.wait();
    llvm::sys::fs::set_current_path(workingDirectory);
  }

  std::vector<Finding> findings;
  std::vector<std::string> failures;
  for (TranslationUnitResult &result : results) {
    if (result.Crashed) {
      failures.push_back("'" + result.File + "' crashed clang's parser or spawnguard-lint (a stack overflow on a "
                                             "pathologically deep expression, or a bug: please report it with this "
                                             "file); skipped");
      llvm::errs() << "spawnguard-lint: error: " << failures.back() << "\n";
      continue;
    }
    if (result.ParseFailed) {
      failures.push_back("'" + result.File + "' failed to parse");
      llvm::errs() << result.Errors;
      llvm::errs() << "spawnguard-lint: error: " << failures.back() << "\n";
      continue;
    }
    const ConfigFile &config = *settingsOf[static_cast<size_t>(&result - results.data())]->Config;
    auto inSkippedFile = [&](const FindingLocation &where) { return skipped(config, relativeToRoot(root, where.File)); };
    std::erase_if(result.Findings, [&](const Finding &finding) { return inSkippedFile(finding.Where); });
    findings.insert(findings.end(), result.Findings.begin(), result.Findings.end());
    if (result.Summary) {
      result.Summary->Findings = result.Findings;
      // A spawn in a skipped file is never reported, whatever reaches it.
      std::erase_if(result.Summary->Spawns, [&](const SummarySpawn &spawn) { return inSkippedFile(spawn.Where); });
    }
  }
  if (!options::SummariesDir.empty()) {
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
    for (const std::string &file : database->getAllFiles()) {
      shard.DatabaseFiles.push_back(normalised(file));
    }
    std::sort(shard.DatabaseFiles.begin(), shard.DatabaseFiles.end());
    for (const std::string &file : toLint) {
      shard.Units.push_back({normalised(file), summaryFileName(file)});
    }
    for (std::string &file : shard.Skipped) {
      file = normalised(file);
    }
    return writeSummaries(results, std::move(shard));
  }
  if (!options::NoCrossTranslationUnit) {
    std::vector<TranslationUnitSummary> summaries;
    for (TranslationUnitResult &result : results) {
      if (result.Summary) {
        summaries.push_back(std::move(*result.Summary));
      }
    }
    findings = wholeProgramFindings(summaries);
  }
  size_t hiddenInHeaders = 0;
  if (options::HeaderFilter.getNumOccurrences() > 0) {
    deduplicate(findings); // a header's finding is hidden once, however many units include it
    hiddenInHeaders = removeUnmatchedHeaderFindings(findings, toLint, root);
  }
  return report(std::move(findings), root, baseline, failures, hiddenInHeaders);
}

} // namespace spawnguard
