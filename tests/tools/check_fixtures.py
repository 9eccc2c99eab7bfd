#!/usr/bin/env python3
"""Runs spawnguard-lint on fixture files and compares its findings with the
expectations written in each file; fails on any missing or extra finding.

Expectations (see fixtures/analyzer/README.md):
  // expect: CHECK LINE:COL     a finding of CHECK at LINE:COL
  //      ^ expect: CHECK       a finding of CHECK on the line above, at the caret's column
  //      ^ expect: CHECK (cross-tu)
  //                            ... seen only by the cross-translation-unit step (--project)
  // expect: none               the file must produce no finding
  // flags: ...                 extra compiler flags for this file

Each file is its own program (the lint runs with --no-cross-tu) unless
--project says the folder's files are one program: then the lint follows
calls across them, or, with --no-cross-tu, must not report the (cross-tu)
expectations. --shards N lints the files in N shards (--summaries-dir) and
checks what --merge reports.

usage: check_fixtures.py --lint BIN --work DIR [--jobs N] [--project [--no-cross-tu | --shards N]]
                         [--save-findings FILE] FIXTURE_DIR...
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

EXPECT_AT = re.compile(r"//\s*expect:\s*(spawnguard-[\w-]+)\s+(\d+):(\d+)(\s*\(cross-tu\))?")
EXPECT_CARET = re.compile(r"^(\s*//\s*)(\^)\s*expect:\s*(spawnguard-[\w-]+)(\s*\(cross-tu\))?")
EXPECT_NONE = re.compile(r"//\s*expect:\s*none\b")
FLAGS = re.compile(r"//\s*flags:\s*(.*)$")


def expectations(path, cross_tu=True):
    """Returns (set of (check, line, col), says_none, extra flags); without
    cross_tu, the (cross-tu) expectations are left out."""
    expected, none, flags = set(), False, []
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            for match in EXPECT_AT.finditer(line):
                if cross_tu or not match.group(4):
                    expected.add((match.group(1), int(match.group(2)), int(match.group(3))))
            caret = EXPECT_CARET.match(line)
            if caret and (cross_tu or not caret.group(4)):
                expected.add((caret.group(3), number - 1, caret.start(2) + 1))
            if EXPECT_NONE.search(line):
                none = True
            flag = FLAGS.search(line)
            if flag:
                flags += shlex.split(flag.group(1))
    return expected, none, flags


def write_database(folder, flags_by_path):
    """Writes FOLDER/compile_commands.json compiling each fixture file with
    clang++-19 -std=c++20 and the file's own extra flags."""
    os.makedirs(folder, exist_ok=True)
    database = [{"directory": os.path.dirname(path), "file": path,
                 "arguments": ["clang++-19", "-std=c++20", *flags, "-c", path]}
                for path, flags in flags_by_path.items()]
    with open(os.path.join(folder, "compile_commands.json"), "w", encoding="utf-8") as out:
        json.dump(database, out, indent=1)


def run(command):
    """Runs the lint; None (after saying why) unless it exits 0 or 1."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=1200)
    if result.returncode not in (0, 1):
        print("command:", " ".join(command))
        print(result.stderr)
        print(f"FAILED: spawnguard-lint exited {result.returncode}")
        return None
    return result


def run_lint(args, files, root):
    """The findings run: one whole run, or shards then a merge."""
    output = ["--format", "jsonl", "--root", root]
    if not args.shards:
        cross_tu = [] if args.project and not args.no_cross_tu else ["--no-cross-tu"]
        return run([args.lint, "-p", args.work, "--jobs", args.jobs, *cross_tu, *output, *files])
    merge = []
    for shard in range(args.shards):
        folder = os.path.join(args.work, f"shard-{shard}")
        shutil.rmtree(folder, ignore_errors=True)
        if run([args.lint, "-p", args.work, "--jobs", args.jobs, "--summaries-dir", folder,
                *files[shard::args.shards]]) is None:
            return None
        merge += ["--merge", folder]
    return run([args.lint, *merge, *output])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lint", required=True)
    parser.add_argument("--work", required=True, help="folder for the generated compile database")
    parser.add_argument("--jobs", default="2")
    parser.add_argument("--project", action="store_true", help="the files are one program")
    parser.add_argument("--no-cross-tu", action="store_true", help="lint each file alone (with --project)")
    parser.add_argument("--shards", type=int, default=0, help="lint in N shards and merge (with --project)")
    parser.add_argument("--save-findings", metavar="FILE",
                        help="also write the lint's findings (jsonl, absolute paths) to FILE, for tidy_parity.py")
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()
    if (args.no_cross_tu or args.shards) and not args.project:
        parser.error("--no-cross-tu and --shards describe a --project run")

    files = sorted(os.path.join(os.path.abspath(d), name)
                   for d in args.dirs for name in os.listdir(d) if name.endswith(".cpp"))
    cases, problems = {}, []
    for path in files:
        expected, none, flags = expectations(path)
        if not expected and not none:
            problems.append(f"{path}: no expectation (write '// expect: none' for a clean case)")
        if expected and none:
            problems.append(f"{path}: says both 'expect: none' and expects findings")
        if args.project and args.no_cross_tu:
            expected = expectations(path, cross_tu=False)[0]
        cases[path] = (expected, flags)
    if problems:
        print("\n".join(problems))
        return 1

    write_database(args.work, {path: flags for path, (_, flags) in cases.items()})

    root = os.path.commonpath(files) if len(files) > 1 else os.path.dirname(files[0])
    result = run_lint(args, files, root)
    if result is None:
        return 1

    actual = {path: set() for path in files}
    saved = []
    for line in result.stdout.splitlines():
        finding = json.loads(line)
        path = finding["file"] if os.path.isabs(finding["file"]) else os.path.join(root, finding["file"])
        actual.setdefault(path, set()).add((finding["check"], finding["line"], finding["column"]))
        finding["file"] = path
        saved.append(json.dumps(finding))
    if args.save_findings:
        with open(args.save_findings, "w", encoding="utf-8") as out:
            out.write("".join(line + "\n" for line in saved))

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
