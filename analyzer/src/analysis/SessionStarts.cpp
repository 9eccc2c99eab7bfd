// Recognising session starts over a unit's collected facts.
#include "analysis/SessionStarts.hpp"

#include "ast/AstNavigation.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/StmtCXX.h>

#include <deque>

namespace spawnguard {
namespace {

constexpr unsigned MaxDepth = 5;        // variable = variable = ... = make_shared
constexpr size_t MaxFunctionsWalked = 256; // per start method

bool callsSharedFromThis(const clang::Stmt *root) {
  return anyNode(root, true, [](const clang::Stmt *node) {
    const auto *call = llvm::dyn_cast<clang::CallExpr>(node);
    return call != nullptr && identifierOf(call->getDirectCallee()) == "shared_from_this";
  });
}

// A smart pointer or raw pointer to a class: what a factory returns.
bool isPointerToObject(clang::QualType type) {
  if (type->isPointerType()) {
    return type->getPointeeType()->getAsCXXRecordDecl() != nullptr;
  }
  const clang::CXXRecordDecl *record = recordOf(type);
  llvm::StringRef name = identifierOf(record);
  return name == "shared_ptr" || name == "unique_ptr" || name == "intrusive_ptr";
}

// The container an element access reads: sessions_.back(), sessions_[i], *it is not followed.
const clang::Expr *accessedContainer(const clang::CallExpr *call) {
  if (const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(call)) {
    llvm::StringRef name = identifierOf(member->getMethodDecl());
    if (name == "back" || name == "front" || name == "at" || name == "top") {
      return member->getImplicitObjectArgument();
    }
  }
  if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(call);
      op && op->getOperator() == clang::OO_Subscript && op->getNumArgs() == 2) {
    return op->getArg(0);
  }
  return nullptr;
}

// Whether two classes are one, or one derives from the other.
bool related(const clang::CXXRecordDecl *a, const clang::CXXRecordDecl *b) {
  if (a == nullptr || b == nullptr || !a->hasDefinition() || !b->hasDefinition()) {
    return a == b;
  }
  a = a->getCanonicalDecl();
  b = b->getCanonicalDecl();
  return a == b || a->isDerivedFrom(b) || b->isDerivedFrom(a);
}

} // namespace

SessionStarts::SessionStarts(clang::ASTContext &context, const RecogniserNames &names, TranslationUnitFacts &facts)
    : Context(context), Names(names), Facts(facts) {
  for (const Assignment &assignment : Facts.Assignments) {
    AssignmentsTo[assignment.Target].push_back(&assignment);
  }
  for (const HandlerUse &use : Facts.Handlers) {
    HandlersArmedIn[use.ArmedIn].push_back(&use);
  }
  for (const SpawnCall &spawn : Facts.Spawns) {
    SpawnsIn[spawn.Context].push_back(&spawn);
  }
  for (const CallEdge &edge : Facts.Calls) {
    Callees[edge.Caller].push_back(edge.Callee);
  }
}

const clang::CXXForRangeStmt *SessionStarts::rangeLoopOf(const clang::VarDecl *variable) const {
  for (const clang::DynTypedNode &parent : Context.getParents(*variable)) {
    const auto *statement = parent.get<clang::DeclStmt>();
    if (statement == nullptr) {
      continue;
    }
    for (const clang::DynTypedNode &grandparent : Context.getParents(*statement)) {
      const auto *range = grandparent.get<clang::CXXForRangeStmt>();
      if (range != nullptr && range->getLoopVariable() == variable) {
        return range;
      }
    }
  }
  return nullptr;
}

