// Temporary file, fsync, rename: llvm::sys::fs::TempFile does the first and
// the last, each write is checked through raw_fd_ostream's error state.
#include "files/AtomicOutput.hpp"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <unistd.h>

namespace spawnguard {
namespace {

llvm::Error ioError(llvm::StringRef what, llvm::StringRef path, std::error_code error) {
  return llvm::createStringError(error, "cannot write %s '%s': %s", what.str().c_str(), path.str().c_str(),
                                 error.message().c_str());
}

// Writes into an open descriptor and flushes it to the device.
std::error_code writeAndSync(int descriptor, llvm::function_ref<void(llvm::raw_ostream &)> write) {
  llvm::raw_fd_ostream out(descriptor, /*shouldClose=*/false);
  write(out);
  out.flush();
  if (std::error_code error = out.error()) {
    out.clear_error();
    return error;
  }
  if (::fsync(descriptor) != 0 && errno != EINVAL && errno != EROFS) {
    return std::error_code(errno, std::generic_category()); // EINVAL: a device that cannot be synced
  }
  return {};
}

} // namespace

llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef what,
                                llvm::function_ref<void(llvm::raw_ostream &)> write) {
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status) && llvm::sys::fs::exists(status) &&
      !llvm::sys::fs::is_regular_file(status)) {
    if (llvm::sys::fs::is_directory(status)) {
      return ioError(what, path, std::make_error_code(std::errc::is_a_directory));
    }
    int descriptor = -1;
    if (std::error_code error = llvm::sys::fs::openFileForWrite(path, descriptor, llvm::sys::fs::CD_OpenExisting)) {
      return ioError(what, path, error);
    }
    std::error_code error = writeAndSync(descriptor, write);
    ::close(descriptor);
    return error ? ioError(what, path, error) : llvm::Error::success();
  }
  llvm::SmallString<256> model(path);
  model += ".tmp-%%%%%%%%";
  llvm::Expected<llvm::sys::fs::TempFile> temporary = llvm::sys::fs::TempFile::create(model);
  if (!temporary) {
    std::error_code error = llvm::errorToErrorCode(temporary.takeError());
    return ioError(what, path, error);
  }
  if (std::error_code error = writeAndSync(temporary->FD, write)) {
    llvm::consumeError(temporary->discard());
    return ioError(what, path, error);
  }
  if (llvm::Error kept = temporary->keep(path)) {
    std::error_code error = llvm::errorToErrorCode(std::move(kept));
    llvm::consumeError(temporary->discard());
    return ioError(what, path, error);
  }
  return llvm::Error::success();
}

llvm::Error checkStandardOutput() {
  llvm::raw_fd_ostream &out = llvm::outs();
  out.flush();
  if (std::error_code error = out.error()) {
    out.clear_error(); // reported here, not again by LLVM at exit
    return llvm::createStringError(error, "cannot write to standard output: %s", error.message().c_str());
  }
  return llvm::Error::success();
}

} // namespace spawnguard
