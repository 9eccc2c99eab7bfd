// SpawnSite: where in the source a task is spawned, the key every per-site
// counter, limit and alert is filed under.
#pragma once

#include "spawnguard/detail/flavour.hpp"

#include <cstdint>
#include <source_location>
#include <string>
#include <string_view>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

class SpawnSite {
public:
  // The caller's file:line, captured where a spawn wrapper is called.
  static SpawnSite here(std::source_location where = std::source_location::current());
  // A site the user names ("audit-insert"), for a group of spawns or when the
  // file:line of a wrapper would be the wrong place to point at.
  static SpawnSite named(std::string_view name,
                         std::source_location where = std::source_location::current());

  // "file.cpp:42", or the name for a named site.
  const std::string &label() const { return label_; }
  std::string_view file() const { return file_; }
  std::uint_least32_t line() const { return line_; }
  std::string_view function() const { return function_; }

  friend bool operator==(const SpawnSite &a, const SpawnSite &b) { return a.label_ == b.label_; }

private:
  SpawnSite(std::string label, std::string_view file, std::uint_least32_t line,
            std::string_view function)
      : label_(std::move(label)), file_(file), line_(line), function_(function) {}

  std::string label_;
  std::string_view file_;     // points into the binary's string table
  std::uint_least32_t line_;
  std::string_view function_; // likewise
};

// The file part of a site's label: `path` relative to `root` when it is under
// it; a relative path as the compiler gave it (a build that passes
// -fmacro-prefix-map=<root>/= gives relative names); else the whole path. So
// two different files never share a label.
std::string_view label_path(std::string_view path, std::string_view root);
// The source root labels are relative to, for the whole process: the
// SPAWNGUARD_SOURCE_ROOT variable when set, else the top-level source folder
// of the CMake build that compiled the runtime.
std::string_view source_root();

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR
