// Definitions of the command-line options.
#include "driver/Options.hpp"

namespace spawnguard::options {

namespace cl = llvm::cl;

cl::OptionCategory Category("spawnguard-lint options");

cl::opt<std::string> BuildPath("p", cl::desc("Build directory holding compile_commands.json"),
                               cl::value_desc("BUILD_DIR"), cl::cat(Category));
cl::list<std::string> SourcePaths(cl::Positional, cl::desc("[FILES...] (default: every file in the database)"),
                                  cl::cat(Category));
cl::opt<unsigned> Jobs("jobs", cl::desc("Translation units parsed in parallel (default 1)"), cl::init(1),
                       cl::value_desc("N"), cl::cat(Category));
cl::opt<OutputFormat> Format("format", cl::desc("Output format"), cl::init(OutputFormat::Text),
                             cl::values(clEnumValN(OutputFormat::Text, "text", "clang-style diagnostics (default)"),
                                        clEnumValN(OutputFormat::Sarif, "sarif", "SARIF 2.1.0 (GitHub code scanning)"),
                                        clEnumValN(OutputFormat::JsonLines, "jsonl", "one JSON object per finding")),
                             cl::cat(Category));
cl::opt<std::string> SarifCategory("sarif-category",
                                   cl::desc("With --format sarif: the run's category for GitHub code scanning "
                                            "(automationDetails.id), e.g. 'spawnguard/server' when one "
                                            "repository uploads several runs"),
                                   cl::value_desc("NAME"), cl::cat(Category));
cl::opt<std::string> OutputFile("o", cl::desc("Write the findings to FILE instead of stdout"),
                                cl::value_desc("FILE"), cl::cat(Category));
cl::opt<std::string> ConfigFile("config-file",
                                cl::desc("Use this configuration instead of .spawnguard.yaml found upward from each file"),
                                cl::value_desc("FILE"), cl::cat(Category));
cl::opt<std::string> Checks("checks",
                            cl::desc("Comma-separated check globs applied after the configuration's "
                                     "(e.g. '-*,spawnguard-detached-thread')"),
                            cl::value_desc("GLOBS"), cl::cat(Category));
cl::opt<bool> Strict("strict", cl::desc("Also report fan-out over input-sized ranges"), cl::cat(Category));
cl::opt<std::string> Baseline("baseline", cl::desc("Report only findings not recorded in this baseline"),
                              cl::value_desc("FILE"), cl::cat(Category));
cl::opt<std::string> WriteBaseline("write-baseline", cl::desc("Record today's findings in FILE and exit 0"),
                                   cl::value_desc("FILE"), cl::cat(Category));
cl::opt<std::string> Root("root",
                          cl::desc("Repository root that output paths and baseline keys are relative to "
                                   "(default: the git work tree around the compile database, else "
                                   "the deepest folder holding it and all its files; the same from "
                                   "any folder)"),
                          cl::value_desc("DIR"), cl::cat(Category));
cl::opt<bool> ListChecks("list-checks", cl::desc("List the checks and exit"), cl::cat(Category));
cl::opt<bool> NoCrossTranslationUnit("no-cross-tu",
                                     cl::desc("Report only what each translation unit shows alone: no repetition "
                                              "followed across translation units"),
                                     cl::cat(Category));
cl::opt<std::string> SummariesDir("summaries-dir",
                                  cl::desc("Shard mode: lint the files, write one summary per translation unit "
                                           "into DIR, print no findings (merge them with --merge)"),
                                  cl::value_desc("DIR"), cl::cat(Category));
cl::list<std::string> Merge("merge",
                            cl::desc("Merge the summaries in DIR (repeatable, one per shard) and report as a "
                                     "whole run would; parses nothing"),
                            cl::value_desc("DIR"), cl::cat(Category));

// The flags clang-tidy users type, with clang-tidy's meaning.
cl::list<std::string> ExtraArgs("extra-arg",
                                cl::desc("Append ARG to every compile command (repeatable, e.g. --extra-arg=-DNDEBUG)"),
                                cl::value_desc("ARG"), cl::cat(Category));
cl::list<std::string> ExtraArgsBefore("extra-arg-before",
                                      cl::desc("Put ARG first in every compile command, after the compiler "
                                               "(repeatable)"),
                                      cl::value_desc("ARG"), cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("No summary lines on stderr (findings and errors only)"), cl::cat(Category));
cl::opt<std::string> WarningsAsErrors("warnings-as-errors",
                                      cl::desc("Check globs whose findings are errors: shown as 'error:', counted "
                                               "as errors in the summary, exit status 1 (e.g. 'spawnguard-*')"),
                                      cl::value_desc("GLOBS"), cl::cat(Category));
cl::opt<std::string> HeaderFilter("header-filter",
                                  cl::desc("Show the findings in headers whose path matches REGEX (default: "
                                           "every header's; '^$' shows none)"),
                                  cl::value_desc("REGEX"), cl::cat(Category));
cl::opt<std::string> CacheDir("cache-dir",
                              cl::desc("Keep each translation unit's findings and summary in DIR and reuse them "
                                       "while its files, flags and configuration are unchanged (default: off)"),
                              cl::value_desc("DIR"), cl::cat(Category));

} // namespace spawnguard::options
