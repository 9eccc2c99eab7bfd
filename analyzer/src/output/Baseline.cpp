// Reading and writing baseline files (JSON, one object per recorded finding).
#include "output/Baseline.hpp"

#include "output/RepoPaths.hpp"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/xxhash.h>

namespace spawnguard {

BaselineKey baselineKey(const Finding &finding, const std::string &root) {
  return {finding.Check, relativeToRoot(root, finding.Where.File), finding.Function, finding.Callee};
}

std::string fingerprint(const BaselineKey &key, size_t occurrence) {
  std::string text = key.Check + "\n" + key.File + "\n" + key.Function + "\n" + key.Callee + "\n" +
                     std::to_string(occurrence);
  return llvm::utohexstr(llvm::xxh3_64bits(text), /*LowerCase=*/true, 16);
}

llvm::Expected<Baseline> Baseline::read(const std::string &path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    return llvm::createStringError(buffer.getError(), "cannot read baseline '%s': %s", path.c_str(),
                                   buffer.getError().message().c_str());
  }
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse((*buffer)->getBuffer());
  if (!parsed) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "baseline '%s' is not JSON: %s", path.c_str(),
                                   llvm::toString(parsed.takeError()).c_str());
  }
  const llvm::json::Object *root = parsed->getAsObject();
  const llvm::json::Array *findings = root != nullptr ? root->getArray("findings") : nullptr;
  if (findings == nullptr) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "baseline '%s' has no \"findings\" array; write one with --write-baseline",
                                   path.c_str());
  }
  Baseline baseline;
  for (const llvm::json::Value &entry : *findings) {
    const llvm::json::Object *object = entry.getAsObject();
    if (object == nullptr) {
      continue;
    }
    auto field = [object](llvm::StringRef name) { return object->getString(name).value_or("").str(); };
    ++baseline.Counts[{field("check"), field("file"), field("function"), field("callee")}];
  }
  return baseline;
}

llvm::Error Baseline::write(const std::string &path, const std::vector<Finding> &findings,
                            const std::string &root) {
  llvm::json::Array entries;
  for (const Finding &finding : findings) {
    BaselineKey key = baselineKey(finding, root);
    entries.push_back(llvm::json::Object{
        {"check", key.Check}, {"file", key.File}, {"function", key.Function}, {"callee", key.Callee}});
  }
  std::error_code error;
  llvm::raw_fd_ostream out(path, error, llvm::sys::fs::OF_Text);
  if (error) {
    return llvm::createStringError(error, "cannot write baseline '%s': %s", path.c_str(), error.message().c_str());
  }
  out << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                    {"version", 1}, {"tool", "spawnguard-lint"}, {"findings", std::move(entries)}}))
      << "\n";
  return llvm::Error::success();
}

size_t Baseline::removeKnown(std::vector<Finding> &findings, const std::string &root) const {
  std::map<BaselineKey, size_t> remaining = Counts;
  size_t before = findings.size();
  std::erase_if(findings, [&](const Finding &finding) {
    auto known = remaining.find(baselineKey(finding, root));
    if (known == remaining.end() || known->second == 0) {
      return false;
    }
    --known->second;
    return true;
  });
  return before - findings.size();
}

} // namespace spawnguard
