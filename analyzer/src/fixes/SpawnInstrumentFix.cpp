// Rewriting `boost::asio::co_spawn(ex, work, token)` into
// `spawnguard::co_spawn(spawnguard::Guard::global().site("<name>"), ex, work, token)`.
#include "fixes/SpawnInstrumentFix.hpp"

#include "fixes/IncludeInsertion.hpp"
#include "fixes/SourceEdit.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/Lex/Lexer.h>

namespace spawnguard {
namespace {

// Boost.Asio's spawns the runtime wraps, and how many arguments the wrapper
// takes after the site: co_spawn(ex, work, token), post(ex, handler).
// Standalone Asio is not here: the runtime is built on Boost.Asio's types.
std::optional<std::pair<llvm::StringRef, unsigned>> wrapperFor(llvm::StringRef callee) {
  if (callee == "boost::asio::co_spawn") {
    return std::make_pair(llvm::StringRef("co_spawn"), 3U);
  }
  if (callee.consume_front("boost::asio::") && (callee == "post" || callee == "dispatch" || callee == "defer")) {
    return std::make_pair(callee, 2U);
  }
  return std::nullopt;
}

} // namespace

std::string siteNameFor(const std::string &function) {
  llvm::StringRef name(function);
  std::string site;
  if (name.consume_front("lambda in ")) {
    site = name.str() + "/lambda";
  } else if (name == "lambda") {
    site = "lambda";
  } else {
    site = name.str();
  }
  for (char &c : site) {
    if (c == ';' || c == '=' || c == ',' || c == ' ' || c == '"' || c == '\\') {
      c = '_';
    }
  }
  return site;
}

std::optional<FindingFix> instrumentSpawn(clang::ASTContext &context, const SpawnCall &spawn,
                                          const std::string &site) {
  const auto *call = llvm::dyn_cast_or_null<clang::CallExpr>(spawn.Anchor);
  std::optional<std::pair<llvm::StringRef, unsigned>> wrapper = wrapperFor(spawn.Callee);
  if (spawn.Kind != SpawnKind::Call || call == nullptr || !wrapper) {
    return std::nullopt;
  }
  // The arguments written (Asio adds defaulted constraint parameters): with
  // Asio's default token left out, co_spawn(ex, work), the wrapper wants one.
  unsigned written = 0;
  for (const clang::Expr *argument : call->arguments()) {
    written += llvm::isa<clang::CXXDefaultArgExpr>(argument) ? 0 : 1;
  }
  if (written != wrapper->second) {
    return std::nullopt;
  }
  const clang::SourceManager &sources = context.getSourceManager();
  const clang::LangOptions &language = context.getLangOpts();
  const clang::Expr *callee = call->getCallee()->IgnoreImplicit();
  clang::SourceLocation calleeEnd = callee->getEndLoc();
  if (callee->getBeginLoc().isMacroID() || calleeEnd.isMacroID()) {
    return std::nullopt;
  }
  // Through the opening parenthesis: "boost::asio::co_spawn(" becomes
  // "spawnguard::co_spawn(spawnguard::Guard::global().site("x"), ".
  std::optional<clang::Token> open = clang::Lexer::findNextToken(calleeEnd, sources, language);
  if (!open || !open->is(clang::tok::l_paren) || open->getLocation().isMacroID()) {
    return std::nullopt;
  }
  clang::SourceLocation afterOpen = open->getEndLoc();
  const char *next = sources.getCharacterData(afterOpen);
  bool argumentsOnNextLine = *next == '\n' || *next == '\r';
  std::string text = "spawnguard::" + wrapper->first.str() + "(spawnguard::Guard::global().site(\"" + site +
                     "\")" + (argumentsOnNextLine ? "," : ", ");
  std::optional<FixEdit> rewrite = editBetween(sources, callee->getBeginLoc(), afterOpen, std::move(text));
  if (!rewrite) {
    return std::nullopt;
  }
  FindingFix fix;
  fix.Description = "spawn through spawnguard at site '" + site + "' (counted, not limited, until a limit is set)";
  fix.Edits.push_back(std::move(*rewrite));
  clang::FileID file = sources.getFileID(callee->getBeginLoc());
  if (std::optional<FixEdit> include = includeInsertion(sources, file, RuntimeHeader)) {
    fix.Edits.push_back(std::move(*include));
  }
  return fix;
}

} // namespace spawnguard
