// Matching declarations against configured fully qualified names.
#include "recognisers/NameList.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/PrettyPrinter.h>
#include <llvm/Support/raw_ostream.h>

namespace spawnguard {

NameList::NameList(llvm::StringRef semicolonSeparated) {
  llvm::SmallVector<llvm::StringRef, 16> parts;
  semicolonSeparated.split(parts, ';', -1, false);
  for (llvm::StringRef part : parts) {
    add(part);
  }
}

void NameList::add(llvm::StringRef qualifiedName) {
  llvm::StringRef name = qualifiedName.trim();
  name.consume_front("::");
  if (!name.empty()) {
    Names.insert(name);
  }
  Cache.clear();
}

void NameList::addAll(const std::vector<std::string> &qualifiedNames) {
  for (const std::string &name : qualifiedNames) {
    add(name);
  }
}

bool inAsioNamespace(const clang::NamedDecl *decl) {
  std::string name = NameList::qualifiedName(decl);
  llvm::StringRef qualified(name);
  return qualified.starts_with("boost::asio::") || qualified.starts_with("asio::") ||
         qualified.starts_with("boost::beast::");
}

const clang::NamedDecl *templatePattern(const clang::NamedDecl *decl) {
  if (const auto *function = llvm::dyn_cast<clang::FunctionDecl>(decl)) {
    if (const clang::FunctionDecl *pattern = function->getTemplateInstantiationPattern()) {
      return pattern;
    }
    if (const clang::FunctionTemplateDecl *primary = function->getPrimaryTemplate()) {
      return primary->getTemplatedDecl();
    }
  }
  if (const auto *spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(decl)) {
    return spec->getSpecializedTemplate()->getTemplatedDecl();
  }
  return decl;
}

const clang::CXXRecordDecl *recordOf(clang::QualType type) {
  if (type.isNull()) {
    return nullptr;
  }
  clang::QualType canonical = type.getNonReferenceType().getCanonicalType();
  if (const auto *pointer = canonical->getAs<clang::PointerType>()) {
    canonical = pointer->getPointeeType().getCanonicalType();
  }
  return canonical->getAsCXXRecordDecl();
}

std::string NameList::qualifiedName(const clang::NamedDecl *decl) {
  const clang::NamedDecl *pattern = templatePattern(llvm::cast<clang::NamedDecl>(decl->getCanonicalDecl()));
  std::string name;
  llvm::raw_string_ostream os(name);
  clang::PrintingPolicy policy(pattern->getASTContext().getLangOpts());
  policy.SuppressInlineNamespace = true;
  policy.SuppressUnwrittenScope = true;
  // Members of class templates print as "std::vector::emplace_back": the
  // context of an instantiated member is a specialization, so print the
  // pattern's context by hand.
  const clang::DeclContext *context = pattern->getDeclContext();
  if (const auto *record = llvm::dyn_cast<clang::CXXRecordDecl>(context)) {
    os << qualifiedName(record) << "::" << pattern->getDeclName();
    return name;
  }
  pattern->printQualifiedName(os, policy);
  return name;
}

bool NameList::contains(const clang::NamedDecl *decl) const {
  if (decl == nullptr || Names.empty()) {
    return false;
  }
  if (auto cached = Cache.find(decl); cached != Cache.end()) {
    return cached->second;
  }
  bool listed = Names.contains(qualifiedName(decl));
  Cache[decl] = listed;
  return listed;
}

} // namespace spawnguard
