#!/usr/bin/env python3
"""One implementation, two drivers: on every fixture file of the given
folders, clang-tidy-19 with the plugin (-checks='-*,spawnguard-*') must report
the same (check, line, column) set as spawnguard-lint --no-cross-tu. Both run
on the same generated compile database (tests/tools/check_fixtures.py); the
fixtures' own expectations are printed beside any difference.

The lint's side is either run here (--lint BIN) or read from the findings the
fixtures test saved from its own run of the same files (--lint-findings FILE,
check_fixtures.py --save-findings): in the suite the fixtures are parsed once
per driver, not twice by the lint.

usage: tidy_parity.py (--lint BIN | --lint-findings FILE) --plugin SO [--clang-tidy BIN] --work DIR
                      [--jobs N] FIXTURE_DIR...
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import check_fixtures  # noqa: E402  (the fixtures' expectations and compile database)

# file:line:col: warning: message [check]  (the first line of each clang-tidy diagnostic)
DIAGNOSTIC = re.compile(r"^(/[^:]+):(\d+):(\d+): (warning|error): .*?(?: \[([\w.,-]+)\])?$")


def tidy_findings(clang_tidy, plugin, database, files):
    """Runs clang-tidy on FILES; returns ({path: set of (check, line, col)}, problems)."""
    command = [clang_tidy, f"--load={plugin}", "-checks=-*,spawnguard-*", "-p", database, *files]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    found, problems = {}, []
    for line in result.stdout.splitlines():
        match = DIAGNOSTIC.match(line)
        if not match:
            continue
        path, row, column, level, check = match.groups()
        if level == "error" or not (check or "").startswith("spawnguard-"):
            problems.append(f"unexpected diagnostic: {line}")
            continue
        found.setdefault(path, set()).add((check, int(row), int(column)))
    if result.returncode != 0:
        problems.append(f"clang-tidy exited {result.returncode}: {' '.join(command)}\n{result.stderr}")
    return found, problems


def saved_findings(path, files):
    """The findings check_fixtures.py --save-findings wrote for FILES; ({path: findings}, problems)."""
    try:
        with open(path, encoding="utf-8") as saved:
            lines = saved.read().splitlines()
    except OSError as error:
        return {}, [f"cannot read the lint's saved findings {path}: {error.strerror} "
                    "(run the fixtures test first: check_fixtures.py --save-findings)"]
    found = {}
    for line in lines:
        finding = json.loads(line)
        found.setdefault(finding["file"], set()).add((finding["check"], finding["line"], finding["column"]))
    outside = sorted(set(found) - set(files))
    return found, [f"saved findings {path} name files outside these fixtures: {outside[:3]}"] if outside else []


def lint_findings(lint, database, root, jobs, files):
    """Runs spawnguard-lint --no-cross-tu on FILES; returns ({path: findings}, problems)."""
    command = [lint, "-p", database, "--jobs", str(jobs), "--no-cross-tu", "--format", "jsonl", "--root", root,
               *files]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    if result.returncode not in (0, 1):
        return {}, [f"spawnguard-lint exited {result.returncode}:\n{result.stderr}"]
    found = {}
    for line in result.stdout.splitlines():
        finding = json.loads(line)
        path = finding["file"] if os.path.isabs(finding["file"]) else os.path.join(root, finding["file"])
        found.setdefault(path, set()).add((finding["check"], finding["line"], finding["column"]))
    return found, []


def main():
    parser = argparse.ArgumentParser()
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--lint", help="run spawnguard-lint --no-cross-tu on the fixtures")
    source.add_argument("--lint-findings", metavar="FILE", help="the fixtures test's saved findings")
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--clang-tidy", default="clang-tidy-19")
    parser.add_argument("--work", required=True, help="folder for the generated compile database")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()
    if shutil.which(args.clang_tidy) is None:
        print(f"{args.clang_tidy} is not installed: run bash scripts/install-deps.sh")
        return 1

    files = sorted(os.path.join(os.path.abspath(d), name)
                   for d in args.dirs for name in os.listdir(d) if name.endswith(".cpp"))
    cases = {path: check_fixtures.expectations(path) for path in files}
    check_fixtures.write_database(args.work, {path: flags for path, (_, _, flags) in cases.items()})
    root = os.path.commonpath(files) if len(files) > 1 else os.path.dirname(files[0])

    if args.lint_findings:
        linted, problems = saved_findings(args.lint_findings, files)
    else:
        linted, problems = lint_findings(args.lint, args.work, root, args.jobs, files)
    tidied = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        shares = [files[index::args.jobs] for index in range(args.jobs) if files[index::args.jobs]]
        for found, share_problems in pool.map(lambda share: tidy_findings(args.clang_tidy, args.plugin,
                                                                          args.work, share), shares):
            tidied.update(found)
            problems += share_problems

    mismatches = 0
    for path in files:
        lint, tidy, expected = linted.get(path, set()), tidied.get(path, set()), cases[path][0]
        name = os.path.relpath(path, root)
        for check, line, column in sorted(lint ^ tidy):
            side = "only spawnguard-lint" if (check, line, column) in lint else "only clang-tidy"
            expectation = "expected" if (check, line, column) in expected else "not expected"
            print(f"DIFFERENT {name}:{line}:{column}: {check}: {side} reports it ({expectation} by the fixture)")
            mismatches += 1
    for path in sorted(set(tidied) - set(files)):
        print(f"EXTRA {path}: clang-tidy reports outside the fixtures: {sorted(tidied[path])}")
        mismatches += 1
    print("\n".join(problems))
    total = sum(len(found) for found in linted.values())
    print(f"parity: {len(files)} files, {total} findings from spawnguard-lint, "
          f"{sum(len(found) for found in tidied.values())} from clang-tidy, {mismatches} differences")
    # A run in which neither driver reports anything proves nothing.
    vacuous = total == 0 and any(expected for expected, _, _ in cases.values())
    return 1 if mismatches or problems or vacuous else 0


if __name__ == "__main__":
    sys.exit(main())