void SessionStarts::recognise() {
  std::vector<SpawnCall> starts;
  llvm::DenseSet<const clang::Expr *> startCalls;
  for (const MemberCallSite &site : Facts.MemberCalls) {
    const clang::CXXMethodDecl *method = site.Call->getMethodDecl();
    if (!isFresh(site.Call->getImplicitObjectArgument(), 0)) {
      continue;
    }
    Verdict verdict = startsSelfOwningWork(method);
    if (verdict == Verdict::No || (verdict == Verdict::Unknown && !looksLikeSessionStart(method))) {
      continue;
    }
    SpawnCall spawn;
    spawn.Anchor = site.Call;
    spawn.Location = site.Call->getExprLoc();
    spawn.Callee = NameList::qualifiedName(method);
    spawn.Kind = SpawnKind::Session;
    spawn.Context = site.Function;
    spawn.Work = method->getCanonicalDecl();
    spawn.WorkExpr = site.Call;
    starts.push_back(std::move(spawn));
    startCalls.insert(site.Call);
  }
  if (starts.empty()) {
    return;
  }
  // Starting a session is not calling its method: spawn edges do not carry repetition.
  llvm::erase_if(Facts.Calls, [&](const CallEdge &edge) { return startCalls.contains(edge.Call); });
  for (SpawnCall &spawn : starts) {
    Facts.Spawns.push_back(std::move(spawn));
  }
}

SessionStarts::Verdict SessionStarts::startsSelfOwningWork(const clang::CXXMethodDecl *method) {
  bool known = false;
  const clang::FunctionDecl *definition = nullptr;
  if (method->hasBody(definition) && definition != nullptr) {
    known = true;
    if (bodyStartsSelfOwningWork(definition)) {
      return Verdict::Yes;
    }
  }
  auto overriders = Facts.Overriders.find(method->getCanonicalDecl());
  if (overriders != Facts.Overriders.end()) {
    for (const clang::FunctionDecl *overrider : overriders->second) {
      const clang::FunctionDecl *body = nullptr;
      if (overrider->hasBody(body) && body != nullptr) {
        known = true;
        if (bodyStartsSelfOwningWork(body)) {
          return Verdict::Yes;
        }
      }
    }
  }
  return known ? Verdict::No : Verdict::Unknown;
}

bool SessionStarts::bodyStartsSelfOwningWork(const clang::FunctionDecl *function) {
  const clang::FunctionDecl *start = function->getCanonicalDecl();
  auto cached = BodyVerdicts.find(start);
  if (cached != BodyVerdicts.end()) {
    return cached->second;
  }
  BodyVerdicts[start] = false; // a start reached again through its own calls
  const auto *startMethod = llvm::dyn_cast<clang::CXXMethodDecl>(start);
  const clang::CXXRecordDecl *session = startMethod != nullptr ? startMethod->getParent() : nullptr;
  // Only the object's own work: its methods, the lambdas in them, and overrides.
  auto ownWork = [session](const clang::FunctionDecl *callee) {
    const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(callee);
    return method != nullptr && (method->getParent()->isLambda() || related(method->getParent(), session));
  };
  llvm::DenseSet<const clang::FunctionDecl *> seen{start};
  std::deque<const clang::FunctionDecl *> queue{start};
  bool armsOperation = false;
  bool deletesItself = false;
  bool verdict = false;
  auto enqueue = [&](const clang::FunctionDecl *next) {
    if (seen.size() < MaxFunctionsWalked && seen.insert(next).second) {
      queue.push_back(next);
    }
  };
  while (!queue.empty() && !verdict) {
    const clang::FunctionDecl *current = queue.front();
    queue.pop_front();
    deletesItself = deletesItself || Facts.DeletesThis.contains(current);
    for (const HandlerUse *use : HandlersArmedIn.lookup(current)) {
      armsOperation = true;
      for (const clang::Expr *argument : use->Operation->arguments()) {
        verdict = verdict || keepsAlive(argument);
      }
      enqueue(use->Handler);
    }
    for (const SpawnCall *spawn : SpawnsIn.lookup(current)) {
      const auto *call = llvm::dyn_cast<clang::CallExpr>(spawn->Anchor);
      for (unsigned index = 0; call != nullptr && index < call->getNumArgs(); ++index) {
        verdict = verdict || keepsAlive(call->getArg(index));
      }
    }
    for (const clang::FunctionDecl *callee : Callees.lookup(current)) {
      if (ownWork(callee)) {
        enqueue(callee);
        for (const clang::FunctionDecl *overrider : Facts.Overriders.lookup(callee)) {
          enqueue(overrider);
        }
      }
    }
  }
  verdict = verdict || (deletesItself && armsOperation);
  BodyVerdicts[start] = verdict;
  return verdict;
}

