// Linting one translation unit: parse it with its compile command, collect
// the facts of user code, run the enabled checks, drop what NOLINT or system
// headers hide, and render the rest.
#pragma once

#include "driver/Config.hpp"
#include "output/Finding.hpp"
#include "summary/TranslationUnitSummary.hpp"

#include <clang/Tooling/CompilationDatabase.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spawnguard {

struct LintSettings {
  std::shared_ptr<const ConfigFile> Config;
  std::vector<std::string> EnabledChecks;
  bool Strict = false;
  // Skip freeing the AST, as clang's driver does, when the process ends right after.
  bool ProcessEndsAfter = false;
  // Summarise the TU for the cross-translation-unit merge.
  bool Summarise = false;
  // --extra-arg-before and --extra-arg: put first and last in every compile command.
  std::vector<std::string> ExtraArgsBefore;
  std::vector<std::string> ExtraArgs;
};

struct TranslationUnitResult {
  std::string File;
  std::vector<Finding> Findings;
  std::optional<TranslationUnitSummary> Summary; // when LintSettings::Summarise
  bool ParseFailed = false;
  bool Crashed = false; // the lint itself crashed on this TU (recovered, reported)
  std::string Errors; // clang's diagnostics for a failed parse
};

TranslationUnitResult lintTranslationUnit(const clang::tooling::CompilationDatabase &database,
                                          const std::string &file, const LintSettings &settings);

} // namespace spawnguard
