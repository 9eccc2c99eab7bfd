#!/usr/bin/env bash
# Installs, with apt, the Debian 12 packages spawnguard builds and tests with —
# only those that are missing, and quietly when none are.
set -euo pipefail

# Build and test toolchain. Never libboost-dev / libboost-all-dev: they pull
# Boost 1.74, which conflicts with 1.81.
packages=(
  cmake ninja-build ccache g++ pkg-config
  dpkg-dev file   # scripts/package.sh: CPack's Debian packages, dpkg-shlibdeps
  clang-19 libclang-19-dev llvm-19-dev lld-19 libclang-rt-19-dev
  clang-tidy-19   # the clang-tidy plugin (analyzer/tidy/) is loaded and tested with it
  clang-tools-19  # clang-apply-replacements-19: tests/analyzer/fixes/ applies --export-fixes with it
  libboost1.81-dev libfmt-dev
  libasio-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  libsqlite3-dev sqlite3 libpq-dev
  libssl-dev   # fixtures/analyzer: TLS sessions (boost/asio/ssl.hpp)
  postgresql python3 python3-yaml
  pre-commit   # tests/action: the .pre-commit-hooks.yaml hook run through pre-commit
  prometheus   # promtool: tests/monitoring/ checks and unit-tests the shipped rules
)
# Extra packages a caller needs for one job (e.g. libboost1.81-doc for realworld).
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing Debian packages: ${missing[*]}" >&2
  echo "install-deps: run as root, or install them with: sudo apt-get install ${missing[*]}" >&2
  exit 2
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
