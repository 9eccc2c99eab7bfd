// The compiled-in check pages.
#include "output/CheckDocs.hpp"

#include <utility>

namespace spawnguard {
namespace {

constexpr std::pair<const char *, const char *> Pages[] = {
#include "CheckDocs.inc"
};

} // namespace

llvm::StringRef checkDocPage(llvm::StringRef check) {
  for (const auto &[name, page] : Pages) {
    if (check == name) {
      return page;
    }
  }
  return "";
}

std::string checkDocUrl(llvm::StringRef check) {
  llvm::StringRef page = check;
  page.consume_front("spawnguard-");
  return std::string(SPAWNGUARD_DOCS_URL) + "/checks/" + page.str() + ".md";
}

} // namespace spawnguard
