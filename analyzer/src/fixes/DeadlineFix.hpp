// The missing-deadline fix: `stream.expires_after(std::chrono::seconds(N));`
// inserted before the statement that waits, at its indentation, when the
// wait is on a Beast tcp_stream (any basic_stream) or an ssl_stream over one.
#pragma once

#include "findings/FindingFix.hpp"
#include "recognisers/WaitRecogniser.hpp"

#include <clang/AST/ASTContext.h>

#include <optional>

namespace spawnguard {

// The insertion for wait, or none when the stream is not Beast's, cannot be
// named again before the statement (a temporary, a call, a macro), or the
// statement has no place of its own to insert before (a loop body or case
// label without braces).
std::optional<FindingFix> deadlineBeforeWait(clang::ASTContext &context, const WaitCall &wait, unsigned seconds);

} // namespace spawnguard
