#!/usr/bin/env bash
# Benchmarks, one subcommand each; every subcommand builds (release preset) first.
#
#   scripts/bench.sh guard   spawn-and-finish through the runtime guard against raw
#                            co_spawn, bytes per live task, sampler cost; last line:
#                            "guard-overhead time=<ratio>x bytes_per_task=<n>"
#   scripts/bench.sh lint    spawnguard-lint against clang++-19 -fsyntax-only on the
#                            same TUs with the same flags; last line:
#                            "lint-speed ratio=<median ratio>x tus=<n>"
#   scripts/bench.sh cache   spawnguard-lint --cache-dir over Boost's 268 examples: cold,
#                            unchanged, one file changed; last line:
#                            "lint-cache unchanged=<ratio>x one-changed=<ratio>x tus=<n>"
#   scripts/bench.sh server  the slow-query service's core under 10,000 keep-alive
#                            loopback connections; last line: "server conns=..."
#   scripts/bench.sh tasks   bytes per live task blocked on a timer, guard and raw
#
# Add a subcommand as a function bench_<name> and a line in the case below.
source "$(dirname "$0")/common.sh"
cd "$SPAWNGUARD_ROOT"

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

bench_guard() {
  build_preset release
  say "guard overhead: bench/guard_overhead_bench.cpp"
  build/bin/guard_overhead_bench --benchmark_color=false "$@"
}

bench_lint() {
  bash bench/lint_speed.sh "$@"
}

bench_cache() {
  bash bench/lint_cache.sh "$@"
}

bench_server() {
  # Only what the benchmark runs: no analyzer (no LLVM) needed.
  build_preset_targets release slow_query_service slow_query_loadgen loopback_floor
  say "server core: bench/server_core_bench.py (about three minutes)"
  /usr/bin/python3 bench/server_core_bench.py "$@"
}

bench_tasks() {
  build_preset release
  say "blocked tasks: bench/blocked_task_memory_bench.cpp"
  build/bin/blocked_task_memory_bench "$@"
}

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
  guard) bench_guard "$@" ;;
  lint) bench_lint "$@" ;;
  cache) bench_cache "$@" ;;
  server) bench_server "$@" ;;
  tasks) bench_tasks "$@" ;;
  -h|--help) usage ;;
  "") usage >&2; exit 2 ;;
  *) echo "bench.sh: unknown benchmark '$command' (try --help)" >&2; exit 2 ;;
esac
