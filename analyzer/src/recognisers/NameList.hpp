// A configurable list of fully qualified names, matched against the canonical
// declaration a call or type resolves to (so aliases, using-declarations and
// template specializations all match the name the user configured).
#pragma once

#include <clang/AST/Decl.h>
#include <clang/ASTMatchers/ASTMatchers.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/StringSet.h>

#include <string>
#include <vector>

namespace spawnguard {

class NameList {
public:
  NameList() = default;
  // Names separated by ';', each like "::boost::asio::co_spawn" (the leading
  // "::" is optional).
  explicit NameList(llvm::StringRef semicolonSeparated);

  void add(llvm::StringRef qualifiedName);
  void addAll(const std::vector<std::string> &qualifiedNames);

  // True when the declaration (its canonical form, or the template it was
  // instantiated from) has one of the listed names. Caches per declaration,
  // so one NameList belongs to one translation unit at a time.
  bool contains(const clang::NamedDecl *decl) const;

  bool empty() const { return Names.empty(); }

  // "boost::asio::co_spawn" for a specialization of co_spawn, without
  // template arguments or inline namespaces.
  static std::string qualifiedName(const clang::NamedDecl *decl);

private:
  llvm::StringSet<> Names;
  mutable llvm::DenseMap<const clang::Decl *, bool> Cache;
};

// Whether a declaration is Boost.Asio's, standalone Asio's or Beast's.
bool inAsioNamespace(const clang::NamedDecl *decl);

// The declaration a specialization or instantiated member came from.
const clang::NamedDecl *templatePattern(const clang::NamedDecl *decl);

// The record a type names, through references, typedefs and aliases.
const clang::CXXRecordDecl *recordOf(clang::QualType type);

namespace matchers {
// hasAnyName, but against a NameList built at run time from the configuration.
AST_MATCHER_P(clang::NamedDecl, isListedIn, const NameList *, list) {
  (void)Finder;
  (void)Builder;
  return list->contains(&Node);
}
} // namespace matchers

} // namespace spawnguard
