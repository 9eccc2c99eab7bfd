#!/usr/bin/env python3
"""Scores a spawnguard-lint run over Boost's Asio and Beast examples against the
hand-made verdicts in tests/corpus/boost-examples.tsv (docs/real-world.md).

  scripts/score-examples.py FINDINGS.jsonl [VERDICTS.tsv] [--repo boost/examples]

FINDINGS.jsonl: the lint's --format jsonl output of a run with
--root /usr/share/doc/libboost1.81-doc/examples/libs (fields file, line, check).
VERDICTS.tsv: the columns of tests/corpus/labels.tsv (repo, commit, path, line,
check, verdict, note); only rows of --repo are read. A TP or FN row is a real
problem the lint should report at path:line, an FP row a place it must not. A
finding with no row is printed as 'unjudged' and counts as a false alarm until
someone reads the code and adds a row; a TP row no longer reported counts as a
miss, an FN row now reported as a true alarm.
Last line: "examples: unbounded-spawn P=.. R=.. (tp= fp= fn=); missing-deadline ...".
"""
import argparse
import csv
import json
import os
import sys

CHECKS = ("unbounded-spawn", "missing-deadline", "detached-thread", "unbounded-queue")


def verdict_rows(path, repo):
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.reader(f, delimiter="\t"):
            if not r or r[0].startswith("#") or r[0] == "repo" or r[0] != repo:
                continue
            if len(r) < 6:
                sys.exit(f"score-examples: short row in {path}: {r}")
            yield r[2], int(r[3]), r[4].removeprefix("spawnguard-"), r[5]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("findings")
    ap.add_argument("verdicts", nargs="?",
                    default=os.path.join(here, "..", "tests", "corpus", "boost-examples.tsv"))
    ap.add_argument("--repo", default="boost/examples")
    a = ap.parse_args()

    positive, negative = set(), set()
    for path, line, check, verdict in verdict_rows(a.verdicts, a.repo):
        if verdict not in ("TP", "FP", "FN"):
            sys.exit(f"score-examples: unknown verdict {verdict!r} at {path}:{line}")
        (negative if verdict == "FP" else positive).add((path, line, check))

    found = set()
    with open(a.findings, encoding="utf-8") as f:
        for text in f:
            if text.strip():
                x = json.loads(text)
                found.add((x["file"], int(x["line"]), x["check"].removeprefix("spawnguard-")))

    summary = []
    for c in CHECKS:
        pos = {x for x in positive if x[2] == c}
        got = {x for x in found if x[2] == c}
        tp = pos & got
        false = {x for x in got - pos if x in negative}
        unjudged = got - pos - negative
        fn = pos - got
        fp = len(false) + len(unjudged)
        prec = len(tp) / (len(tp) + fp) if tp or fp else 1.0
        rec = len(tp) / (len(tp) + len(fn)) if tp or fn else 1.0
        print(f"{c}: tp={len(tp)} fp={fp} (false={len(false)} unjudged={len(unjudged)}) "
              f"fn={len(fn)} P={prec:.2f} R={rec:.2f}")
        for x in sorted(unjudged):
            print(f"  unjudged {x[0]}:{x[1]}")
        for x in sorted(fn):
            print(f"  missed   {x[0]}:{x[1]}")
        summary.append(f"{c} P={prec:.2f} R={rec:.2f} (tp={len(tp)} fp={fp} fn={len(fn)})")
    print("examples: " + "; ".join(summary))


if __name__ == "__main__":
    main()
