// Inserting Beast's expires_after before a wait with no deadline.
#include "fixes/DeadlineFix.hpp"

#include "ast/AstNavigation.hpp"
#include "fixes/SourceEdit.hpp"
#include "recognisers/NameList.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Lex/Lexer.h>

namespace spawnguard {
namespace {

enum class BeastStream { No, Basic, Ssl };

BeastStream beastStreamKind(clang::QualType type) {
  const clang::CXXRecordDecl *record = recordOf(type);
  if (record == nullptr) {
    return BeastStream::No;
  }
  std::string name = NameList::qualifiedName(record);
  if (name == "boost::beast::basic_stream") {
    return BeastStream::Basic;
  }
  const auto *specialization = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(record);
  if (name == "boost::beast::ssl_stream" && specialization != nullptr &&
      specialization->getTemplateArgs().size() > 0 &&
      specialization->getTemplateArgs()[0].getKind() == clang::TemplateArgument::Type &&
      beastStreamKind(specialization->getTemplateArgs()[0].getAsType()) == BeastStream::Basic) {
    return BeastStream::Ssl;
  }
  return BeastStream::No;
}

// The smart pointer `*pointer` dereferences (unique_ptr, shared_ptr: any
// class's unary operator*), or null.
const clang::Expr *smartPointerDereferenced(const clang::Expr *expr) {
  const auto *call = llvm::dyn_cast<clang::CXXOperatorCallExpr>(expr->IgnoreParenImpCasts());
  if (call == nullptr || call->getOperator() != clang::OO_Star || call->getNumArgs() != 1) {
    return nullptr;
  }
  return call->getArg(0);
}

// Whether naming expr again has no effect of its own: variables, members,
// this, and dereferences of those.
bool isPlainName(const clang::Expr *expr) {
  expr = expr->IgnoreParenImpCasts();
  if (llvm::isa<clang::DeclRefExpr>(expr) || llvm::isa<clang::CXXThisExpr>(expr)) {
    return true;
  }
  if (const auto *member = llvm::dyn_cast<clang::MemberExpr>(expr)) {
    return llvm::isa<clang::FieldDecl>(member->getMemberDecl()) && isPlainName(member->getBase());
  }
  if (const auto *deref = llvm::dyn_cast<clang::UnaryOperator>(expr)) {
    return deref->getOpcode() == clang::UO_Deref && isPlainName(deref->getSubExpr());
  }
  if (const clang::Expr *pointer = smartPointerDereferenced(expr)) {
    return isPlainName(pointer);
  }
  return false;
}

// The statement holding node that sits directly in a block, or null when the
// way up passes a loop, a label or a lambda (inserting before it would not run
// before each wait).
const clang::Stmt *statementInBlock(clang::ASTContext &context, const clang::Stmt *node) {
  const clang::Stmt *statement = node;
  clang::DynTypedNode current = clang::DynTypedNode::create(*node);
  while (true) {
    clang::DynTypedNodeList parents = context.getParents(current);
    if (parents.empty()) {
      return nullptr;
    }
    clang::DynTypedNode parent = parents[0];
    if (const auto *stmt = parent.get<clang::Stmt>()) {
      if (llvm::isa<clang::CompoundStmt>(stmt)) {
        return statement;
      }
      if (llvm::isa<clang::ForStmt, clang::WhileStmt, clang::DoStmt, clang::CXXForRangeStmt, clang::SwitchCase,
                    clang::LabelStmt, clang::LambdaExpr, clang::CoroutineBodyStmt>(stmt)) {
        return nullptr;
      }
      statement = stmt;
    } else if (parent.get<clang::VarDecl>() == nullptr) {
      return nullptr; // a variable's initializer goes on up to its declaration; anything else is no statement
    }
    current = parent;
  }
}

// The stream expression's text, and whether it is a pointer: "stream_",
// "self->stream_", "stream" (from *stream or stream->).
struct StreamText {
  std::string Text;
  bool Pointer = false;
};

std::optional<StreamText> streamText(const clang::Expr *stream, bool arrow, const clang::SourceManager &sources,
                                     const clang::LangOptions &language) {
  stream = stream->IgnoreImplicit();
  if (const auto *deref = llvm::dyn_cast<clang::UnaryOperator>(stream->IgnoreParens());
      deref != nullptr && deref->getOpcode() == clang::UO_Deref) {
    stream = deref->getSubExpr()->IgnoreImplicit();
    arrow = true;
  } else if (const clang::Expr *pointer = smartPointerDereferenced(stream)) {
    stream = pointer->IgnoreImplicit();
    arrow = true;
  }
  clang::CharSourceRange range = clang::CharSourceRange::getTokenRange(stream->getSourceRange());
  if (range.getBegin().isMacroID() || range.getEnd().isMacroID()) {
    return std::nullopt;
  }
  llvm::StringRef text = clang::Lexer::getSourceText(range, sources, language);
  if (text.empty()) {
    return std::nullopt;
  }
  return StreamText{text.str(), arrow};
}

// The deadline call on the stream; an ssl_stream's is on its lowest layer.
std::string expiresAfter(const StreamText &stream, BeastStream kind, unsigned seconds) {
  std::string target;
  if (kind == BeastStream::Ssl) {
    target = "boost::beast::get_lowest_layer(" + std::string(stream.Pointer ? "*" : "") + stream.Text + ").";
  } else {
    target = stream.Text + (stream.Pointer ? "->" : ".");
  }
  return target + "expires_after(std::chrono::seconds(" + std::to_string(seconds) + "));";
}

} // namespace

std::optional<FindingFix> deadlineBeforeWait(clang::ASTContext &context, const WaitCall &wait, unsigned seconds) {
  if (wait.Kind != WaitKind::Network || wait.Call == nullptr) {
    return std::nullopt;
  }
  const clang::Expr *stream = nullptr;
  bool arrow = false;
  if (const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(wait.Call)) {
    stream = member->getImplicitObjectArgument();
    const auto *callee = llvm::dyn_cast<clang::MemberExpr>(member->getCallee()->IgnoreParens());
    arrow = callee != nullptr && callee->isArrow();
  } else if (wait.Call->getNumArgs() > 0) {
    stream = wait.Call->getArg(0);
  }
  if (stream == nullptr || !isPlainName(stream)) {
    return std::nullopt;
  }
  BeastStream kind = beastStreamKind(stream->getType());
  if (kind == BeastStream::No) {
    return std::nullopt;
  }
  const clang::Stmt *statement = statementInBlock(context, wait.Call);
  if (statement == nullptr || statement->getBeginLoc().isMacroID()) {
    return std::nullopt;
  }
  const clang::SourceManager &sources = context.getSourceManager();
  std::optional<StreamText> named = streamText(stream, arrow, sources, context.getLangOpts());
  if (!named) {
    return std::nullopt;
  }
  // Declared inside the statement (a condition variable): not there yet before it.
  if (const clang::ValueDecl *object = namedDecl(stream);
      object != nullptr && sources.isBeforeInTranslationUnit(statement->getBeginLoc(), object->getLocation()) &&
      sources.isBeforeInTranslationUnit(object->getLocation(), statement->getEndLoc())) {
    return std::nullopt;
  }
  std::string call = expiresAfter(*named, kind, seconds);
  auto [file, offset] = sources.getDecomposedLoc(statement->getBeginLoc());
  llvm::StringRef code = sources.getBufferData(file);
  size_t lineStart = code.rfind('\n', offset);
  lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
  llvm::StringRef before = code.slice(lineStart, offset);
  // First on its line: a line of its own at the same indentation; else inline.
  bool ownLine = before.find_first_not_of(" \t") == llvm::StringRef::npos;
  std::string text = ownLine ? call + "\n" + before.str() : call + " ";
  FindingFix fix;
  fix.Description = "set a deadline: " + call;
  fix.Edits.push_back(editAt(sources, file, offset, 0, std::move(text)));
  return fix;
}

} // namespace spawnguard
