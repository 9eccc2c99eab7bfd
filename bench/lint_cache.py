#!/usr/bin/env python3
"""What --cache-dir saves: lints Boost's Asio and Beast examples (the 268
files scripts/realworld.sh lints, the same way: the one-file programs in one
run with --no-cross-tu, each program of several files in a run of its own)
three times against one cache folder, in one go so all three see the same
machine: cold (empty cache), again with nothing changed, and again after one
file's content changed (a comment appended to a copy of the examples). Each
time is wall and CPU (user + system of the lint processes); the findings of
the later runs must be those of the cold one. Last line:
`lint-cache unchanged=<wall ratio>x one-changed=<wall ratio>x tus=<n>`.

usage: lint_cache.py LINT_BINARY WORK_DIR [--jobs N]
"""
import glob
import os
import re
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = "/usr/share/doc/libboost1.81-doc/examples/libs"
# The one file changed for the third run: a one-file program of the main database.
CHANGED = "asio/example/cpp20/coroutines/echo_server.cpp"
STATISTICS = re.compile(r"cache '.*': (\d+) hit\(s\), (\d+) miss\(es\)")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def lint_everything(lint, work, jobs):
    """One run over every database; returns (wall s, cpu s, hits, misses, findings)."""
    examples, cache = os.path.join(work, "examples"), os.path.join(work, "cache")
    databases = [(os.path.join(work, "db"), ["--no-cross-tu"])]
    databases += [(folder, []) for folder in sorted(glob.glob(os.path.join(work, "db", "programs", "*")))]
    hits = misses = 0
    findings = []
    cpu, start = children_cpu(), time.monotonic()
    for database, flags in databases:
        result = subprocess.run([lint, "-p", database, "--jobs", str(jobs), *flags, "--format", "jsonl",
                                 "--root", examples, "--cache-dir", cache], capture_output=True, text=True)
        # 2: a unit failed to parse (Windows-only examples), as in scripts/realworld.sh; never cached.
        if result.returncode not in (0, 1, 2) or not STATISTICS.search(result.stderr):
            sys.exit(f"lint-cache: spawnguard-lint exited {result.returncode} on {database}:\n{result.stderr}")
        statistics = STATISTICS.search(result.stderr)
        hits, misses = hits + int(statistics[1]), misses + int(statistics[2])
        findings.append(result.stdout)
    return time.monotonic() - start, children_cpu() - cpu, hits, misses, "".join(findings)


def main():
    args = sys.argv[1:]
    if len(args) not in (2, 4) or len(args) == 4 and args[2] != "--jobs":
        sys.exit(__doc__.strip().splitlines()[-1])
    lint, work = os.path.abspath(args[0]), os.path.abspath(args[1])
    jobs = int(args[3]) if len(args) == 4 else os.cpu_count()
    shutil.rmtree(work, ignore_errors=True)
    examples = os.path.join(work, "examples")
    shutil.copytree(EXAMPLES, examples)
    tus = int(subprocess.run([sys.executable, os.path.join(HERE, "..", "scripts", "example_compile_db.py"),
                              examples, os.path.join(work, "db"), "--programs"],
                             check=True, capture_output=True, text=True).stdout)

    cold = lint_everything(lint, work, jobs)
    print(f"cold:        {cold[0]:7.1f} s wall, {cold[1]:7.1f} s cpu, {cold[2]} hits, {cold[3]} misses", flush=True)
    runs = {}
    for name in ("unchanged", "one-changed"):
        if name == "one-changed":
            with open(os.path.join(examples, CHANGED), "a", encoding="utf-8") as out:
                out.write("// changed for bench/lint_cache.py\n")
        run = runs[name] = lint_everything(lint, work, jobs)
        if run[4] != cold[4]:
            sys.exit(f"lint-cache: the {name} run's findings differ from the cold run's")
        print(f"{name + ':':12} {run[0]:7.1f} s wall, {run[1]:7.1f} s cpu, {run[2]} hits, {run[3]} misses; "
              f"{run[0] / cold[0]:.3f}x wall, {run[1] / cold[1]:.3f}x cpu of the cold run", flush=True)
    print(f"lint-cache unchanged={runs['unchanged'][0] / cold[0]:.3f}x "
          f"one-changed={runs['one-changed'][0] / cold[0]:.3f}x tus={tus}")


if __name__ == "__main__":
    main()
