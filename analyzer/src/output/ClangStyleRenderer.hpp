// Renders a finding through clang's own DiagnosticsEngine and
// TextDiagnosticPrinter, so the text (caret, source line, notes, colours)
// looks and behaves like a clang warning.
#pragma once

#include "checks/Check.hpp"

#include <clang/Basic/LangOptions.h>
#include <clang/Basic/SourceManager.h>

#include <string>

namespace spawnguard {

std::string renderClangStyle(clang::SourceManager &sources, const clang::LangOptions &language,
                             const PendingFinding &finding, bool colour);

} // namespace spawnguard
