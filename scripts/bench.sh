#!/usr/bin/env bash
# Benchmarks, one subcommand each; every subcommand builds (release preset) first.
#
#   scripts/bench.sh guard   spawn-and-finish through the runtime guard against raw
#                            co_spawn, bytes per live task, sampler cost; last line:
#                            "guard-overhead time=<ratio>x bytes_per_task=<n>"
#   scripts/bench.sh lint    spawnguard-lint against clang++-19 -fsyntax-only on the
#                            same TUs with the same flags; last line:
#                            "lint-speed ratio=<median ratio>x tus=<n>"
#
# Add a subcommand as a function bench_<name> and a line in the case below.
source "$(dirname "$0")/common.sh"
cd "$SPAWNGUARD_ROOT"

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }

bench_guard() {
  build_preset release
  say "guard overhead: bench/guard_overhead_bench.cpp"
  build/bin/guard_overhead_bench --benchmark_color=false "$@"
}

bench_lint() {
  bash bench/lint_speed.sh "$@"
}

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
  guard) bench_guard "$@" ;;
  lint) bench_lint "$@" ;;
  -h|--help) usage ;;
  "") usage >&2; exit 2 ;;
  *) echo "bench.sh: unknown benchmark '$command' (try --help)" >&2; exit 2 ;;
esac
