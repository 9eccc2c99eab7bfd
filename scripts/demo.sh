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

# --- slow-query service: lint the leaky and the fixed mode ------------------
# The leaky audit spawn must be reported (exit 1), the fixed mode clean (exit 0).
say "spawnguard-lint on the slow-query service"
service_src=fixtures/slow_query_service/service
lint_checks=$(build/bin/spawnguard-lint --list-checks 2>&1 || true)
if grep -q spawnguard-unbounded-spawn <<<"$lint_checks"; then
  lint_status=0
  build/bin/spawnguard-lint -p build "$service_src/leaky_mode.cpp" || lint_status=$?
  [ "$lint_status" -eq 1 ] || { echo "demo: expected findings (exit 1) on leaky_mode.cpp, got exit $lint_status" >&2; exit 1; }
  build/bin/spawnguard-lint -p build "$service_src/fixed_mode.cpp"
  echo "lint: $service_src/fixed_mode.cpp clean"
else
  echo "lint: this spawnguard-lint has no unbounded-spawn check yet: service not linted"
fi

# --- slow-query service: the OOM reproduction, all four modes ---------------
say "OOM scenario: leaky, guarded, shed, fixed under a real memory limit"
bash scripts/oom-scenario.sh

say "done"
