// The command line read and checked, each refusal naming the flag and the fix.
#include "driver/CommandLine.hpp"

#include "checks/CheckRegistry.hpp"
#include "driver/Failure.hpp"
#include "driver/FixOptions.hpp"
#include "driver/NoOpWarnings.hpp"
#include "driver/Options.hpp"
#include "driver/ReportFlags.hpp"
#include "driver/UnknownOptions.hpp"

#include <llvm/Config/llvm-config.h>
#include <llvm/Support/Allocator.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/Regex.h>

#include <fcntl.h>
#include <unistd.h>

namespace spawnguard {
namespace {

namespace cl = llvm::cl;

void printVersion(llvm::raw_ostream &os) {
  os << "spawnguard-lint " << SPAWNGUARD_VERSION << " (LLVM " << LLVM_VERSION_STRING << ")\n";
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
  if (options::SarifCategory.getNumOccurrences() > 0 &&
      (options::Format != OutputFormat::Sarif || options::SarifCategory.empty() ||
       llvm::StringRef(options::SarifCategory).trim() != llvm::StringRef(options::SarifCategory))) {
    return fail("--sarif-category '" + options::SarifCategory + "': " +
                    (options::Format != OutputFormat::Sarif ? "only SARIF output has a category"
                                                            : "a category is a non-empty name without surrounding "
                                                              "spaces"),
                "pass --format sarif --sarif-category NAME, e.g. --sarif-category=spawnguard");
  }
  std::vector<size_t> unmatched;
  std::vector<std::string> checkGlobs = splitCheckGlobs(options::Checks);
  if (llvm::Expected<std::vector<std::string>> enabled = enabledChecks(checkGlobs, &unmatched); !enabled) {
    return fail("--checks '" + options::Checks + "': " + llvm::toString(enabled.takeError()),
                "pass clang-tidy style globs of the checks --list-checks names, e.g. --checks='-*,spawnguard-*'");
  }
  for (size_t index : unmatched) {
    warnCheckGlobMatchesNothing("--checks", checkGlobs[index]);
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

std::optional<int> parseCommandLine(int argc, const char **argv) {
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
      for (const CheckListKey &key : check.ListKeys) {
        llvm::outs() << "    configured by " << key.Key << " (clang-tidy option " << key.TidyOption << "): " << key.Lists
                     << "\n";
      }
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
  return std::nullopt;
}

} // namespace spawnguard
