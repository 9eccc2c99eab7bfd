// spawnguard-lint's entry point: reads the options and the compilation
// database, parses each translation unit, and maps failures to exit status 2.
#include <clang/Frontend/FrontendActions.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <memory>
#include <string>
#include <vector>

namespace {

namespace cl = llvm::cl;

cl::OptionCategory LintCategory("spawnguard-lint options");

cl::opt<std::string> BuildPath("p", cl::desc("Build directory holding compile_commands.json"),
                               cl::value_desc("BUILD_DIR"), cl::cat(LintCategory));
cl::list<std::string> SourcePaths(cl::Positional, cl::desc("[FILES...]"), cl::cat(LintCategory));

// Exit statuses, as CI users read them.
enum ExitStatus : int { NoFindings = 0, Findings = 1, CouldNotRun = 2 };

void printVersion(llvm::raw_ostream &os) {
  os << "spawnguard-lint " << SPAWNGUARD_VERSION << " (LLVM " << LLVM_VERSION_STRING << ")\n";
}

} // namespace

int main(int argc, const char **argv) {
  cl::SetVersionPrinter(printVersion);
  cl::HideUnrelatedOptions(LintCategory);
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "Finds task spawns that grow with load and nothing bounds.\n",
                                   &llvm::errs())) {
    return CouldNotRun;
  }
  if (BuildPath.empty()) {
    llvm::errs() << "spawnguard-lint: error: no build directory: pass -p BUILD_DIR (the folder "
                    "with compile_commands.json)\n";
    return CouldNotRun;
  }

  // Only the named folder: searching its parents (as autoDetect does) would
  // silently lint with some other project's flags.
  llvm::SmallString<256> databasePath(BuildPath);
  llvm::sys::path::append(databasePath, "compile_commands.json");
  std::string error;
  std::unique_ptr<clang::tooling::CompilationDatabase> database =
      clang::tooling::JSONCompilationDatabase::loadFromFile(
          databasePath, error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!database) {
    llvm::errs() << "spawnguard-lint: error: cannot read a compilation database in '" << BuildPath
                 << "': " << error
                 << "\n  fix: configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or pass the folder "
                    "that holds compile_commands.json\n";
    return CouldNotRun;
  }

  std::vector<std::string> files(SourcePaths.begin(), SourcePaths.end());
  if (files.empty()) {
    files = database->getAllFiles();
  }
  for (const std::string &file : files) {
    llvm::SmallString<256> absolute(file);
    llvm::sys::fs::make_absolute(absolute);
    if (database->getCompileCommands(absolute).empty()) {
      llvm::errs() << "spawnguard-lint: error: '" << file << "' is not in the compilation database of '"
                   << BuildPath << "'\n  fix: lint a file the build compiles, or regenerate the database\n";
      return CouldNotRun;
    }
  }

  clang::tooling::ClangTool tool(*database, files);
  tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      "-resource-dir=" SPAWNGUARD_CLANG_RESOURCE_DIR, clang::tooling::ArgumentInsertPosition::END));
  int status = tool.run(clang::tooling::newFrontendActionFactory<clang::SyntaxOnlyAction>().get());
  if (status != 0) {
    llvm::errs() << "spawnguard-lint: error: a translation unit failed to parse (see the errors "
                    "above); fix the build flags or the file\n";
    return CouldNotRun;
  }
  return NoFindings;
}
