// Small questions about where an expression sits in the AST: its meaningful
// parent, its enclosing function or lambda, the loops around it.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/ASTTypeTraits.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <llvm/ADT/SmallVector.h>

#include <functional>
#include <string>

namespace spawnguard {

// The first parent that is not an implicit wrapper (casts, temporaries,
// parentheses, cleanups, functional casts, elidable copies).
clang::DynTypedNode meaningfulParent(clang::ASTContext &context, const clang::Stmt *node);

// The outermost implicit wrapper around an expression (the node whose parent
// meaningfulParent returns).
const clang::Stmt *outermostWrapper(clang::ASTContext &context, const clang::Stmt *node);

// The function whose body holds the node: a lambda's call operator, a
// function, a method. Null at namespace scope.
const clang::FunctionDecl *enclosingFunction(clang::ASTContext &context, const clang::Stmt *node);

// The loops between a node and the body of its enclosing function, innermost first.
llvm::SmallVector<const clang::Stmt *, 4> enclosingLoops(clang::ASTContext &context, const clang::Stmt *node);

// The body a control-flow analysis starts from: a coroutine's written body, or the function body.
const clang::Stmt *analysableBody(const clang::FunctionDecl *function);

// The loop's body statement.
const clang::Stmt *loopBody(const clang::Stmt *loop);

// Calls fn on every node of the subtree, not descending into lambda bodies
// when skipLambdas is set. Stops when fn returns true; returns whether it did.
bool anyNode(const clang::Stmt *root, bool skipLambdas, const std::function<bool(const clang::Stmt *)> &fn);

// The expression under every parenthesis and implicit node (casts,
// temporaries, cleanups) around it.
const clang::Expr *withoutImplicit(const clang::Expr *expr);

// A declaration's plain name, or "" for operators, constructors and the like.
llvm::StringRef identifierOf(const clang::NamedDecl *decl);

// A container member that inserts an element: push_back, emplace, insert, ...
bool isContainerInsertion(llvm::StringRef name);

// The variable or member an expression names directly (through parentheses,
// implicit casts and temporaries), or null.
const clang::ValueDecl *namedDecl(const clang::Expr *expr);

// Whether the expression (through parentheses and implicit casts) names decl.
bool refersTo(const clang::Expr *expr, const clang::ValueDecl *decl);

// "server::do_accept", "main", "handler in server::do_accept" for a lambda.
std::string describeFunction(const clang::FunctionDecl *function);

// Where a finding about a call points: the callee's name (the member's name
// for member calls).
clang::SourceLocation calleeNameLocation(const clang::CallExpr *call);

bool inSystemHeader(const clang::SourceManager &sources, clang::SourceLocation location);

} // namespace spawnguard
