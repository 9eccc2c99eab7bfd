// Writing an output file so that a failure never leaves it half written: the
// bytes go to a temporary file beside it, are flushed to disk, and replace the
// file by a rename; on any I/O error the previous file is untouched and the
// error names the file.
#pragma once

#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/raw_ostream.h>

namespace spawnguard {

// what: how the file is named in messages ("baseline", "output file", ...).
// A path that exists and is not a regular file (/dev/stdout, /dev/full, a
// FIFO) is written in place, every write checked.
llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef what,
                                llvm::function_ref<void(llvm::raw_ostream &)> write);

// Flushes standard output and reports a failed write to it (closed, full).
llvm::Error checkStandardOutput();

} // namespace spawnguard
