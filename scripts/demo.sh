#!/usr/bin/env bash
# The main job: installs what is missing, builds, lints the fixtures with
# spawnguard-lint, and reproduces the OOM scenario (when those parts exist).
source "$(dirname "$0")/common.sh"
cd "$SPAWNGUARD_ROOT"

bash scripts/install-deps.sh
say "build (release)"
build_preset release

say "spawnguard-lint"
build/bin/spawnguard-lint --version
# The analyzer's command-line inputs stand in until the fixtures land.
db=build/tests/analyzer/cli-db
build/bin/spawnguard-lint -p "$db" tests/analyzer/inputs/parses.cpp
echo "lint: tests/analyzer/inputs/parses.cpp clean"

say "done"
