#!/usr/bin/env python3
"""Runs spawnguard-lint on fixture files and compares its findings with the
expectations written in each file; fails on any missing or extra finding.

Expectations (see fixtures/analyzer/README.md):
  // expect: CHECK LINE:COL     a finding of CHECK at LINE:COL
  //      ^ expect: CHECK       a finding of CHECK on the line above, at the caret's column
  // expect: none               the file must produce no finding
  // flags: ...                 extra compiler flags for this file

usage: check_fixtures.py --lint BIN --work DIR [--jobs N] FIXTURE_DIR...
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys

EXPECT_AT = re.compile(r"//\s*expect:\s*(spawnguard-[\w-]+)\s+(\d+):(\d+)")
EXPECT_CARET = re.compile(r"^(\s*//\s*)(\^)\s*expect:\s*(spawnguard-[\w-]+)")
EXPECT_NONE = re.compile(r"//\s*expect:\s*none\b")
FLAGS = re.compile(r"//\s*flags:\s*(.*)$")


def expectations(path):
    """Returns (set of (check, line, col), says_none, extra flags)."""
    expected, none, flags = set(), False, []
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            for match in EXPECT_AT.finditer(line):
                expected.add((match.group(1), int(match.group(2)), int(match.group(3))))
            caret = EXPECT_CARET.match(line)
            if caret:
                expected.add((caret.group(3), number - 1, caret.start(2) + 1))
            if EXPECT_NONE.search(line):
                none = True
            flag = FLAGS.search(line)
            if flag:
                flags += shlex.split(flag.group(1))
    return expected, none, flags


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lint", required=True)
    parser.add_argument("--work", required=True, help="folder for the generated compile database")
    parser.add_argument("--jobs", default="2")
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()

    files = sorted(os.path.join(os.path.abspath(d), name)
                   for d in args.dirs for name in os.listdir(d) if name.endswith(".cpp"))
    cases, problems = {}, []
    for path in files:
        expected, none, flags = expectations(path)
        if not expected and not none:
            problems.append(f"{path}: no expectation (write '// expect: none' for a clean case)")
        if expected and none:
            problems.append(f"{path}: says both 'expect: none' and expects findings")
        cases[path] = (expected, flags)
    if problems:
        print("\n".join(problems))
        return 1

    os.makedirs(args.work, exist_ok=True)
    database = [{"directory": os.path.dirname(path), "file": path,
                 "arguments": ["clang++-19", "-std=c++20", *flags, "-c", path]}
                for path, (_, flags) in cases.items()]
    with open(os.path.join(args.work, "compile_commands.json"), "w", encoding="utf-8") as out:
        json.dump(database, out, indent=1)

    root = os.path.commonpath(files) if len(files) > 1 else os.path.dirname(files[0])
    command = [args.lint, "-p", args.work, "--jobs", args.jobs, "--format", "jsonl", "--root", root, *files]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1200)
    if result.returncode not in (0, 1):
        print("command:", " ".join(command))
        print(result.stderr)
        print(f"FAILED: spawnguard-lint exited {result.returncode}")
        return 1

    actual = {path: set() for path in files}
    for line in result.stdout.splitlines():
        finding = json.loads(line)
        path = finding["file"] if os.path.isabs(finding["file"]) else os.path.join(root, finding["file"])
        actual.setdefault(path, set()).add((finding["check"], finding["line"], finding["column"]))

    failures = 0
    reported = clean = 0
    for path in files:
        expected = cases[path][0]
        got = actual.get(path, set())
        reported += bool(expected)
        clean += not expected
        name = os.path.relpath(path, root)
        for check, line, col in sorted(expected - got):
            print(f"MISSING {name}:{line}:{col}: {check}")
            failures += 1
        for check, line, col in sorted(got - expected):
            print(f"EXTRA   {name}:{line}:{col}: {check}")
            failures += 1
    for path in set(actual) - set(files):
        for check, line, col in sorted(actual[path]):
            print(f"EXTRA   {path}:{line}:{col}: {check} (outside the fixtures)")
            failures += 1
    print(f"fixtures: {len(files)} files ({reported} with findings, {clean} clean), {failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
