#!/usr/bin/env python3
"""Writes a compile_commands.json for the Asio and Beast examples that
Debian's libboost1.81-doc ships, with the flags they need to parse under
clang++-19 (see docs/real-world.md). Prints the number of files.

usage: example_compile_db.py EXAMPLES_DIR OUTPUT_DIR [--only REGEX]
"""
import json
import os
import re
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


def main():
    examples, output = sys.argv[1], sys.argv[2]
    only = re.compile(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--only" else None
    beast_root = os.path.join(examples, "beast")
    files = []
    for library in ("asio", "beast"):
        for folder, _, names in os.walk(os.path.join(examples, library, "example")):
            files += [os.path.join(folder, name) for name in names if name.endswith(".cpp")]
    files = sorted(f for f in files if not only or only.search(f))
    database = [{"directory": os.path.dirname(path), "file": path,
                 "arguments": ["clang++-19", *flags_for(path, beast_root), "-c", path]} for path in files]
    os.makedirs(output, exist_ok=True)
    with open(os.path.join(output, "compile_commands.json"), "w", encoding="utf-8") as out:
        json.dump(database, out, indent=1)
    print(len(files))


if __name__ == "__main__":
    main()
