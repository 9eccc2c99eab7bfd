// Recognising waits and deadlines by configured names and Asio's wait verbs.
#include "recognisers/WaitRecogniser.hpp"

#include <llvm/ADT/StringSwitch.h>

namespace spawnguard {
namespace {

bool isAsioWaitVerb(llvm::StringRef name) {
  return llvm::StringSwitch<bool>(name)
      .Cases("async_read", "async_read_some", "async_read_until", "async_write", "async_write_some", true)
      .Cases("async_connect", "async_receive", "read_some", "read", "read_until", true)
      .Cases("write", "connect", "receive", true)
      .Default(false);
}

bool inAsioNamespace(const clang::FunctionDecl *function) {
  std::string name = NameList::qualifiedName(function);
  llvm::StringRef qualified(name);
  return qualified.starts_with("boost::asio::") || qualified.starts_with("asio::") ||
         qualified.starts_with("boost::beast::");
}

} // namespace

bool WaitRecogniser::isWait(const clang::CallExpr *call) const {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  if (callee == nullptr) {
    return false;
  }
  if (Names.WaitFunctions.contains(callee)) {
    return true;
  }
  return callee->getDeclName().isIdentifier() && isAsioWaitVerb(callee->getName()) && inAsioNamespace(callee);
}

bool WaitRecogniser::isDeadline(const clang::CallExpr *call) const {
  return Names.DeadlineFunctions.contains(call->getDirectCallee());
}

} // namespace spawnguard
