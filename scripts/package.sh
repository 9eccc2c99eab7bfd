#!/usr/bin/env bash
# Builds spawnguard's Debian packages with CPack from a release build:
# spawnguard-lint_<version>_<arch>.deb (the lint, its dependencies on Debian's
# LLVM 19 libraries found by dpkg-shlibdeps) and libspawnguard-dev_<version>_<arch>.deb
# (the runtime's headers, library and CMake package). Prints their paths.
#
#   scripts/package.sh                   build the release preset, package into build/packages/
#   scripts/package.sh --build-dir DIR   package a configured and built tree as it is
#   scripts/package.sh --out DIR         where the .deb files go (default: BUILD_DIR/packages)
source "$(dirname "$0")/common.sh"

build_dir=
out=
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir|--out)
      [ $# -ge 2 ] || { echo "package.sh: $1 needs a folder" >&2; exit 2; }
      if [ "$1" = --build-dir ]; then build_dir=$2; else out=$2; fi
      shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

if [ -z "$build_dir" ]; then
  cd "$SPAWNGUARD_ROOT"
  bash scripts/install-deps.sh
  build_preset release
  build_dir=$SPAWNGUARD_ROOT/build
fi
[ -d "$build_dir" ] || { echo "package.sh: no build folder '$build_dir'" >&2; exit 2; }
build_dir=$(cd "$build_dir" && pwd)
if [ ! -f "$build_dir/CPackConfig.cmake" ]; then
  echo "package.sh: '$build_dir' is not a configured spawnguard build (no CPackConfig.cmake): run 'cmake --preset release' first" >&2
  exit 2
fi
command -v dpkg-shlibdeps >/dev/null || {
  echo "package.sh: dpkg-shlibdeps is missing: install dpkg-dev (bash scripts/install-deps.sh)" >&2
  exit 2
}
out=${out:-$build_dir/packages}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/*.deb

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! (cd "$build_dir" && cpack --config CPackConfig.cmake -B "$out") >"$log" 2>&1; then
  cat "$log" >&2
  echo "package.sh: cpack failed (above)" >&2
  exit 1
fi
rm -rf "$out/_CPack_Packages"
debs=("$out"/*.deb)
[ -e "${debs[0]}" ] || { cat "$log" >&2; echo "package.sh: cpack wrote no .deb into $out" >&2; exit 1; }
printf '%s\n' "${debs[@]}"
