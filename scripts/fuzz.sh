#!/usr/bin/env bash
# Runs every libFuzzer target (the fuzz preset) for SECONDS each from its seed
# corpus, tests/fuzz/corpus/<target>/; fails on any crash, leak or timeout,
# leaving the input in build/fuzz/artifacts/ (copy it into the seed corpus
# as a regression input once fixed). New inputs found go to
# build/fuzz/corpus/<target>/, kept between runs.
#
#   scripts/fuzz.sh [SECONDS]                 build the fuzz preset, 60 s per target
#   scripts/fuzz.sh --only TARGET [SECONDS]   one target
#   scripts/fuzz.sh --build-dir DIR [SECONDS] targets already built in DIR (fuzz.smoke)
source "$(dirname "$0")/common.sh"
cd "$SPAWNGUARD_ROOT"

seconds=60
build_dir=
only=
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build_dir=${2:?--build-dir needs a folder}; shift 2 ;;
    --only) only=${2:?--only needs a target name}; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *[!0-9]*|'') echo "fuzz.sh: '$1' is not a number of seconds or an option (try --help)" >&2; exit 2 ;;
    *) seconds=$1; shift ;;
  esac
done

targets=(lint_config_fuzz lint_baseline_fuzz lint_summary_fuzz lint_compile_database_fuzz
         runtime_environment_fuzz runtime_memory_probe_fuzz service_request_fuzz)
if [ -n "$only" ]; then
  printf '%s\n' "${targets[@]}" | grep -qx "$only" || {
    echo "fuzz.sh: no fuzz target '$only' (one of: ${targets[*]})" >&2; exit 2; }
  targets=("$only")
fi
if [ -z "$build_dir" ]; then
  say "build (fuzz)"
  build_preset fuzz
  build_dir=build/fuzz
fi

artifacts=$build_dir/artifacts
mkdir -p "$artifacts"
failed=()
for target in "${targets[@]}"; do
  binary=$build_dir/bin/$target
  seeds=tests/fuzz/corpus/$target
  [ -x "$binary" ] || { echo "fuzz.sh: no $binary: build the fuzz preset first" >&2; exit 2; }
  [ -d "$seeds" ] || { echo "fuzz.sh: no seed corpus $seeds" >&2; exit 2; }
  work=$build_dir/corpus/$target
  mkdir -p "$work"
  say "fuzz $target (${seconds} s)"
  log=$build_dir/$target.log
  # -timeout: one input over 10 s is a hang; -rss_limit_mb: a runaway
  # allocation is a finding; leaks are reported by LeakSanitizer (on by default).
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target-" "$work" "$seeds" >"$log" 2>&1; then
    grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  else
    failed+=("$target")
    tail -40 "$log"
    echo "fuzz.sh: $target failed (log: $log; inputs: $artifacts/$target-*)" >&2
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} target(s) ran ${seconds} s each with no crash, leak or timeout"
