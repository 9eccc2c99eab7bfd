// The compilation database as the lint reads it: checked entry by entry
// before anything is parsed (a clear error naming the entry and the fix), and
// with each distinct (file, command, directory) kept once, however many times
// the database lists it.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>
#include <llvm/Support/Error.h>

#include <memory>
#include <string>

namespace spawnguard {

// Reads BUILD_DIR/compile_commands.json (only that folder: searching its
// parents would silently lint with some other project's flags).
llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>> loadCompileDatabase(llvm::StringRef buildDir);

} // namespace spawnguard
