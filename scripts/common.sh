# Shared by the scripts in this folder: the repo root, logging, and the
# configure-and-build step every command starts with.
set -euo pipefail
SPAWNGUARD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export SPAWNGUARD_ROOT

say() { printf '\n== %s\n' "$*"; }

# build_preset PRESET [extra cmake -D flags...]: configure (once) and build
# with a CMake preset. Warnings are errors, as in CI.
build_preset() {
  local preset=$1
  shift
  cmake --preset "$preset" -DSPAWNGUARD_WERROR=ON -DPython3_EXECUTABLE=/usr/bin/python3 "$@" >/dev/null
  cmake --build --preset "$preset" -- -j "$(nproc)"
}

# build_preset_targets PRESET TARGET...: configure as build_preset does (the
# cache keeps its options, e.g. SPAWNGUARD_BUILD_ANALYZER) and build only the
# named targets.
build_preset_targets() {
  local preset=$1
  shift
  cmake --preset "$preset" -DSPAWNGUARD_WERROR=ON -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
  cmake --build --preset "$preset" --target "$@" -- -j "$(nproc)"
}
