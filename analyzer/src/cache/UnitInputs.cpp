// The files in a SourceManager, from its file table.
#include "cache/UnitInputs.hpp"

#include "cache/ContentHash.hpp"

#include <clang/Basic/FileManager.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <algorithm>

namespace spawnguard {

std::vector<UnitInput> unitInputs(const clang::SourceManager &sources) {
  std::vector<UnitInput> inputs;
  for (auto entry = sources.fileinfo_begin(); entry != sources.fileinfo_end(); ++entry) {
    llvm::SmallString<256> path(entry->first.getName());
    sources.getFileManager().makeAbsolutePath(path);
    llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/false);
    std::string hash;
    if (std::optional<llvm::MemoryBufferRef> buffer = entry->second->getBufferIfLoaded()) {
      hash = contentHash(buffer->getBuffer());
    } else {
      // Known to the parse but never read, so its bytes changed nothing;
      // recorded as on disk now all the same.
      llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> read =
          llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
      hash = read ? contentHash((*read)->getBuffer()) : "";
    }
    inputs.push_back({std::string(path), std::move(hash)});
  }
  std::sort(inputs.begin(), inputs.end());
  inputs.erase(std::unique(inputs.begin(), inputs.end()), inputs.end());
  return inputs;
}

} // namespace spawnguard
