// Recognising spawns: Asio's spawn family, threads that outlive their
// statement, std::async futures that are kept, and self-owning sessions.
#include "recognisers/SpawnRecogniser.hpp"

#include "ast/AstNavigation.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>

namespace spawnguard {
SpawnRecogniser::SpawnRecogniser(clang::ASTContext &context, const RecogniserNames &names,
                                 const llvm::DenseSet<const clang::Expr *> &awaited)
    : Context(context), Names(names), Awaited(awaited) {}

std::optional<SpawnCall> SpawnRecogniser::recognise(const clang::Expr *expr) const {
  if (const auto *construct = llvm::dyn_cast<clang::CXXConstructExpr>(expr)) {
    return recogniseThread(construct);
  }
  if (const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(expr)) {
    if (std::optional<SpawnCall> inContainer = recogniseThreadInContainer(member)) {
      return inContainer;
    }
  }
  if (const auto *call = llvm::dyn_cast<clang::CallExpr>(expr)) {
    return recogniseCall(call);
  }
  return std::nullopt;
}

bool SpawnRecogniser::isThreadType(clang::QualType type) const {
  const clang::CXXRecordDecl *record = recordOf(type);
  return record != nullptr && Names.ThreadTypes.contains(record);
}

const clang::FunctionDecl *SpawnRecogniser::spawnedWork(const clang::Expr *argument,
                                                        const clang::Expr *&workExpr) const {
  const clang::FunctionDecl *work = nullptr;
  const clang::SourceManager &sources = Context.getSourceManager();
  anyNode(argument, true, [&](const clang::Stmt *node) {
    if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(node)) {
      work = lambda->getCallOperator();
      workExpr = lambda;
      return true;
    }
    if (const auto *call = llvm::dyn_cast<clang::CallExpr>(node)) {
      const clang::FunctionDecl *callee = call->getDirectCallee();
      if (callee != nullptr && !inSystemHeader(sources, callee->getLocation())) {
        work = callee;
        workExpr = call;
        return true;
      }
    }
    if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(node)) {
      const auto *function = llvm::dyn_cast<clang::FunctionDecl>(ref->getDecl());
      if (function != nullptr && !inSystemHeader(sources, function->getLocation())) {
        work = function;
        workExpr = ref;
        return true;
      }
    }
    return false;
  });
  return work != nullptr ? work->getCanonicalDecl() : nullptr;
}

std::optional<SpawnCall> SpawnRecogniser::recogniseCall(const clang::CallExpr *call) const {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  if (callee == nullptr || Names.BoundedSpawnFunctions.contains(callee)) {
    return std::nullopt;
  }
  if (Names.AsyncFunctions.contains(callee)) {
    return recogniseAsync(call);
  }
  bool guarded = Names.GuardedSpawnFunctions.contains(callee);
  if ((!guarded && !Names.SpawnFunctions.contains(callee)) || Awaited.contains(call)) {
    return std::nullopt;
  }
  // co_spawn(..., use_future).get(): awaited right there.
  if (meaningfulParent(Context, call).get<clang::MemberExpr>() != nullptr) {
    return std::nullopt;
  }
  std::string name = NameList::qualifiedName(callee);
  if (name == "pthread_create" && joinedInSameIteration(call)) {
    return std::nullopt;
  }
  SpawnCall spawn;
  spawn.Anchor = call;
  spawn.Location = calleeNameLocation(call);
  spawn.Callee = name;
  spawn.Kind = SpawnKind::Call;
  unsigned first = name == "pthread_create" ? 2 : (call->getNumArgs() >= 2 ? 1 : 0);
  if (guarded && guardWith(call, spawn)) {
    first = 2; // (site or admission, executor, work, token)
  }
  for (unsigned index = first; index < call->getNumArgs() && spawn.Work == nullptr; ++index) {
    spawn.Work = spawnedWork(call->getArg(index), spawn.WorkExpr);
  }
  return spawn;
}

