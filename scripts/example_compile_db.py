#!/usr/bin/env python3
"""Writes a compile_commands.json for the Asio and Beast examples that
Debian's libboost1.81-doc ships, with the flags they need to parse under
clang++-19 (see docs/real-world.md). Prints the number of files.

With --programs, the examples that are one program of several files (a
folder whose files define main() at most once: the HTTP servers, the
multi-file chat) each get their own database under OUTPUT_DIR/programs/<name>/,
to be linted with the cross-TU merge, as a team would lint its own program;
OUTPUT_DIR/compile_commands.json keeps the one-file programs.

usage: example_compile_db.py EXAMPLES_DIR OUTPUT_DIR [--only REGEX] [--programs]
"""
import json
import os
import re
import shutil
import sys


def flags_for(path, beast_root):
    flags = ["-std=c++20", "-I" + beast_root]
    # Upstream misses #include <list> in this one file.
    if os.path.basename(path) == "advanced_server_flex_awaitable.cpp":
        flags += ["-include", "list"]
    # Written for the pre-1.74 default executor (boost::asio::executor).
    if "/serialization/" in path:
        flags += ["-DBOOST_ASIO_USE_TS_EXECUTOR_AS_DEFAULT"]
    return flags


MAIN = re.compile(r"^(?:int\s+)?main\s*\(", re.MULTILINE)


def defines_main(path):
    with open(path, encoding="utf-8", errors="replace") as source:
        return MAIN.search(source.read()) is not None


def programs_of(files):
    """Folders of several files with at most one main(): one program each."""
    by_folder = {}
    for path in files:
        by_folder.setdefault(os.path.dirname(path), []).append(path)
    return {folder: paths for folder, paths in by_folder.items()
            if len(paths) > 1 and sum(map(defines_main, paths)) <= 1}


def write_database(folder, files, beast_root):
    database = [{"directory": os.path.dirname(path), "file": path,
                 "arguments": ["clang++-19", *flags_for(path, beast_root), "-c", path]} for path in files]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "compile_commands.json"), "w", encoding="utf-8") as out:
        json.dump(database, out, indent=1)


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit("usage: example_compile_db.py EXAMPLES_DIR OUTPUT_DIR [--only REGEX] [--programs]")
    examples, output, rest = args[0], args[1], args[2:]
    by_program = "--programs" in rest
    rest = [arg for arg in rest if arg != "--programs"]
    if rest and (rest[0] != "--only" or len(rest) != 2):
        sys.exit(f"example_compile_db.py: unknown arguments {rest} (expected --only REGEX and/or --programs)")
    only = re.compile(rest[1]) if rest else None
    beast_root = os.path.join(examples, "beast")
    files = []
    for library in ("asio", "beast"):
        for folder, _, names in os.walk(os.path.join(examples, library, "example")):
            files += [os.path.join(folder, name) for name in names if name.endswith(".cpp")]
    files = sorted(f for f in files if not only or only.search(f))
    singles = files
    if by_program:
        shutil.rmtree(os.path.join(output, "programs"), ignore_errors=True)
        programs = programs_of(files)
        in_programs = {path for paths in programs.values() for path in paths}
        singles = [path for path in files if path not in in_programs]
        for folder, paths in sorted(programs.items()):
            name = os.path.relpath(folder, examples).replace(os.sep, "+")
            write_database(os.path.join(output, "programs", name), paths, beast_root)
    write_database(output, singles, beast_root)
    print(len(files))


if __name__ == "__main__":
    main()
