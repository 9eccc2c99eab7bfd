// MemoryProbe: finds the process's memory cgroup once, then reads RSS, the
// cgroup's working set and limit, PSI and the budget on every read().
#include "spawnguard/memory_probe.hpp"

#include "text_format.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR {

namespace {

namespace fs = std::filesystem;
using detail::split;
using detail::trim;

// v1 writes "no limit" as a huge page-aligned number (2^63 - 4096).
constexpr std::uint64_t v1_unlimited_from = std::uint64_t{1} << 62;

std::optional<std::string> read_text(const fs::path &path) {
  std::ifstream in(path);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return value;
}

// Whether a file is there. Never throws: a path the probe cannot search
// (EACCES in a locked-down container, ENAMETOOLONG from a strange mountinfo)
// is a file it cannot read, as a missing one is.
bool file_exists(const fs::path &path) {
  std::error_code error;
  return fs::exists(path, error);
}

// Joins an absolute path under the probe's root.
fs::path under(const std::string &root, std::string_view absolute) {
  return fs::path(root) / fs::path(absolute).relative_path();
}

// "key value" lines (memory.stat) -> value of key.
std::optional<std::uint64_t> stat_field(const std::string &text, std::string_view key) {
  for (auto line : split(text, '\n')) {
    auto fields = split(trim(line), ' ');
    if (fields.size() == 2 && fields[0] == key) {
      return parse_u64(fields[1]);
    }
  }
  return std::nullopt;
}

struct Mount {
  std::string root;        // the mount's root inside the cgroup hierarchy
  std::string mount_point; // where it is mounted
};

// Finds the cgroup v1 mount carrying the memory controller, or the cgroup2 mount.
std::optional<Mount> find_mount(const std::string &mountinfo, int version) {
  for (auto line : split(mountinfo, '\n')) {
    const auto dash = line.find(" - ");
    if (dash == std::string_view::npos) {
      continue;
    }
    auto before = split(line.substr(0, dash), ' ');
    auto after = split(line.substr(dash + 3), ' ');
    if (before.size() < 5 || after.size() < 3) {
      continue;
    }
    if (version == 2 && after[0] == "cgroup2") {
      return Mount{std::string(before[3]), std::string(before[4])};
    }
    if (version == 1 && after[0] == "cgroup") {
      for (auto option : split(after[2], ',')) {
        if (option == "memory") {
          return Mount{std::string(before[3]), std::string(before[4])};
        }
      }
    }
  }
  return std::nullopt;
}

// The cgroup's directory: the mount point plus the cgroup path below the
// mount's root; in a container whose namespace hides the path, the mount point.
std::optional<std::string> cgroup_dir(const std::string &root, const Mount &mount,
                                      std::string_view cgroup_path, std::string_view probe_file) {
  std::string_view relative = cgroup_path;
  if (mount.root != "/" && relative.starts_with(mount.root)) {
    relative.remove_prefix(mount.root.size());
  }
  for (const std::string &candidate :
       {mount.mount_point + std::string(relative), mount.mount_point}) {
    if (file_exists(under(root, candidate) / probe_file)) {
      return fs::path(candidate).lexically_normal().string();
    }
  }
  return std::nullopt;
}

void read_pressure(const fs::path &file, MemoryReading &out) {
  auto text = read_text(file);
  if (!text) {
    return;
  }
  for (auto line : split(*text, '\n')) {
    auto fields = split(trim(line), ' ');
    if (fields.size() < 2 || !fields[1].starts_with("avg10=")) {
      continue;
    }
    double value = 0;
    auto number = fields[1].substr(6);
    if (std::from_chars(number.data(), number.data() + number.size(), value).ec != std::errc{}) {
      out.problems.push_back(fmt::format("{}: '{}' is not a PSI line; ignored", file.string(), line));
      continue;
    }
    (fields[0] == "full" ? out.pressure_full_avg10 : out.pressure_some_avg10) = value;
  }
}

} // namespace

std::string MemoryProbe::pressure_file() const {
  if (cgroup_ && cgroup_->version == 2) {
    const auto file = under(options_.root, cgroup_->dir) / "memory.pressure";
    if (file_exists(file)) {
      return file.string();
    }
  }
  return under(options_.root, "/proc/pressure/memory").string();
}

std::optional<double> MemoryReading::used_fraction() const {
  if (!limit_bytes || *limit_bytes == 0) {
    return std::nullopt;
  }
  return static_cast<double>(used_bytes) / static_cast<double>(*limit_bytes);
}

ParsedLimit parse_cgroup_bytes(std::string_view text) {
  const auto value = trim(text);
  if (value == "max") {
    return {};
  }
  if (auto bytes = parse_u64(value)) {
    if (*bytes >= v1_unlimited_from) {
      return {};
    }
    return {bytes, {}};
  }
  return {std::nullopt, fmt::format("'{}' is not a byte count or \"max\"", value)};
}