bool SessionStarts::looksLikeSessionStart(const clang::CXXMethodDecl *method) const {
  const clang::CXXRecordDecl *session = method->getParent();
  if (method->isConst() || !method->getReturnType()->isVoidType() || method->isOverloadedOperator() ||
      llvm::isa<clang::CXXConstructorDecl, clang::CXXDestructorDecl>(method) || !session->hasDefinition()) {
    return false;
  }
  return !session->forallBases(
      [this](const clang::CXXRecordDecl *base) { return !Names.SessionBases.contains(base); });
}

bool SessionStarts::isFresh(const clang::Expr *expr, unsigned depth) {
  if (expr == nullptr || depth > MaxDepth) {
    return false;
  }
  const clang::Expr *current = withoutImplicit(expr);
  if (llvm::isa<clang::CXXNewExpr>(current)) {
    return true;
  }
  if (const auto *deref = llvm::dyn_cast<clang::UnaryOperator>(current); deref && deref->getOpcode() == clang::UO_Deref) {
    return isFresh(deref->getSubExpr(), depth);
  }
  if (const auto *construct = llvm::dyn_cast<clang::CXXConstructExpr>(current)) {
    return construct->getNumArgs() > 0 && isFresh(construct->getArg(0), depth); // shared_ptr<T>(new T), a copy
  }
  if (const auto *cast = llvm::dyn_cast<clang::ExplicitCastExpr>(current)) {
    return isFresh(cast->getSubExpr(), depth);
  }
  if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(current);
      op && (op->getOperator() == clang::OO_Arrow || op->getOperator() == clang::OO_Star) && op->getNumArgs() > 0) {
    return isFresh(op->getArg(0), depth);
  }
  if (const auto *call = llvm::dyn_cast<clang::CallExpr>(current)) {
    const clang::FunctionDecl *callee = call->getDirectCallee();
    if (callee == nullptr) {
      return false;
    }
    if (Names.MakeSharedFunctions.contains(callee)) {
      return true;
    }
    llvm::StringRef name = identifierOf(callee);
    if ((name == "move" || name == "forward") && call->getNumArgs() == 1) {
      return isFresh(call->getArg(0), depth);
    }
    if (const clang::Expr *container = accessedContainer(call)) {
      const clang::ValueDecl *decl = namedDecl(container);
      return decl != nullptr && isFreshDecl(decl, true, depth + 1);
    }
    if (inSystemHeader(Context.getSourceManager(), callee->getLocation())) {
      return false;
    }
    return returnsFresh(callee, depth + 1);
  }
  const clang::ValueDecl *decl = namedDecl(current);
  return decl != nullptr && isFreshDecl(decl, false, depth + 1);
}

bool SessionStarts::isFreshDecl(const clang::ValueDecl *decl, bool inContainer, unsigned depth) {
  if (depth > MaxDepth) {
    return false;
  }
  if (const auto *parameter = llvm::dyn_cast<clang::ParmVarDecl>(decl)) {
    if (!inContainer && isFreshParameter(parameter, depth)) {
      return true;
    }
  } else if (const auto *variable = llvm::dyn_cast<clang::VarDecl>(decl); variable && !inContainer) {
    if (variable->getInit() != nullptr && isFresh(variable->getInit(), depth)) {
      return true;
    }
    // A range-for's variable holds what the container holds.
    if (const clang::CXXForRangeStmt *range = rangeLoopOf(variable)) {
      const clang::ValueDecl *container = namedDecl(range->getRangeInit());
      return container != nullptr && isFreshDecl(container, true, depth + 1);
    }
  }
  for (const Assignment *assignment : AssignmentsTo.lookup(decl)) {
    if (assignment->IntoContainer == inContainer && isFresh(assignment->Value, depth + 1)) {
      return true;
    }
  }
  return false;
}

