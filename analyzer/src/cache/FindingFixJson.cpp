// Field by field, a fix-it to JSON and back.
#include "cache/FindingFixJson.hpp"

#include <limits>

namespace spawnguard {

namespace json = llvm::json;

namespace {

// llvm::json reads 64-bit integers; offsets, lengths, lines and columns are unsigned.
bool mapUnsigned(json::ObjectMapper &mapper, llvm::StringLiteral key, unsigned &out) {
  uint64_t value = 0;
  if (!mapper.map(key, value) || value > std::numeric_limits<unsigned>::max()) {
    return false;
  }
  out = static_cast<unsigned>(value);
  return true;
}

} // namespace

json::Value toJSON(const FixEdit &edit) {
  return json::Object{{"file", edit.File},           {"offset", edit.Offset},
                      {"length", edit.Length},       {"text", edit.Text},
                      {"startLine", edit.StartLine}, {"startColumn", edit.StartColumn},
                      {"endLine", edit.EndLine},     {"endColumn", edit.EndColumn}};
}

bool fromJSON(const json::Value &value, FixEdit &edit, json::Path path) {
  json::ObjectMapper mapper(value, path);
  return mapper && mapper.map("file", edit.File) && mapUnsigned(mapper, "offset", edit.Offset) &&
         mapUnsigned(mapper, "length", edit.Length) && mapper.map("text", edit.Text) &&
         mapUnsigned(mapper, "startLine", edit.StartLine) && mapUnsigned(mapper, "startColumn", edit.StartColumn) &&
         mapUnsigned(mapper, "endLine", edit.EndLine) && mapUnsigned(mapper, "endColumn", edit.EndColumn);
}

json::Value toJSON(const FindingFix &fix) {
  return json::Object{{"description", fix.Description}, {"offset", fix.Offset}, {"edits", fix.Edits}};
}

bool fromJSON(const json::Value &value, FindingFix &fix, json::Path path) {
  json::ObjectMapper mapper(value, path);
  return mapper && mapper.map("description", fix.Description) && mapUnsigned(mapper, "offset", fix.Offset) &&
         mapper.map("edits", fix.Edits);
}

} // namespace spawnguard
