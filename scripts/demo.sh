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

say "done"