bool SessionStarts::isFreshParameter(const clang::ParmVarDecl *parameter, unsigned depth) {
  const auto *function = llvm::dyn_cast<clang::FunctionDecl>(parameter->getDeclContext());
  if (function == nullptr) {
    return false;
  }
  const clang::FunctionDecl *canonical = function->getCanonicalDecl();
  unsigned index = parameter->getFunctionScopeIndex();
  // Called directly with a fresh argument.
  for (const CallEdge &edge : Facts.Calls) {
    const auto *call = llvm::dyn_cast<clang::CallExpr>(edge.Call);
    if (edge.Callee == canonical && call != nullptr && !llvm::isa<clang::CXXOperatorCallExpr>(call) &&
        index < call->getNumArgs() && isFresh(call->getArg(index), depth + 1)) {
      return true;
    }
  }
  // Bound as a completion handler: bind(&server::handle_accept, this, new_session, _1).
  bool isMember = llvm::isa<clang::CXXMethodDecl>(function) && !llvm::cast<clang::CXXMethodDecl>(function)->isStatic();
  for (const HandlerUse &use : Facts.Handlers) {
    if (use.Handler != canonical) {
      continue;
    }
    bool fresh = anyNode(use.Operation, true, [&](const clang::Stmt *node) {
      const auto *bind = llvm::dyn_cast<clang::CallExpr>(node);
      if (bind == nullptr || bind == use.Operation || bind->getNumArgs() == 0) {
        return false;
      }
      const clang::Expr *first = bind->getArg(0)->IgnoreUnlessSpelledInSource();
      if (const auto *address = llvm::dyn_cast<clang::UnaryOperator>(first); address && address->getOpcode() == clang::UO_AddrOf) {
        first = address->getSubExpr();
      }
      const auto *named = llvm::dyn_cast_or_null<clang::FunctionDecl>(namedDecl(first));
      if (named == nullptr || named->getCanonicalDecl() != canonical) {
        return false;
      }
      unsigned position = 1 + (isMember ? 1 : 0) + index;
      return position < bind->getNumArgs() && isFresh(bind->getArg(position), depth + 1);
    });
    if (fresh) {
      return true;
    }
  }
  return false;
}

bool SessionStarts::returnsFresh(const clang::FunctionDecl *function, unsigned depth) {
  if (depth > MaxDepth || !isPointerToObject(function->getReturnType())) {
    return false;
  }
  const clang::FunctionDecl *definition = nullptr;
  if (function->hasBody(definition) && definition != nullptr) {
    return anyNode(definition->getBody(), true, [&](const clang::Stmt *node) {
      const auto *result = llvm::dyn_cast<clang::ReturnStmt>(node);
      return result != nullptr && result->getRetValue() != nullptr && isFresh(result->getRetValue(), depth);
    });
  }
  // A factory defined in another unit: a free or static function handing out an object.
  const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(function);
  return method == nullptr || method->isStatic();
}

bool SessionStarts::keepsAlive(const clang::Expr *argument) const {
  // shared_from_this() itself, or a variable made from it (auto self = shared_from_this()).
  auto holdsSelf = [](const clang::Stmt *node) {
    if (const auto *call = llvm::dyn_cast<clang::CallExpr>(node)) {
      return identifierOf(call->getDirectCallee()) == "shared_from_this";
    }
    if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(node)) {
      const auto *variable = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
      return variable != nullptr && !llvm::isa<clang::ParmVarDecl>(variable) && variable->getInit() != nullptr &&
             callsSharedFromThis(variable->getInit());
    }
    return false;
  };
  return anyNode(argument, true, [&](const clang::Stmt *node) {
    if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(node)) {
      for (const clang::Expr *init : lambda->capture_inits()) {
        if (init != nullptr && anyNode(init, true, holdsSelf)) {
          return true;
        }
      }
      return false;
    }
    return holdsSelf(node);
  });
}

} // namespace spawnguard