std::optional<SpawnCall> SpawnRecogniser::recogniseAsync(const clang::CallExpr *call) const {
  if (call->getNumArgs() < 2) {
    return std::nullopt;
  }
  bool launchesAsync = anyNode(call->getArg(0), true, [](const clang::Stmt *node) {
    const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(node);
    return ref != nullptr && llvm::isa<clang::EnumConstantDecl>(ref->getDecl()) &&
           ref->getDecl()->getName() == "async";
  });
  if (!launchesAsync || !resultOutlivesStatement(call, false)) {
    return std::nullopt;
  }
  SpawnCall spawn;
  spawn.Anchor = call;
  spawn.Location = calleeNameLocation(call);
  spawn.Callee = NameList::qualifiedName(call->getDirectCallee());
  spawn.Kind = SpawnKind::Async;
  spawn.Work = spawnedWork(call->getArg(1), spawn.WorkExpr);
  return spawn;
}

std::optional<SpawnCall> SpawnRecogniser::recogniseThread(const clang::CXXConstructExpr *construct) const {
  if (construct->getNumArgs() == 0 || !isThreadType(construct->getType()) ||
      isThreadType(construct->getArg(0)->getType()) || !resultOutlivesStatement(construct, true)) {
    return std::nullopt;
  }
  SpawnCall spawn;
  spawn.Anchor = construct;
  clang::DynTypedNode parent = meaningfulParent(Context, construct);
  if (const auto *variable = parent.get<clang::VarDecl>()) {
    spawn.Location = variable->getBeginLoc();
  } else {
    spawn.Location = outermostWrapper(Context, construct)->getBeginLoc();
  }
  spawn.Callee = NameList::qualifiedName(recordOf(construct->getType()));
  spawn.Kind = SpawnKind::Thread;
  spawn.Work = spawnedWork(construct->getArg(0), spawn.WorkExpr);
  return spawn;
}

std::optional<SpawnCall> SpawnRecogniser::recogniseThreadInContainer(const clang::CXXMemberCallExpr *call) const {
  const clang::CXXMethodDecl *method = call->getMethodDecl();
  if (method == nullptr || !method->getDeclName().isIdentifier() || !isContainerInsertion(method->getName()) ||
      call->getNumArgs() == 0) {
    return std::nullopt;
  }
  const auto *container = llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
      recordOf(call->getImplicitObjectArgument()->getType()));
  if (container == nullptr) {
    return std::nullopt;
  }
  const clang::CXXRecordDecl *thread = nullptr;
  for (const clang::TemplateArgument &argument : container->getTemplateArgs().asArray()) {
    if (argument.getKind() == clang::TemplateArgument::Type && isThreadType(argument.getAsType())) {
      thread = recordOf(argument.getAsType());
    }
  }
  if (thread == nullptr) {
    return std::nullopt;
  }
  for (const clang::Expr *argument : call->arguments()) {
    if (isThreadType(argument->getType())) {
      return std::nullopt; // an existing thread moved in: reported where it was made
    }
  }
  SpawnCall spawn;
  spawn.Anchor = call;
  spawn.Location = call->getExprLoc();
  spawn.Callee = NameList::qualifiedName(thread);
  spawn.Kind = SpawnKind::ThreadInContainer;
  spawn.Work = spawnedWork(call->getArg(0), spawn.WorkExpr);
  return spawn;
}

