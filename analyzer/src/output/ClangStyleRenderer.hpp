// Renders a finding through clang's own DiagnosticsEngine and
// TextDiagnosticPrinter over its real files, so the text (caret, source line,
// notes, colours) looks and behaves like a clang warning. Done once, when the
// text output is written, for the findings that are kept.
#pragma once

#include "output/SourceFiles.hpp"

#include <string>

namespace spawnguard {

// asError: shown as an error (--warnings-as-errors), in the warning's colour.
std::string renderClangStyle(SourceFiles &files, const Finding &finding, bool colour, bool asError);

} // namespace spawnguard
