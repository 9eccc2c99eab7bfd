// The checks' docs pages (docs/checks/NAME.md), compiled in, for the help
// SARIF gives each rule, and where the published pages are.
#pragma once

#include <llvm/ADT/StringRef.h>

#include <string>

namespace spawnguard {

// The Markdown page of a check ("spawnguard-unbounded-spawn"), or "" for a
// check without one.
llvm::StringRef checkDocPage(llvm::StringRef check);

// The page's published address: SPAWNGUARD_DOCS_URL (set when building)
// followed by /checks/NAME.md.
std::string checkDocUrl(llvm::StringRef check);

} // namespace spawnguard