bool SpawnRecogniser::resultOutlivesStatement(const clang::Expr *expr, bool detachCounts) const {
  clang::DynTypedNode parent = meaningfulParent(Context, expr);
  if (const auto *member = parent.get<clang::MemberExpr>()) {
    return detachCounts && member->getMemberDecl()->getDeclName().isIdentifier() &&
           member->getMemberDecl()->getName() == "detach";
  }
  if (parent.get<clang::CallExpr>() != nullptr || parent.get<clang::CXXConstructExpr>() != nullptr ||
      parent.get<clang::InitListExpr>() != nullptr || parent.get<clang::BinaryOperator>() != nullptr ||
      parent.get<clang::FieldDecl>() != nullptr) {
    return true; // stored, assigned or moved into something that outlives the statement
  }
  const auto *variable = parent.get<clang::VarDecl>();
  if (variable == nullptr) {
    return false; // discarded or returned: the statement (or the caller) waits for it
  }
  if (variable->hasGlobalStorage()) {
    return true;
  }
  const clang::FunctionDecl *function = enclosingFunction(Context, expr);
  const clang::Stmt *body = function != nullptr ? function->getBody() : nullptr;
  // boost::thread t(work): its destructor detaches the thread unless it was joined.
  const clang::CXXRecordDecl *type = recordOf(variable->getType());
  if (detachCounts && type != nullptr && Names.DetachingThreadTypes.contains(type) &&
      !anyNode(body, true, [&](const clang::Stmt *node) { return isJoinOf(node, variable); })) {
    return true;
  }
  return anyNode(body, true, [&](const clang::Stmt *node) {
    const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(node);
    if (ref == nullptr || ref->getDecl() != variable) {
      return false;
    }
    clang::DynTypedNode user = meaningfulParent(Context, ref);
    if (const auto *member = user.get<clang::MemberExpr>()) {
      return detachCounts && member->getMemberDecl()->getDeclName().isIdentifier() &&
             member->getMemberDecl()->getName() == "detach";
    }
    return user.get<clang::CallExpr>() != nullptr; // std::move(t) into a container, or passed on
  });
}

bool SpawnRecogniser::isJoinOf(const clang::Stmt *node, const clang::VarDecl *thread) {
  const auto *call = llvm::dyn_cast<clang::CXXMemberCallExpr>(node);
  const clang::CXXMethodDecl *method = call != nullptr ? call->getMethodDecl() : nullptr;
  if (method == nullptr || !method->getDeclName().isIdentifier() || !method->getName().contains("join")) {
    return false; // join, timed_join, try_join_for, try_join_until
  }
  const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(call->getImplicitObjectArgument()->IgnoreParenImpCasts());
  return ref != nullptr && ref->getDecl() == thread;
}

bool SpawnRecogniser::guardWith(const clang::CallExpr *call, SpawnCall &spawn) const {
  const clang::CXXRecordDecl *leading = call->getNumArgs() > 0 ? recordOf(call->getArg(0)->getType()) : nullptr;
  std::string type = leading != nullptr ? NameList::qualifiedName(leading) : "";
  // Admission: Site::try_admit() decided before the spawn. Anything else is
  // counted only, unless the unit sets the site's limit (TranslationUnitFacts).
  spawn.Guarded = type == "spawnguard::Admission" ? GuardedSpawn::Limited : GuardedSpawn::Counted;
  if (type == "spawnguard::Site") {
    spawn.GuardSite = namedDecl(call->getArg(0)->IgnoreUnlessSpelledInSource());
  }
  return type == "spawnguard::Admission" || type == "spawnguard::Site";
}

bool SpawnRecogniser::joinedInSameIteration(const clang::CallExpr *call) const {
  llvm::SmallVector<const clang::Stmt *, 4> loops = enclosingLoops(Context, call);
  const clang::Stmt *scope = nullptr;
  if (!loops.empty()) {
    scope = loopBody(loops.front());
  } else if (const clang::FunctionDecl *function = enclosingFunction(Context, call)) {
    scope = function->getBody();
  }
  return anyNode(scope, true, [](const clang::Stmt *node) {
    const auto *join = llvm::dyn_cast<clang::CallExpr>(node);
    const clang::FunctionDecl *callee = join != nullptr ? join->getDirectCallee() : nullptr;
    return callee != nullptr && callee->getDeclName().isIdentifier() && callee->getName() == "pthread_join";
  });
}

} // namespace spawnguard
