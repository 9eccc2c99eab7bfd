// FuzzInputFile: the readers under fuzz take a path, so each input is written
// to one file in a private folder that lives as long as the fuzzer.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace spawnguard::fuzz {

// The fuzzer's own folder (under TMPDIR, /dev/shm when it exists: no disk I/O
// per input), removed when the process exits normally.
inline const std::filesystem::path &scratch_folder() {
  static const std::filesystem::path folder = [] {
    const char *tmp = std::getenv("TMPDIR");
    std::string base = tmp != nullptr ? tmp : (std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp");
    std::string pattern = base + "/spawnguard-fuzz.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("spawnguard fuzz: mkdtemp");
      std::abort();
    }
    return std::filesystem::path(pattern);
  }();
  static const struct Remover {
    ~Remover() {
      std::error_code ignored;
      std::filesystem::remove_all(folder, ignored);
    }
  } remover;
  return folder;
}

// Writes `bytes` to `path`, replacing what was there.
inline void write_file(const std::filesystem::path &path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::perror("spawnguard fuzz: write");
    std::abort();
  }
}

inline std::string_view as_text(const std::uint8_t *data, std::size_t size) {
  return {reinterpret_cast<const char *>(data), size};
}

} // namespace spawnguard::fuzz
