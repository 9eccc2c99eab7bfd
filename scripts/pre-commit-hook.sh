#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml): lints the changed C++ files
# that the repository's compile database compiles; the others (a test not in
# this build, a generated file) have nothing to be linted with and are skipped.
#
#   pre-commit-hook.sh [-p BUILD_DIR] [--lint-option=VALUE...] FILES...   (BUILD_DIR: build)
set -euo pipefail

build_dir=build
options=()
files=()
while [ $# -gt 0 ]; do
  case $1 in
    -p) [ $# -ge 2 ] || { echo "spawnguard pre-commit: -p needs the build directory" >&2; exit 2; }
        build_dir=$2; shift 2 ;;
    -p=*|--p=*) build_dir=${1#*=}; shift ;;
    -*) options+=("$1"); shift ;;
    *) files+=("$1"); shift ;;
  esac
done
database=$build_dir/compile_commands.json
if [ ! -f "$database" ]; then
  echo "spawnguard pre-commit: no $database: configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or set args: [-p, BUILD_DIR]" >&2
  exit 2
fi
command -v spawnguard-lint >/dev/null ||
  { echo "spawnguard pre-commit: spawnguard-lint is not on PATH: install the spawnguard-lint package" >&2; exit 2; }

units=()
for file in "${files[@]}"; do
  path=$(realpath -m "$file")
  if grep -qF "\"file\": \"$path\"" "$database"; then units+=("$path"); fi
done
[ ${#units[@]} -gt 0 ] || exit 0
exec spawnguard-lint -p "$build_dir" "${options[@]}" "${units[@]}"
