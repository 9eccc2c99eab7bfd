#!/usr/bin/env python3
"""The Grafana dashboard is well formed: every panel has a unique id, a place
on the grid, the dashboard's Prometheus data source variable and at least one
query; every query (panel targets and query variables, with the dashboard's
variables filled in) is PromQL that promtool accepts.

usage: dashboard_test.py DASHBOARD.json
"""
import json
import re
import subprocess
import sys
import tempfile

import yaml

from dashboard_queries import dashboard_queries
from run_promtool import find_promtool

# What Grafana puts in place of its variables before Prometheus sees a query.
VARIABLES = {"__rate_interval": "1m", "__interval": "15s", "__range": "1h"}


def filled_in(query):
    query = re.sub(r"\blabel_values\s*\(\s*(.*?)\s*,\s*\w+\s*\)\s*$", r"\1", query)
    return re.sub(r"\$\{?(\w+)\}?", lambda m: VARIABLES.get(m.group(1), ".*"), query)


def main():
    path = sys.argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            dashboard = json.load(f)
    except (OSError, ValueError) as error:
        raise SystemExit(f"{path}: cannot read it: {error}")
    if not isinstance(dashboard, dict):
        raise SystemExit(f"{path}: expected a Grafana dashboard (a JSON object), "
                         f"found a {type(dashboard).__name__}")
    failures = 0

    def expect(ok, what):
        nonlocal failures
        print(f"{'PASS' if ok else 'FAIL'}: {what}")
        failures += not ok

    panels = dashboard.get("panels") or []
    ids = [p.get("id") for p in panels]
    expect(panels and len(set(ids)) == len(ids), f"{len(panels)} panels, ids unique ({ids})")
    for panel in panels:
        title = panel.get("title")
        targets = panel.get("targets") or []
        refs = [t.get("refId") for t in targets]
        expect(targets and len(set(refs)) == len(refs) and all(t.get("expr") for t in targets),
               f"panel '{title}': queries with unique refIds ({refs})")
        expect({"x", "y", "w", "h"} <= set(panel.get("gridPos") or {}),
               f"panel '{title}': placed on the grid")
        sources = [panel.get("datasource"), *(t.get("datasource") for t in targets)]
        expect(all(s == {"type": "prometheus", "uid": "${datasource}"} for s in sources),
               f"panel '{title}': reads the $datasource Prometheus")
    queries = dashboard_queries(path, dashboard)
    promtool = find_promtool()
    # promtool parses PromQL in rule files: one recording rule per query.
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard_query_{i}", "expr": filled_in(q)} for i, (_, q) in enumerate(queries)]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
        yaml.safe_dump(rules, f)
        f.flush()
        check = subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True)
    expect(check.returncode == 0, f"{len(queries)} queries parse as PromQL"
           + ("" if check.returncode == 0 else f":\n{check.stdout}{check.stderr}"
              + "\n".join(f"  dashboard_query_{i}: {w}: {q}" for i, (w, q) in enumerate(queries))))
    print(f"dashboard: {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
