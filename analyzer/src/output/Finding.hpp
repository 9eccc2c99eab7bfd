// A finding as it leaves a translation unit: plain data, ready for
// de-duplication, baselines and every output format.
#pragma once

#include "fixes/FindingFix.hpp"

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace spawnguard {

struct FindingLocation {
  std::string File; // absolute path
  unsigned Line = 0;
  unsigned Column = 0;

  auto key() const { return std::tie(File, Line, Column); }
};

struct FindingNote {
  FindingLocation Where;
  std::string Message;
};

struct Finding {
  std::string Check;
  std::string Message;
  FindingLocation Where;
  std::vector<FindingNote> Notes;
  std::string Function;   // enclosing function, e.g. "server::do_accept"
  std::string Callee;     // e.g. "boost::asio::co_spawn"
  std::string Rendered;   // clang-style text with notes and source lines
  std::string RenderedInColour;
  std::optional<FindingFix> Fix; // the mechanical fix, when one is offered (docs/fixes.md)

  bool operator<(const Finding &other) const {
    return std::tie(Where.File, Where.Line, Where.Column, Check, Message) <
           std::tie(other.Where.File, other.Where.Line, other.Where.Column, other.Check, other.Message);
  }
};

} // namespace spawnguard
