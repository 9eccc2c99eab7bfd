#!/usr/bin/env python3
"""Peak memory of `spawnguard-lint --merge` against the size of the summaries
it reads: generates one TU with N functions (a call chain from a loop, a
detached thread in each: a call, a spawn and a finding per function), writes
its summary with --summaries-dir, merges it under /usr/bin/time -v, and
prints the summary's size, the merge's peak RSS, and the peak over the
process's floor (a merge of a one-function summary).

usage: merge_memory.py LINT_BINARY [FUNCTIONS]   (default 6000)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def program(functions):
    parts = ["#include <thread>\nint next_connection();\nvoid serve(int);\nbool stopped();\n"]
    parts += [f"void step{k}(int c);\n" for k in range(functions)]
    for k in range(functions):
        following = f"step{k + 1}(c);" if k + 1 < functions else ""
        parts.append(f"void step{k}(int c) {{\n  if (c == {k}) std::thread(serve, c).detach();\n  {following}\n}}\n")
    parts.append("void loop() { while (!stopped()) { step0(next_connection()); } }\n")
    return "".join(parts)


def peak_kb(command):
    result = subprocess.run(["/usr/bin/time", "-v", *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"merge-memory: exit {result.returncode}: {' '.join(command)}\n{result.stderr}")
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))


def summary_and_peak(lint, functions, work):
    folder = os.path.join(work, f"n{functions}")
    os.makedirs(folder)
    source = os.path.join(folder, "big.cpp")
    with open(source, "w", encoding="utf-8") as out:
        out.write(program(functions))
    with open(os.path.join(folder, "compile_commands.json"), "w", encoding="utf-8") as out:
        json.dump([{"directory": folder, "file": source, "arguments": ["clang++-19", "-std=c++20", "-c", "big.cpp"]}],
                  out)
    shard = os.path.join(folder, "shard")
    subprocess.run([lint, "-p", folder, "--root", folder, "--summaries-dir", shard, source], check=True)
    size = sum(os.path.getsize(os.path.join(shard, name)) for name in os.listdir(shard))
    return size, peak_kb([lint, "--root", folder, "--merge", shard, "--format", "jsonl"])


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    lint = os.path.abspath(sys.argv[1])
    functions = int(sys.argv[2]) if len(sys.argv) > 2 else 6000
    work = tempfile.mkdtemp(prefix="merge-memory-")
    try:
        _, floor = summary_and_peak(lint, 1, work)
        size, peak = summary_and_peak(lint, functions, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"merge-memory functions={functions} summary={size / 1e6:.1f}MB peak={peak / 1e3:.0f}MB "
          f"floor={floor / 1e3:.0f}MB over-floor/summary={(peak - floor) * 1e3 / size:.1f}x")


if __name__ == "__main__":
    main()
