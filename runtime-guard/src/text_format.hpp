// Small text helpers the reports and parsers share: JSON string quoting,
// Prometheus label escaping, human-readable bytes and durations, trim/split.
#pragma once

#include "spawnguard/detail/flavour.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail {

std::string json_quote(std::string_view text);
std::string prometheus_label(std::string_view text);
std::string human_bytes(std::uint64_t bytes);
double seconds(std::chrono::nanoseconds age);
// Without leading and trailing blanks (spaces, tabs, newlines).
std::string_view trim(std::string_view text);
// The parts between separators, empty ones included.
std::vector<std::string_view> split(std::string_view text, char separator);

} // namespace spawnguard::inline SPAWNGUARD_FLAVOUR::detail
