#!/usr/bin/env bash
# What --cache-dir saves: builds the lint and runs bench/lint_cache.py over a
# copy of the Asio and Beast examples libboost1.81-doc ships (268 TUs), cold,
# unchanged and with one file changed, in build/bench-cache.
#
#   bench/lint_cache.sh [--jobs N]   (default: every core)
source "$(dirname "$0")/../scripts/common.sh"
cd "$SPAWNGUARD_ROOT"

bash scripts/install-deps.sh libboost1.81-doc
say "build (release)"
build_preset release
say "result cache: spawnguard-lint --cache-dir, cold, unchanged, one file changed"
python3 bench/lint_cache.py build/bin/spawnguard-lint build/bench-cache "$@"
