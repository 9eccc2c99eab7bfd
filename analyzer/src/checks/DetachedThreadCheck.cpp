// Reporting every call to a listed detach function.
#include "checks/DetachedThreadCheck.hpp"

#include "ast/AstNavigation.hpp"

#include <clang/ASTMatchers/ASTMatchers.h>

namespace spawnguard {

using namespace clang::ast_matchers;

void DetachedThreadCheck::registerMatchers(MatchFinder &finder) {
  finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(matchers::isListedIn(&Context.Names.DetachFunctions))),
                                      unless(isExpansionInSystemHeader()))
                        .bind("detach"),
                    this);
}

void DetachedThreadCheck::check(const MatchFinder::MatchResult &result) {
  const auto *call = result.Nodes.getNodeAs<clang::CXXMemberCallExpr>("detach");
  std::string callee = NameList::qualifiedName(call->getMethodDecl());
  PendingFinding finding;
  finding.Check = Name;
  finding.Location = call->getExprLoc();
  finding.Message = "detached thread: '" + callee +
                    "' gives up the only handle that can count, join or stop this thread";
  finding.Notes.push_back({call->getExprLoc(), "keep the thread and join it (std::jthread joins by itself), or run "
                                               "the work on a bounded pool (C++ Core Guidelines CP.26)"});
  finding.Function = describeFunction(enclosingFunction(Context.AST, call));
  finding.Callee = callee;
  Context.report(std::move(finding));
}

} // namespace spawnguard
