#!/usr/bin/env bash
# Real code nobody here wrote: runs spawnguard-lint over every Asio and Beast
# example Debian's libboost1.81-doc ships (268 .cpp files), in parallel, and
# ends with `realworld tus=<n> parsed=<n> crashes=<n> findings=<n>`.
# Findings go to build/realworld/findings.jsonl (verdicts: docs/real-world.md).
#
#   scripts/realworld.sh [--jobs N]   (default: every core)
source "$(dirname "$0")/common.sh"
cd "$SPAWNGUARD_ROOT"

jobs=$(nproc)
case "${1:-}" in
  --jobs) jobs=$2 ;;
  -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
  "") ;;
  *) echo "realworld.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

bash scripts/install-deps.sh libboost1.81-doc
say "build (release)"
build_preset release

examples=/usr/share/doc/libboost1.81-doc/examples/libs
work=build/realworld
say "spawnguard-lint over the Asio and Beast examples ($jobs jobs)"
tus=$(python3 scripts/example_compile_db.py "$examples" "$work" --programs)
# The one-file programs in one run with --no-cross-tu: the cross-TU merge would
# join their same-named classes (session, server) by USR. Each program of
# several files (the HTTP servers, chat-multi) in a run of its own, with the
# cross-TU merge, as a team lints its own program.
lint() { # lint DATABASE_DIR [FLAGS...]: findings and stderr appended; the exit status
  local database=$1
  shift
  set +e
  build/bin/spawnguard-lint -p "$database" --jobs "$jobs" "$@" --format jsonl --root "$examples" \
    >>"$work/findings.jsonl" 2>>"$work/stderr.log"
  local status=$?
  set -e
  return $status
}
: >"$work/findings.jsonl"
: >"$work/stderr.log"
status=0
lint "$work" --no-cross-tu || status=$?
for program in "$work"/programs/*/; do
  lint "$program" || { one=$?; [ "$one" -le "$status" ] || status=$one; }
done
# The lint's own words for a unit it could not finish (analyzer/src/driver/Driver.cpp).
crashed="crashed clang's parser or spawnguard-lint"
failed=$(grep -c "failed to parse$\|$crashed" "$work/stderr.log" || true)
crashes=$(grep -c "$crashed" "$work/stderr.log" || true)
crashes=${crashes:-0}
if [ "$status" -gt 2 ]; then
  # The process died (a signal): find the TUs that crash it, one at a time.
  echo "realworld: spawnguard-lint exited $status; re-running each TU alone to find the crash" >&2
  crashes=0
  for database in "$work" "$work"/programs/*; do
    while read -r file; do
      set +e
      build/bin/spawnguard-lint -p "$database" --no-cross-tu "$file" >/dev/null 2>&1
      one=$?
      set -e
      if [ "$one" -gt 2 ]; then
        echo "realworld: crash (exit $one) on $file" >&2
        crashes=$((crashes + 1))
      fi
    done < <(python3 -c 'import json,sys; [print(e["file"]) for e in json.load(open(sys.argv[1]))]' \
               "$database/compile_commands.json")
  done
fi
grep "failed to parse$" "$work/stderr.log" || true
findings=$(wc -l <"$work/findings.jsonl")
python3 - "$work/findings.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    f = json.loads(line)
    print(f"{f['file']}:{f['line']}:{f['column']}: {f['check']}: {f['message']}")
PY
echo "realworld tus=$tus parsed=$((tus - failed)) crashes=$crashes findings=$findings"
