#!/usr/bin/env bash
# Benchmarks, one subcommand each. Each prints its figure as its last line.
#
#   scripts/bench.sh lint    spawnguard-lint vs clang++-19 -fsyntax-only per TU
source "$(dirname "$0")/common.sh"
cd "$SPAWNGUARD_ROOT"

case "${1:-}" in
  lint) exec bash bench/lint_speed.sh ;;
  -h|--help|"") sed -n '2,5p' "$0"; exit 0 ;;
  *) echo "bench.sh: unknown benchmark '$1' (try --help)" >&2; exit 2 ;;
esac
