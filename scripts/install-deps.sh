#!/usr/bin/env bash
# Installs, with apt, the Debian 12 packages spawnguard builds and tests with —
# only those that are missing, and quietly when none are — and, with npm, the
# SARIF Multitool that tests/analyzer/sarif validates the lint's SARIF with.
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
  npm          # installs the SARIF Multitool below
)
# Extra packages a caller needs for one job (e.g. libboost1.81-doc for realworld).
packages+=("$@")

# npm's own Node.js satisfies "npm" when it is not Debian's (command -v).
missing=()
for p in "${packages[@]}"; do
  if [ "$p" = npm ] && command -v npm >/dev/null; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
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
fi

# The SARIF Multitool (npm @microsoft/sarif-multitool, a pinned version) in
# its own prefix; CMake's SPAWNGUARD_SARIF_MULTITOOL points at its binary.
multitool_version=5.7.0
multitool_prefix=${SPAWNGUARD_TOOLS_DIR:-/opt/spawnguard-tools}/sarif-multitool-$multitool_version
if [ ! -x "$multitool_prefix/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]; then
  echo "install-deps: installing the SARIF Multitool $multitool_version into $multitool_prefix" >&2
  mkdir -p "$multitool_prefix" || {
    echo "install-deps: cannot create '$multitool_prefix': run as root, or set SPAWNGUARD_TOOLS_DIR to a writable folder" >&2
    exit 2
  }
  npm install --silent --no-audit --no-fund --prefix "$multitool_prefix" \
    "@microsoft/sarif-multitool@$multitool_version" >/dev/null
fi
