// A finding as a check leaves it, in one unit or across units: plain data with
// resolved locations, ready for NOLINT, de-duplication, baselines and every
// output format (output/FindingPipeline.hpp). Rendered only when written.
#pragma once

#include "findings/FindingFix.hpp"

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
  std::optional<FindingFix> Fix; // the mechanical fix, when one is offered (docs/fixes.md)

  bool operator<(const Finding &other) const {
    return std::tie(Where.File, Where.Line, Where.Column, Check, Message) <
           std::tie(other.Where.File, other.Where.Line, other.Where.Column, other.Check, other.Message);
  }
};

} // namespace spawnguard
