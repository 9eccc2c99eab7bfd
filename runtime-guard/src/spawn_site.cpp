// Building SpawnSite labels from std::source_location.
#include "spawnguard/spawn_site.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace spawnguard {

std::string_view shortFileName(std::string_view path) {
  // Keep the path below the source tree's root when a known top-level folder
  // is in it, so the label reads "fixtures/slow_query_service/x.cpp:42".
  auto top = std::string_view::npos;
  for (std::string_view root : {"/fixtures/", "/runtime-guard/", "/tests/", "/bench/"}) {
    top = std::min(top, path.find(root));
  }
  if (top == std::string_view::npos) {
    top = path.rfind("/src/");
  }
  if (top != std::string_view::npos) {
    return path.substr(top + 1);
  }
  if (auto slash = path.rfind('/'); slash != std::string_view::npos) {
    return path.substr(slash + 1);
  }
  return path;
}

SpawnSite SpawnSite::here(std::source_location where) {
  return SpawnSite(fmt::format("{}:{}", shortFileName(where.file_name()), where.line()),
                   where.file_name(), where.line(), where.function_name());
}

SpawnSite SpawnSite::named(std::string_view name, std::source_location where) {
  return SpawnSite(std::string(name), where.file_name(), where.line(), where.function_name());
}

} // namespace spawnguard
