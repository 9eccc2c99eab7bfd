#!/usr/bin/env python3
"""Runs promtool with the given arguments and exits with its status; when
promtool is missing, says where it comes from and fails.

usage: run_promtool.py check rules FILE... | test rules FILE...
"""
import shutil
import subprocess
import sys


def find_promtool():
    """promtool's path; exits the test, saying where it comes from, without it."""
    promtool = shutil.which("promtool")
    if promtool is None:
        raise SystemExit("promtool is not on PATH: it comes with the Debian package "
                         "'prometheus'; run scripts/install-deps.sh as root "
                         "(or apt-get install prometheus)")
    return promtool


def main():
    promtool = find_promtool()
    print("+ promtool " + " ".join(sys.argv[1:]), flush=True)
    return subprocess.run([promtool, *sys.argv[1:]]).returncode


if __name__ == "__main__":
    sys.exit(main())
