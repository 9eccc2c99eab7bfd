#!/usr/bin/env python3
"""Every metric the shipped monitoring reads is one the guard really serves:
the names in the alerting and recording rules' queries (and in the queries
their alert templates run), in the dashboard's panel and variable queries,
and every spawnguard metric name the rules, the dashboard and the docs page
mention, checked against the /metrics of the real slow-query service in
guarded mode (with a memory budget, so the limit gauge is served), plus the
names the recording rules define.

usage: exported_names_test.py --service PATH/TO/slow_query_service
         --rules RULES.yaml... --dashboard DASHBOARD.json --doc PAGE.md
"""
import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import yaml

from dashboard_queries import dashboard_queries
from promql_names import metric_names, template_queries

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "slow_query_service"))
from service_process import start_service  # noqa: E402

# Any spelling of a spawnguard metric or of a recording rule built on one.
_MENTION = re.compile(r"[A-Za-z0-9_:]*spawnguard_[A-Za-z0-9_:]*")


def get(port, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body)
    response = connection.getresponse()
    return response.status, response.read().decode()


def served_names(binary):
    """The metric names the guarded service serves once the guard has sampled
    memory and a task has been spawned through it."""
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:{folder}/audit.sqlite"
        subprocess.run([binary, "--prepare-db", "--db", database, "--scan-rows", "1000"],
                       check=True, capture_output=True)
        os.environ["SPAWNGUARD_MEMORY_BUDGET"] = "1GiB"
        process, port = start_service(binary, "--mode", "guarded", "--db", database,
                                      "--scan-rows", "1000")
        try:
            get(port, "POST", "/work", body="x" * 64)
            deadline = time.monotonic() + 10
            while True:
                _, text = get(port, "GET", "/metrics")
                if "\nspawnguard_memory_rss_bytes " in text or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
        finally:
            process.terminate()
            process.wait(timeout=10)
    names = set(re.findall(r"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) ", text, re.M))
    names |= set(re.findall(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", text, re.M))
    return names


def load(path, parse):
    try:
        with open(path, encoding="utf-8") as f:
            return parse(f)
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise SystemExit(f"{path}: cannot read it: {error}")


def rule_queries(path, rules_file):
    """(where, query) of every rule's expression and template query, and the
    names the file records."""
    queries, recorded = [], set()
    for group in (rules_file or {}).get("groups") or []:
        for rule in group.get("rules") or []:
            name = rule.get("alert") or rule.get("record")
            recorded |= {rule["record"]} if "record" in rule else set()
            queries.append((f"{path}: {name}", str(rule.get("expr", ""))))
            for key, value in {**rule.get("labels", {}), **rule.get("annotations", {})}.items():
                queries += [(f"{path}: {name} {key}", q) for q in template_queries(str(value))]
    return queries, recorded


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", required=True)
    parser.add_argument("--rules", required=True, nargs="+")
    parser.add_argument("--dashboard", required=True)
    parser.add_argument("--doc", required=True)
    args = parser.parse_args()
    failures = 0

    def expect(ok, what):
        nonlocal failures
        print(f"{'PASS' if ok else 'FAIL'}: {what}")
        failures += not ok

    # The check itself can fail: a misspelt name in a query is one it finds.
    misspelt = 'sum by (site) (rate(spawnguard_tasks_rejectd_total{site=~"$site"}[1m]))'
    expect(metric_names(misspelt) == {"spawnguard_tasks_rejectd_total"},
           f"the name in a misspelt query is found ({metric_names(misspelt)})")

    served = served_names(args.service)
    expect("spawnguard_tasks_live" in served, f"the guarded service serves spawnguard metrics "
                                              f"({len(served)} names)")
    queries, recorded = [], set()
    for path, read in [*((p, rule_queries) for p in args.rules), (args.dashboard, None)]:
        content = load(path, yaml.safe_load if read else json.load)
        if not isinstance(content, dict):
            raise SystemExit(f"{path}: expected a mapping at the top, found a "
                             f"{type(content).__name__}")
        try:
            if read:
                found, names = read(path, content)
                queries, recorded = queries + found, recorded | names
            else:
                queries += dashboard_queries(path, content)
        except (AttributeError, KeyError, TypeError) as error:
            raise SystemExit(f"{path}: not laid out as expected: {error!r}")
    expect(len(queries) >= 10 and recorded, f"{len(queries)} queries found, "
                                            f"{len(recorded)} recorded names")

    known = served | recorded
    for where, query in queries:
        try:
            names = metric_names(query)
        except ValueError as error:
            expect(False, f"{where}: {error}")
            continue
        unknown = sorted(names - known)
        expect(names and not unknown,
               f"{where}: reads {', '.join(sorted(names)) or 'no metric'}"
               + (f"; not served by the guard nor recorded: {', '.join(unknown)}" if unknown else ""))

    for path in [*args.rules, args.dashboard, args.doc]:
        text = load(path, lambda f: f.read())
        unknown = sorted({m.strip(":") for m in _MENTION.findall(text)} - known)
        expect(not unknown, f"{path}: every spawnguard metric it names is served or recorded"
                            + (f"; unknown: {', '.join(unknown)}" if unknown else ""))

    print(f"exported_names: {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
