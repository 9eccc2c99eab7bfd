// What drives a loop: outside events (accept, read, an endless loop, a stop
// flag), input size (a range or count that comes from data), or a fixed count.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Stmt.h>
#include <llvm/ADT/DenseMap.h>

#include <string>

namespace spawnguard {

enum class LoopDriver { FixedCount, InputSized, OutsideEvents };

struct LoopClass {
  LoopDriver Driver = LoopDriver::FixedCount;
  // What one iteration stands for: "accepted connection", "read", ...
  std::string PerIteration;
};

class LoopClassifier {
public:
  explicit LoopClassifier(clang::ASTContext &context) : Context(context) {}
  LoopClass classify(const clang::Stmt *loop) const;

private:
  LoopClass classifyUncached(const clang::Stmt *loop) const;
  bool isFlag(const clang::Expr *condition) const;
  bool isConstantBound(const clang::Expr *condition) const;

  clang::ASTContext &Context;
  mutable llvm::DenseMap<const clang::Stmt *, LoopClass> Classes;
};

} // namespace spawnguard