MemoryProbe::MemoryProbe(Options options) : options_(std::move(options)) {
  const auto cgroups = read_text(under(options_.root, "/proc/self/cgroup"));
  const auto mountinfo = read_text(under(options_.root, "/proc/self/mountinfo"));
  if (!cgroups || !mountinfo) {
    problems_.push_back("cannot read /proc/self/cgroup or /proc/self/mountinfo: no cgroup limit");
    return;
  }
  std::optional<std::string> v1_path;
  std::optional<std::string> v2_path;
  for (auto line : split(*cgroups, '\n')) {
    auto fields = split(trim(line), ':');
    if (fields.size() < 3) {
      continue;
    }
    if (fields[0] == "0" && fields[1].empty()) {
      v2_path = std::string(fields[2]);
    }
    for (auto controller : split(fields[1], ',')) {
      if (controller == "memory") {
        v1_path = std::string(fields[2]);
      }
    }
  }
  if (v1_path) {
    if (auto mount = find_mount(*mountinfo, 1)) {
      if (auto dir = cgroup_dir(options_.root, *mount, *v1_path, "memory.usage_in_bytes")) {
        cgroup_ = CgroupLocation{1, *dir};
        return;
      }
    }
    problems_.push_back(fmt::format("memory cgroup v1 '{}' not found under a cgroup mount", *v1_path));
  }
  if (v2_path) {
    if (auto mount = find_mount(*mountinfo, 2)) {
      if (auto dir = cgroup_dir(options_.root, *mount, *v2_path, "memory.current")) {
        cgroup_ = CgroupLocation{2, *dir};
        return;
      }
      problems_.push_back(fmt::format(
          "cgroup v2 at {} has no memory controller (no memory.current)", mount->mount_point));
    }
  }
  if (!v1_path && !v2_path) {
    problems_.push_back("/proc/self/cgroup names no memory cgroup");
  }
}

MemoryReading MemoryProbe::read() const {
  MemoryReading out;
  out.problems = problems_;
  if (auto statm = read_text(under(options_.root, "/proc/self/statm"))) {
    auto fields = split(trim(*statm), ' ');
    auto pages = fields.size() >= 2 ? parse_u64(fields[1]) : std::nullopt;
    if (pages) {
      out.rss_bytes = *pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
    } else {
      out.problems.push_back(fmt::format("/proc/self/statm: '{}' has no resident page count",
                                         trim(*statm)));
    }
  } else {
    out.problems.push_back("cannot read /proc/self/statm: RSS reads 0");
  }

  std::string limit_file;
  if (cgroup_) {
    const bool v1 = cgroup_->version == 1;
    const fs::path dir = under(options_.root, cgroup_->dir);
    const std::string usage_name = v1 ? "memory.usage_in_bytes" : "memory.current";
    const std::string limit_name = v1 ? "memory.limit_in_bytes" : "memory.max";
    const auto stat = read_text(dir / "memory.stat");
    if (auto usage = read_text(dir / usage_name)) {
      if (auto bytes = parse_u64(trim(*usage))) {
        // The working set, as the OOM killer sees it: reclaimable file cache out.
        auto inactive = stat ? stat_field(*stat, v1 ? "total_inactive_file" : "inactive_file")
                             : std::nullopt;
        out.cgroup_usage_bytes = *bytes - std::min(*bytes, inactive.value_or(0));
      } else {
        out.problems.push_back(fmt::format("{}: '{}' is not a byte count; cgroup usage unknown",
                                           (dir / usage_name).string(), trim(*usage)));
      }
    } else {
      out.problems.push_back(fmt::format("cannot read {}", (dir / usage_name).string()));
    }
    // The tightest limit on the way up to the hierarchy's root applies.
    for (fs::path at = cgroup_->dir;; at = at.parent_path()) {
      const auto file = under(options_.root, at.string()) / limit_name;
      const auto text = read_text(file);
      if (!text) {
        if (at == fs::path(cgroup_->dir)) {
          out.problems.push_back(fmt::format("cannot read {}", file.string()));
        }
        break; // above the hierarchy's root
      }
      auto parsed = parse_cgroup_bytes(*text);
      if (!parsed.error.empty()) {
        out.problems.push_back(fmt::format("{}: {}; limit ignored", file.string(), parsed.error));
      } else if (parsed.bytes &&
                 (!out.cgroup_limit_bytes || *parsed.bytes < *out.cgroup_limit_bytes)) {
        out.cgroup_limit_bytes = parsed.bytes;
        limit_file = file.string();
      }
      if (at == at.parent_path()) {
        break;
      }
    }
    if (v1 && stat) {
      if (auto hierarchical = stat_field(*stat, "hierarchical_memory_limit");
          hierarchical && *hierarchical < v1_unlimited_from &&
          (!out.cgroup_limit_bytes || *hierarchical < *out.cgroup_limit_bytes)) {
        out.cgroup_limit_bytes = hierarchical;
        limit_file = (dir / "memory.stat").string() + " hierarchical_memory_limit";
      }
    }
    if (!v1 && file_exists(dir / "memory.pressure")) {
      read_pressure(dir / "memory.pressure", out);
    }
  }
  if (!out.pressure_some_avg10) {
    read_pressure(under(options_.root, "/proc/pressure/memory"), out);
  }

  out.budget_bytes = options_.budget_bytes;
  out.used_bytes = out.rss_bytes;
  if (out.cgroup_limit_bytes && out.cgroup_usage_bytes) {
    out.limit_bytes = out.cgroup_limit_bytes;
    out.used_bytes = *out.cgroup_usage_bytes;
    out.limit_source = fmt::format("cgroup v{} {}", cgroup_->version, limit_file);
  }
  if (out.budget_bytes && (!out.limit_bytes || *out.budget_bytes < *out.limit_bytes)) {
    out.limit_bytes = out.budget_bytes;
    out.used_bytes = out.rss_bytes;
    out.limit_source = "budget";
  }
  return out;
}

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR
