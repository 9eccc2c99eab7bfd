#!/usr/bin/env python3
"""spawnguard-lint on the slow-query service: the leaky mode's audit spawn is
reported (spawnguard-unbounded-spawn, at the co_spawn's line), so is its audit
query with no deadline (spawnguard-missing-deadline at database.record, which
fixtures/slow_query_service/.spawnguard.yaml lists as a wait), and the fixed
mode is clean (exit 0). Each finding is matched as a (check, line) pair of the
--format jsonl output, not as two strings anywhere in the text.

usage: lint_service_test.py LINT BUILD_DIR SERVICE_SOURCE_DIR
"""
import json
import os
import subprocess
import sys


def spawn_line(path, call):
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if call in line:
                return number
    raise SystemExit(f"no {call} in {path}")


def findings(run):
    """(file name, check, line) of each finding of a --format jsonl run."""
    return {(os.path.basename(f["file"]), f["check"], f["line"]) for f in map(json.loads, run.stdout.splitlines())}


def main():
    lint, build_dir, service = sys.argv[1:4]
    failures = 0
    leaky = os.path.join(service, "leaky_mode.cpp")
    line = spawn_line(leaky, "boost::asio::co_spawn(")
    run = subprocess.run([lint, "-p", build_dir, "--format", "jsonl", leaky], capture_output=True, text=True)
    found = findings(run) if run.returncode in (0, 1) else set()
    reported = ("leaky_mode.cpp", "spawnguard-unbounded-spawn", line) in found
    ok = run.returncode == 1 and reported
    print(f"{'PASS' if ok else 'FAIL'}: leaky_mode.cpp:{line} reported as an unbounded spawn, exit 1")
    failures += not ok
    query_line = spawn_line(leaky, "co_await database.record(")
    reported = ("leaky_mode.cpp", "spawnguard-missing-deadline", query_line) in found
    print(f"{'PASS' if reported else 'FAIL'}: leaky_mode.cpp:{query_line} reported as a wait with no deadline")
    failures += not reported
    fixed = os.path.join(service, "fixed_mode.cpp")
    run_fixed = subprocess.run([lint, "-p", build_dir, "--format", "jsonl", fixed], capture_output=True, text=True)
    ok = run_fixed.returncode == 0 and not run_fixed.stdout.strip()
    print(f"{'PASS' if ok else 'FAIL'}: fixed_mode.cpp is clean, exit 0")
    failures += not ok
    if failures:
        for result in (run, run_fixed):
            print("--- stdout ---\n" + result.stdout + "--- stderr ---\n" + result.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
