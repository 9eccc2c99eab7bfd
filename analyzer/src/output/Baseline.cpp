// Reading and writing baseline files (JSON, one object per recorded finding).
#include "output/Baseline.hpp"

#include "files/AtomicOutput.hpp"
#include "files/RepoPaths.hpp"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/xxhash.h>

#include <algorithm>
#include <set>

namespace spawnguard {
namespace {

constexpr int BaselineVersion = 1;
constexpr llvm::StringLiteral BaselineTool = "spawnguard-lint";

llvm::Error baselineError(const std::string &path, const llvm::Twine &problem) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "baseline '" + path + "' " + problem);
}

} // namespace

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
  if (root == nullptr) {
    return baselineError(path, "is not a JSON object; write one with --write-baseline");
  }
  std::optional<llvm::StringRef> tool = root->getString("tool");
  if (tool != BaselineTool) {
    return baselineError(path, "was not written by spawnguard-lint (\"tool\": " +
                                   (tool ? "\"" + tool->str() + "\"" : std::string("missing")) +
                                   "); write one with --write-baseline");
  }
  std::optional<int64_t> version = root->getInteger("version");
  if (version != BaselineVersion) {
    return baselineError(path, "has version " + (version ? std::to_string(*version) : std::string("(none)")) +
                                   ", this spawnguard-lint reads version " + std::to_string(BaselineVersion) +
                                   "; write it again with --write-baseline");
  }
  const llvm::json::Array *findings = root->getArray("findings");
  if (findings == nullptr) {
    return baselineError(path, "has no \"findings\" array; write one with --write-baseline");
  }
  Baseline baseline;
  size_t index = 0;
  for (const llvm::json::Value &entry : *findings) {
    const llvm::json::Object *object = entry.getAsObject();
    auto field = [object](llvm::StringRef name) { return object->getString(name); };
    if (object == nullptr || !field("check") || !field("file") || !field("function") || !field("callee")) {
      return baselineError(path, "finding " + llvm::Twine(index) +
                                     " is not an object with string \"check\", \"file\", \"function\" and "
                                     "\"callee\"; write the baseline again with --write-baseline");
    }
    ++baseline.Counts[{field("check")->str(), field("file")->str(), field("function")->str(),
                       field("callee")->str()}];
    ++index;
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
  llvm::json::Value document(llvm::json::Object{
      {"version", BaselineVersion}, {"tool", BaselineTool}, {"findings", std::move(entries)}});
  return writeFileAtomically(path, "baseline", [&](llvm::raw_ostream &out) {
    out << llvm::formatv("{0:2}", document) << "\n";
  });
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

bool Baseline::namesAnyOf(const std::vector<std::string> &files) const {
  std::set<std::string> named(files.begin(), files.end());
  return std::any_of(Counts.begin(), Counts.end(),
                     [&](const auto &entry) { return named.count(entry.first.File) != 0; });
}

} // namespace spawnguard
