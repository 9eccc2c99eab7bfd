// Building and caching function CFGs, and locating an expression in one.
#include "analysis/FunctionGraphs.hpp"

#include "ast/AstNavigation.hpp"

#include <clang/AST/ParentMapContext.h>

namespace spawnguard {

const clang::CFG *FunctionGraphs::graphOf(const clang::FunctionDecl *function, const clang::Stmt *&body) {
  const clang::FunctionDecl *definition = function->getDefinition();
  body = definition != nullptr ? analysableBody(definition) : nullptr;
  if (body == nullptr) {
    return nullptr;
  }
  auto [slot, inserted] = Graphs.try_emplace(body);
  if (inserted) {
    clang::CFG::BuildOptions options;
    options.setAllAlwaysAdd();
    slot->second = clang::CFG::buildCFG(definition, const_cast<clang::Stmt *>(body), &Context, options);
  }
  return slot->second.get();
}

llvm::DenseSet<const clang::Stmt *> targetAndAncestors(clang::ASTContext &context, const clang::Expr *target,
                                                      const clang::Stmt *root) {
  llvm::DenseSet<const clang::Stmt *> chain{target};
  clang::DynTypedNode current = clang::DynTypedNode::create(*target);
  while (true) {
    auto parents = context.getParents(current);
    if (parents.empty()) {
      break;
    }
    current = parents[0];
    const auto *stmt = current.get<clang::Stmt>();
    if (stmt == nullptr || stmt == root) {
      if (current.get<clang::Decl>() == nullptr || llvm::isa<clang::FunctionDecl>(current.get<clang::Decl>())) {
        break;
      }
      continue; // a VarDecl between a DeclStmt and its initialiser
    }
    chain.insert(stmt);
  }
  return chain;
}

} // namespace spawnguard
