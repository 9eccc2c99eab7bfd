#!/usr/bin/env python3
"""What summarising a translation unit for the cross-TU merge costs: times
`spawnguard-lint -p DB FILE` (summary built and merged, the default) against
`spawnguard-lint -p DB --no-cross-tu FILE` on the same TUs, alternating the two
in one run, CPU time (user + system), fastest of BENCH_REPS (default 2) runs
each. Prints one line per TU and, last, `cross-tu overhead ratio=<median>x tus=<n>`.

usage: cross_tu_overhead.py LINT_BINARY COMPILE_DB_DIR
"""
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lint_speed import timed  # noqa: E402


def main():
    lint, database_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    reps = int(os.environ.get("BENCH_REPS", "2"))
    with open(os.path.join(database_dir, "compile_commands.json"), encoding="utf-8") as source:
        entries = json.load(source)
    ratios = []
    for entry in entries:
        alone = [lint, "-p", database_dir, "--no-cross-tu", entry["file"]]
        summarised = [lint, "-p", database_dir, entry["file"]]
        cpu = {tuple(alone): [], tuple(summarised): []}
        for _ in range(reps):  # alternating, so both see the same load
            for command in cpu:
                seconds, _, status = timed(list(command), entry["directory"])
                if status not in (0, 1):
                    sys.exit(f"cross-tu overhead: lint failed (exit {status}): {' '.join(command)}")
                cpu[command].append(seconds)
        fastest_alone, fastest_summarised = min(cpu[tuple(alone)]), min(cpu[tuple(summarised)])
        ratios.append(fastest_summarised / fastest_alone)
        print(f"{os.path.basename(entry['file'])}: --no-cross-tu {fastest_alone:.2f}s cpu, "
              f"summarised {fastest_summarised:.2f}s cpu, ratio {ratios[-1]:.3f}", flush=True)
    print(f"cross-tu overhead ratio={statistics.median(ratios):.3f}x tus={len(ratios)}")


if __name__ == "__main__":
    main()
