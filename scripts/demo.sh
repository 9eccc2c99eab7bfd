#!/usr/bin/env bash
# The main job: installs what is missing, builds, lints the fixtures with
# spawnguard-lint (a few fixture cases, then the slow-query service's leaky
# and fixed modes), and reproduces the OOM scenario in all four modes.
source "$(dirname "$0")/common.sh"
cd "$SPAWNGUARD_ROOT"

bash scripts/install-deps.sh
say "build (release)"
build_preset release

say "spawnguard-lint"
build/bin/spawnguard-lint --version
# A few fixture cases: an accept loop, a re-arming callback handler, a call
# chain, and a bounded listener that stays quiet.
fixtures=fixtures/analyzer/unbounded-spawn
db=build/demo-lint
python3 - "$db" "$fixtures" <<'PY'
import json, os, sys
db, folder = sys.argv[1], os.path.abspath(sys.argv[2])
names = ["accept_loop_co_spawn_boost.cpp", "callback_session_make_shared.cpp",
         "spawn_in_helper_called_from_loop.cpp", "clean_inflight_counter_continue.cpp"]
os.makedirs(db, exist_ok=True)
json.dump([{"directory": folder, "file": os.path.join(folder, n),
            "arguments": ["clang++-19", "-std=c++20", "-c", n]} for n in names],
          open(os.path.join(db, "compile_commands.json"), "w"))
PY
status=0
build/bin/spawnguard-lint -p "$db" --jobs 2 || status=$?
echo "lint: exit status $status (1 = findings, as expected for these fixtures)"
[ "$status" -eq 1 ]

# --- slow-query service: lint the leaky and the fixed mode ------------------
# The leaky audit spawn must be reported (exit 1), the fixed mode clean (exit 0).
say "spawnguard-lint on the slow-query service"
service_src=fixtures/slow_query_service/service
lint_status=0
build/bin/spawnguard-lint -p build "$service_src/leaky_mode.cpp" || lint_status=$?
[ "$lint_status" -eq 1 ] || { echo "demo: expected findings (exit 1) on leaky_mode.cpp, got exit $lint_status" >&2; exit 1; }
build/bin/spawnguard-lint -p build "$service_src/fixed_mode.cpp"
echo "lint: $service_src/fixed_mode.cpp clean"

# --- slow-query service: the OOM reproduction, all four modes ---------------
say "OOM scenario: leaky, guarded, shed, fixed under a real memory limit"
bash scripts/oom-scenario.sh

say "done"
