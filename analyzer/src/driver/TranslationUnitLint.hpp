// Linting one translation unit: parse it with its compile command, collect
// the facts of user code, run the enabled checks, resolve their findings
// (dropping what system headers, skip paths or NOLINT hide, before fix-its
// are made) and summarise the unit for the cross-unit half of the checks.
// With --cache-dir, an unchanged unit's last result instead (driver/CachedLint).
#pragma once

#include "cache/UnitInputs.hpp"
#include "config/Config.hpp"
#include "findings/Finding.hpp"
#include "summary/TranslationUnitSummary.hpp"

#include <clang/Tooling/CompilationDatabase.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spawnguard {

class ResultCache;

struct LintSettings {
  std::shared_ptr<const ConfigFile> Config;
  std::string Root; // the repository: skip paths are relative to it
  std::vector<std::string> EnabledChecks;
  bool Strict = false;
  // Skip freeing the AST, as clang's driver does, when the process ends right after.
  bool ProcessEndsAfter = false;
  // Summarise the TU for the cross-translation-unit merge.
  bool Summarise = false;
  // --extra-arg-before and --extra-arg: put first and last in every compile command.
  std::vector<std::string> ExtraArgsBefore;
  std::vector<std::string> ExtraArgs;
  // --cache-dir: units whose inputs are unchanged reuse their last result.
  ResultCache *Cache = nullptr;
};

struct TranslationUnitResult {
  std::string File;
  std::vector<Finding> Findings; // kept, not rendered
  std::optional<TranslationUnitSummary> Summary; // when LintSettings::Summarise; no spawn in a skipped file
  // The configuration's spawn/bound/wait/deadline names this unit declares
  // (recognisers/ConfiguredNames.hpp): one declared by no unit is warned about.
  std::vector<std::string> DeclaredNames;
  bool ParseFailed = false;
  bool Crashed = false; // the lint itself crashed on this TU (recovered, reported)
  std::string Errors; // clang's diagnostics for a failed parse
  std::vector<UnitInput> Inputs; // the files the parse read, with --cache-dir
};

TranslationUnitResult lintTranslationUnit(const clang::tooling::CompilationDatabase &database,
                                          const std::string &file, const LintSettings &settings);

} // namespace spawnguard
