// The facts of one translation unit the checks reason over, collected in one
// pass over user code: spawns, waits, calls between user functions (lambdas
// are functions too), completion handlers and the operations that arm them,
// and the expressions that are co_awaited.
#pragma once

#include "recognisers/RecogniserNames.hpp"
#include "recognisers/SpawnRecogniser.hpp"
#include "recognisers/WaitRecogniser.hpp"

#include <clang/AST/ASTContext.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/DenseSet.h>
#include <llvm/ADT/SmallVector.h>

#include <vector>

namespace spawnguard {

struct CallEdge {
  const clang::FunctionDecl *Caller = nullptr; // canonical
  const clang::FunctionDecl *Callee = nullptr; // canonical
  const clang::Expr *Call = nullptr;
};

// A function or lambda passed as the completion handler of an async_* operation.
struct HandlerUse {
  const clang::FunctionDecl *Handler = nullptr; // canonical
  const clang::FunctionDecl *ArmedIn = nullptr; // canonical: the function that starts the operation
  const clang::CallExpr *Operation = nullptr;
};

// A wait on something outside the process, and the function (or lambda) it is in.
struct WaitSite {
  WaitCall Wait;
  const clang::FunctionDecl *Function = nullptr; // canonical
};

// A value stored into a variable or member: `x = v`, `x.reset(v)`, or, with
// IntoContainer, `x.push_back(v)` and the other insertions.
struct Assignment {
  const clang::ValueDecl *Target = nullptr;
  const clang::Expr *Value = nullptr;
  bool IntoContainer = false;
};

// A call of a user-defined method on an object other than `this`: a session
// start if the method starts work that keeps the object alive (SessionStarts).
struct MemberCallSite {
  const clang::CXXMemberCallExpr *Call = nullptr;
  const clang::FunctionDecl *Function = nullptr; // canonical: where the call is made
};

// A call through a stored callable: a function pointer (a member of a C
// library's callback struct), a std::function, a callable member or variable.
struct IndirectCall {
  const clang::ValueDecl *Slot = nullptr;       // the member or variable called through
  const clang::CallExpr *Call = nullptr;
  const clang::FunctionDecl *Caller = nullptr;  // canonical
};

class TranslationUnitFacts {
public:
  // Collects over the context's traversal scope (user code only).
  static TranslationUnitFacts collect(clang::ASTContext &context, const RecogniserNames &names);

  std::vector<SpawnCall> Spawns;
  std::vector<CallEdge> Calls;
  std::vector<HandlerUse> Handlers;
  std::vector<WaitSite> Waits;
  llvm::DenseSet<const clang::Expr *> Awaited;
  std::vector<Assignment> Assignments;
  std::vector<MemberCallSite> MemberCalls;
  // Virtual methods (canonical) and the overriders this unit defines (canonical),
  // every level of the hierarchy: a call of the first may run any of the second.
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<const clang::FunctionDecl *, 2>> Overriders;
  // Callables stored into a member or variable (an assignment, an initializer,
  // a struct's initializer list), by the member or variable: what a call
  // through it may run.
  llvm::DenseMap<const clang::ValueDecl *, llvm::SmallVector<const clang::FunctionDecl *, 2>> SlotTargets;
  std::vector<IndirectCall> IndirectCalls;
  // spawnguard::Site variables and members the unit calls set_limit on.
  llvm::DenseSet<const clang::ValueDecl *> LimitedSites;
  // Functions whose body holds `delete this` (an object that ends its own life).
  llvm::DenseSet<const clang::FunctionDecl *> DeletesThis;

  // Indexes into Calls, by canonical callee and caller.
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<size_t, 4>> CallsTo;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<size_t, 4>> CallsFrom;

  // Whether from can reach to through plain calls in this translation unit.
  bool reaches(const clang::FunctionDecl *from, const clang::FunctionDecl *to) const;
  // Whether from can reach to through calls and the completion handlers the
  // functions on the way arm (a header handler starting the body read, whose
  // handler starts the next header read).
  bool reachesThroughHandlers(const clang::FunctionDecl *from, const clang::FunctionDecl *to) const;
  // The first call on a path from `from` towards `to`, for a note.
  const clang::Expr *firstCallTowards(const clang::FunctionDecl *from, const clang::FunctionDecl *to) const;
  // The last call on a shortest path from `from` to `to` (the call of `to` itself).
  const CallEdge *lastCallTowards(const clang::FunctionDecl *from, const clang::FunctionDecl *to) const;
};

} // namespace spawnguard
