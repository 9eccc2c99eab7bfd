// The unit's cache key, and results to and from cache entries.
#include "driver/CachedLint.hpp"

#include "cache/ResultCache.hpp"

#include <llvm/Support/Process.h>

#include <cassert>

namespace spawnguard {
namespace {

std::string unitKey(ResultCache &cache, const clang::tooling::CompilationDatabase &database, const std::string &file,
                    const LintSettings &settings) {
  CacheKey key = cache.newKey();
  // The commands as lintTranslationUnit's ClangTool runs them: each of the
  // file's commands, with the arguments its adjusters add.
  for (const clang::tooling::CompileCommand &command : database.getCompileCommands(file)) {
    key.add("directory", command.Directory);
    key.add("file", command.Filename);
    key.addList("arguments", command.CommandLine);
  }
  key.add("resource-dir", SPAWNGUARD_CLANG_RESOURCE_DIR);
  key.addList("extra-arg-before", settings.ExtraArgsBefore);
  key.addList("extra-arg", settings.ExtraArgs);
  // clang's driver adds these folders to the include path.
  for (const char *variable : {"CPATH", "CPLUS_INCLUDE_PATH", "C_INCLUDE_PATH"}) {
    key.add(variable, llvm::sys::Process::GetEnv(variable).value_or(""));
  }
  const ConfigFile &config = *settings.Config;
  key.add("configuration", config.Path);
  key.add("configuration-text", config.Text);
  key.addList("checks", settings.EnabledChecks);
  key.addFlag("strict", settings.Strict);
  key.addFlag("summarise", settings.Summarise);
  key.add("root", settings.Root);
  key.add("main-file", cache.hashOf(file));
  return key.hex();
}

} // namespace

TranslationUnitResult lintThroughCache(const clang::tooling::CompilationDatabase &database, const std::string &file,
                                       const LintSettings &settings,
                                       llvm::function_ref<TranslationUnitResult()> lint) {
  assert(settings.Cache != nullptr && "lintThroughCache without --cache-dir");
  ResultCache &cache = *settings.Cache;
  std::string key = unitKey(cache, database, file, settings);
  if (std::optional<CacheEntry> entry = cache.lookup(key)) {
    TranslationUnitResult result;
    result.File = file;
    result.Findings = std::move(entry->Findings);
    result.Summary = std::move(entry->Summary);
    result.DeclaredNames = std::move(entry->DeclaredNames);
    return result;
  }
  TranslationUnitResult result = lint();
  // A failed or crashed unit is linted again next time: its failure is
  // reported each run, and its partial findings are never reused.
  if (!result.ParseFailed && !result.Crashed) {
    cache.store(key, CacheEntry{file, result.Inputs, result.Findings, result.Summary, result.DeclaredNames});
  }
  return result;
}

} // namespace spawnguard
