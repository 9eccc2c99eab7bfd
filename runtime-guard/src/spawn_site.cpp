// Building SpawnSite labels from std::source_location.
#include "spawnguard/spawn_site.hpp"

#include <fmt/format.h>

#ifndef SPAWNGUARD_DEFAULT_SOURCE_ROOT
#define SPAWNGUARD_DEFAULT_SOURCE_ROOT ""
#endif

#include <cstdlib>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

std::string_view label_path(std::string_view path, std::string_view root) {
  while (root.size() > 1 && root.ends_with('/')) {
    root.remove_suffix(1);
  }
  if (!root.empty() && path.size() > root.size() + 1 && path.starts_with(root) &&
      path[root.size()] == '/') {
    return path.substr(root.size() + 1);
  }
  while (path.starts_with("./")) {
    path.remove_prefix(2);
  }
  return path;
}

std::string_view source_root() {
  static const std::string root = [] {
    if (const char *set = std::getenv("SPAWNGUARD_SOURCE_ROOT"); set != nullptr && *set == '/') {
      return std::string(set);
    }
    return std::string(SPAWNGUARD_DEFAULT_SOURCE_ROOT);
  }();
  return root;
}

SpawnSite SpawnSite::here(std::source_location where) {
  return SpawnSite(fmt::format("{}:{}", label_path(where.file_name(), source_root()), where.line()),
                   where.file_name(), where.line(), where.function_name());
}

SpawnSite SpawnSite::named(std::string_view name, std::source_location where) {
  return SpawnSite(std::string(name), where.file_name(), where.line(), where.function_name());
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR
