// Fuzzes the runtime's /proc and cgroup readers through MemoryProbe pointed at
// a fake root. The input is up to seven files separated by NUL bytes:
// /proc/self/cgroup, /proc/self/mountinfo, /proc/self/statm, memory.stat,
// the usage file, the limit file, the PSI file; a file the input does not
// reach is absent. A probe never throws and never crashes on what it reads.
#include "spawnguard/memory_probe.hpp"

#include "fuzz_input_file.hpp"

#include <array>
#include <cstdlib>
#include <filesystem>

namespace {

namespace fs = std::filesystem;

// Where each part of the input goes; a v2 and a v1 cgroup folder both exist
// (/sys/fs/cgroup/app, /sys/fs/cgroup/memory/app), so either hierarchy in
// the mountinfo finds its files.
const std::array<std::vector<std::string>, 7> part_files{{
    {"proc/self/cgroup"},
    {"proc/self/mountinfo"},
    {"proc/self/statm"},
    {"sys/fs/cgroup/app/memory.stat", "sys/fs/cgroup/memory/app/memory.stat"},
    {"sys/fs/cgroup/app/memory.current", "sys/fs/cgroup/memory/app/memory.usage_in_bytes"},
    {"sys/fs/cgroup/app/memory.max", "sys/fs/cgroup/memory/app/memory.limit_in_bytes"},
    {"proc/pressure/memory", "sys/fs/cgroup/app/memory.pressure"},
}};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static const fs::path root = [] {
    const fs::path folder = spawnguard::fuzz::scratch_folder() / "root";
    for (const char *dir : {"proc/self", "proc/pressure", "sys/fs/cgroup/app", "sys/fs/cgroup/memory/app"}) {
      fs::create_directories(folder / dir);
    }
    return folder;
  }();
  std::string_view text = spawnguard::fuzz::as_text(data, size);
  for (const auto &files : part_files) {
    const bool present = !text.empty();
    const auto end = std::min(text.find('\0'), text.size());
    for (const std::string &file : files) {
      if (present) {
        spawnguard::fuzz::write_file(root / file, text.substr(0, end));
      } else {
        std::error_code ignored;
        fs::remove(root / file, ignored);
      }
    }
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  const spawnguard::MemoryProbe probe({.root = root.string(), .budget_bytes = 1 << 30});
  const spawnguard::MemoryReading reading = probe.read();
  (void)probe.pressure_file();
  if (!reading.limit_bytes || *reading.limit_bytes > (std::uint64_t{1} << 30)) {
    std::fprintf(stderr, "the 1 GiB budget is not the limit or a smaller one\n");
    std::abort();
  }
  if (auto fraction = reading.used_fraction();
      *reading.limit_bytes > 0 && (!fraction || !(*fraction >= 0))) {
    std::fprintf(stderr, "used fraction missing or negative under a limit\n");
    std::abort();
  }
  (void)spawnguard::parse_cgroup_bytes(spawnguard::fuzz::as_text(data, size));
  return 0;
}
