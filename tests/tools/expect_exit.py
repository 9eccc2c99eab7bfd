#!/usr/bin/env python3
"""Runs a command and checks its exit status and, optionally, that its stderr
or stdout matches a regular expression. Used by CTest for command-line tests.

usage: expect_exit.py STATUS [--stderr REGEX] [--stdout REGEX] -- COMMAND...
"""
import argparse
import re
import subprocess
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("status", type=int)
    parser.add_argument("--stderr", action="append", default=[])
    parser.add_argument("--stdout", action="append", default=[])
    argv = sys.argv[1:]
    if "--" not in argv:
        parser.error("no command: put it after --")
    split = argv.index("--")
    args = parser.parse_args(argv[:split])
    command = argv[split + 1:]
    if not command:
        parser.error("no command after --")

    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    failures = []
    if result.returncode != args.status:
        failures.append(f"exit status {result.returncode}, expected {args.status}")
    for pattern in args.stderr:
        if not re.search(pattern, result.stderr, re.MULTILINE):
            failures.append(f"stderr does not match /{pattern}/")
    for pattern in args.stdout:
        if not re.search(pattern, result.stdout, re.MULTILINE):
            failures.append(f"stdout does not match /{pattern}/")
    if failures:
        print("command:", " ".join(command))
        print("--- stdout ---\n" + result.stdout)
        print("--- stderr ---\n" + result.stderr)
        print("FAILED: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
