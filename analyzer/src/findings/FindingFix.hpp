// A fix-it as it leaves a translation unit: plain text edits with their file
// positions, ready for --fix, --export-fixes and SARIF's fixes array.
#pragma once

#include <string>
#include <tuple>
#include <vector>

namespace spawnguard {

// Replace Length bytes at Offset of File with Text (Length 0: an insertion).
// The same span as line:column (the end one past the last byte), for formats
// that count lines (SARIF).
struct FixEdit {
  std::string File; // absolute path, as in FindingLocation
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Text;
  unsigned StartLine = 0;
  unsigned StartColumn = 0;
  unsigned EndLine = 0;
  unsigned EndColumn = 0;

  auto key() const { return std::tie(File, Offset, Length, Text); }
  bool operator<(const FixEdit &other) const { return key() < other.key(); }
  bool operator==(const FixEdit &other) const { return key() == other.key(); }
};

struct FindingFix {
  std::string Description; // "spawn through spawnguard at site 'server::run'"
  unsigned Offset = 0;     // the finding's own byte offset in its file
  std::vector<FixEdit> Edits;
};

} // namespace spawnguard
