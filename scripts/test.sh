#!/usr/bin/env bash
# The full test suite: installs what is missing, builds, and runs every test
# through CTest — the release build, then the runtime and service under
# AddressSanitizer+UBSan and ThreadSanitizer, then the libFuzzer targets
# briefly (fuzz.smoke, 15 s each). Ends with "N passed, N failed".
#
#   scripts/test.sh                   everything (what CI runs)
#   scripts/test.sh --no-sanitizers   the release build's tests only
source "$(dirname "$0")/common.sh"
cd "$SPAWNGUARD_ROOT"

sanitizers=1
for arg in "$@"; do
  case $arg in
    --no-sanitizers) sanitizers=0 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

bash scripts/install-deps.sh

passed=0
failed=0
status=0
log=$(mktemp)
# A real PostgreSQL server for the service's PostgreSQL tests, stopped at the end.
trap 'bash scripts/postgres.sh stop; rm -f "$log"' EXIT
bash scripts/postgres.sh stop
SPAWNGUARD_TEST_PG=$(bash scripts/postgres.sh start) || {
  echo "test.sh: PostgreSQL did not start (above); its tests will fail" >&2
  SPAWNGUARD_TEST_PG=postgresql://unavailable@127.0.0.1:1/none
}
export SPAWNGUARD_TEST_PG

# run_suite PRESET: build the preset and run its tests, adding up the counts.
run_suite() {
  local preset=$1
  say "build ($preset)"
  build_preset "$preset"
  say "test ($preset)"
  if ! ctest --preset "$preset" -j "$(nproc)" --timeout 900 2>&1 | tee "$log"; then
    status=1
  fi
  # ctest: "95% tests passed, 1 tests failed out of 20"
  local line total fails
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1 || true)
  if [ -z "$line" ]; then
    echo "test.sh: ctest ($preset) printed no summary" >&2
    status=1
    return
  fi
  fails=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
  passed=$((passed + total - fails))
  failed=$((failed + fails))
  [ "$fails" -eq 0 ] || status=1
}

run_suite release
if [ "$sanitizers" -eq 1 ]; then
  run_suite asan
  run_suite tsan
  run_suite fuzz
fi

echo
echo "spawnguard: $passed passed, $failed failed"
exit $status
