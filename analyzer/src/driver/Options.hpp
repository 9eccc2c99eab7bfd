// spawnguard-lint's command-line options, in LLVM cl::opt style.
#pragma once

#include "output/FindingWriters.hpp"

#include <llvm/Support/CommandLine.h>

#include <string>

namespace spawnguard::options {

using spawnguard::OutputFormat;

extern llvm::cl::OptionCategory Category;
extern llvm::cl::opt<std::string> BuildPath;
extern llvm::cl::list<std::string> SourcePaths;
extern llvm::cl::opt<unsigned> Jobs;
extern llvm::cl::opt<OutputFormat> Format;
extern llvm::cl::opt<std::string> OutputFile;
extern llvm::cl::opt<std::string> SarifCategory;
extern llvm::cl::opt<std::string> ConfigFile;
extern llvm::cl::opt<std::string> Checks;
extern llvm::cl::opt<bool> Strict;
extern llvm::cl::opt<std::string> Baseline;
extern llvm::cl::opt<std::string> WriteBaseline;
extern llvm::cl::opt<std::string> Root;
extern llvm::cl::opt<bool> ListChecks;
extern llvm::cl::opt<bool> NoCrossTranslationUnit;
extern llvm::cl::opt<std::string> SummariesDir;
extern llvm::cl::list<std::string> Merge;
extern llvm::cl::list<std::string> ExtraArgs;
extern llvm::cl::list<std::string> ExtraArgsBefore;
extern llvm::cl::opt<bool> Quiet;
extern llvm::cl::opt<std::string> WarningsAsErrors;
extern llvm::cl::opt<std::string> HeaderFilter;
extern llvm::cl::opt<std::string> CacheDir;

} // namespace spawnguard::options
