// Looking configured names up in a translation unit's declarations.
#include "recognisers/ConfiguredNames.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>

#include <set>

namespace spawnguard {
namespace {

// The scope a found declaration opens for the next component, or nullptr.
const clang::DeclContext *scopeOf(const clang::NamedDecl *decl) {
  if (const auto *space = llvm::dyn_cast<clang::NamespaceDecl>(decl)) {
    return space;
  }
  if (const auto *alias = llvm::dyn_cast<clang::NamespaceAliasDecl>(decl)) {
    return alias->getNamespace();
  }
  if (const auto *pattern = llvm::dyn_cast<clang::ClassTemplateDecl>(decl)) {
    decl = pattern->getTemplatedDecl();
  }
  if (const auto *record = llvm::dyn_cast<clang::CXXRecordDecl>(decl)) {
    return record->getDefinition();
  }
  return nullptr;
}

bool declares(clang::ASTContext &context, llvm::StringRef qualified) {
  qualified = qualified.trim();
  qualified.consume_front("::");
  if (qualified.contains('<') || qualified.contains("operator") || qualified.empty()) {
    return true; // not a plain path of identifiers: not judged
  }
  llvm::SmallVector<llvm::StringRef, 6> parts;
  qualified.split(parts, "::");
  std::vector<const clang::DeclContext *> scopes{context.getTranslationUnitDecl()};
  for (size_t index = 0; index < parts.size() && !scopes.empty(); ++index) {
    bool last = index + 1 == parts.size();
    // A constructor: "ns::session::session" names the class's own.
    if (last && index > 0 && parts[index] == parts[index - 1] &&
        llvm::any_of(scopes, [](const clang::DeclContext *scope) { return llvm::isa<clang::CXXRecordDecl>(scope); })) {
      return true;
    }
    clang::DeclarationName name(&context.Idents.get(parts[index]));
    std::vector<const clang::DeclContext *> next;
    for (const clang::DeclContext *scope : scopes) {
      for (const clang::NamedDecl *found : scope->lookup(name)) {
        if (last) {
          return true;
        }
        if (const clang::DeclContext *inner = scopeOf(found)) {
          next.push_back(inner);
        }
      }
    }
    scopes = std::move(next);
  }
  return false;
}

void addAll(std::vector<ConfiguredName> &names, const char *key, const std::vector<std::string> &list) {
  for (const std::string &name : list) {
    names.push_back({key, name});
  }
}

} // namespace

std::vector<ConfiguredName> configuredNames(const ConfigFile &config) {
  std::vector<ConfiguredName> names;
  addAll(names, "spawn-functions", config.SpawnFunctions);
  addAll(names, "bound-functions", config.BoundFunctions);
  addAll(names, "bounded-spawn-functions", config.BoundedSpawnFunctions);
  addAll(names, "wait-functions", config.WaitFunctions);
  addAll(names, "deadline-functions", config.DeadlineFunctions);
  for (const auto &[key, list] : config.CheckLists) {
    addAll(names, key.c_str(), list);
  }
  return names;
}

std::vector<std::string> declaredNames(clang::ASTContext &context, const std::vector<ConfiguredName> &names) {
  std::set<std::string> declared;
  for (const ConfiguredName &name : names) {
    if (!declared.count(name.Name) && declares(context, name.Name)) {
      declared.insert(name.Name);
    }
  }
  return {declared.begin(), declared.end()};
}

} // namespace spawnguard
