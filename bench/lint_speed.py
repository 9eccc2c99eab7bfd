#!/usr/bin/env python3
"""Times spawnguard-lint against `clang++-19 -fsyntax-only` on the same
translation units with the same flags, in one run, alternating the two so
both see the same machine load. Prints one line per TU and, last,
`lint-speed ratio=<median ratio>x tus=<n>`.

The ratio compares CPU time (user + system of the child process), which
other work on a shared machine disturbs far less than wall time; the wall
times are printed too. Each TU is run REPS times (env BENCH_REPS, default 2)
and the fastest run of each tool counts.

usage: lint_speed.py LINT_BINARY COMPILE_DB_DIR
"""
import json
import os
import statistics
import subprocess
import sys
import time


def timed(command, cwd):
    """Runs command; returns (cpu seconds, wall seconds, exit status)."""
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    return usage.ru_utime + usage.ru_stime, wall, os.waitstatus_to_exitcode(status)


def main():
    lint, database_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    reps = int(os.environ.get("BENCH_REPS", "2"))
    with open(os.path.join(database_dir, "compile_commands.json"), encoding="utf-8") as source:
        entries = json.load(source)
    ratios = []
    for entry in entries:
        arguments = [a for a in entry["arguments"] if a != "-c"]
        compiler = [arguments[0], "-fsyntax-only", *arguments[1:]]
        linter = [lint, "-p", database_dir, entry["file"]]
        best = {"clang": (float("inf"), 0.0), "lint": (float("inf"), 0.0)}
        for _ in range(reps):
            for name, command in (("clang", compiler), ("lint", linter)):
                cpu, wall, status = timed(command, entry["directory"])
                if name == "clang" and status != 0 or name == "lint" and status not in (0, 1):
                    sys.exit(f"lint-speed: {name} failed (exit {status}) on {entry['file']}: {' '.join(command)}")
                best[name] = min(best[name], (cpu, wall))
        ratio = best["lint"][0] / best["clang"][0]
        ratios.append(ratio)
        print(f"{os.path.basename(entry['file'])}: clang {best['clang'][0]:.2f}s cpu ({best['clang'][1]:.2f}s wall), "
              f"lint {best['lint'][0]:.2f}s cpu ({best['lint'][1]:.2f}s wall), ratio {ratio:.3f}", flush=True)
    print(f"lint-speed ratio={statistics.median(ratios):.3f}x tus={len(ratios)}")


if __name__ == "__main__":
    main()
