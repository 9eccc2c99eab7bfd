#!/usr/bin/env python3
"""The real slow-query service counts every audit by outcome, in its audit
task figures and its database's, on /metrics: fixed mode with a fast query
records every one; with a query far slower than its deadline every one ends
cancelled; the live count returns to zero.

usage: metrics_test.py PATH/TO/slow_query_service
"""
import http.client
import re
import subprocess
import sys
import tempfile
import time

from service_process import start_service

REQUESTS = 12


def start(binary, database, *flags):
    subprocess.run([binary, "--prepare-db", "--db", f"sqlite:{database}", *flags], check=True,
                   capture_output=True)
    return start_service(binary, "--mode", "fixed", "--db", f"sqlite:{database}", *flags)


def get(port, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body)
    response = connection.getresponse()
    return response.status, response.read().decode()


def metric(text, name, outcome=None):
    label = f'{{outcome="{outcome}"}}' if outcome else ""
    match = re.search(rf"^{re.escape(name + label)} (\S+)$", text, re.M)
    return float(match.group(1)) if match else None


def settled_metrics(port):
    """/metrics once no audit task is live (or after 10 s)."""
    deadline = time.monotonic() + 10
    while True:
        _, text = get(port, "GET", "/metrics")
        if metric(text, "slowquery_audit_tasks_live") == 0 or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


def main():
    binary = sys.argv[1]
    failures = 0

    def expect(ok, what):
        nonlocal failures
        print(f"{'PASS' if ok else 'FAIL'}: {what}")
        failures += not ok

    # A deadline a loaded machine cannot miss for the fast query: the database
    # threads run in SCHED_IDLE and wait while a build keeps the CPUs busy.
    cases = (("recorded", ["--scan-rows", "1000", "--query-deadline-ms", "60000"]),
             ("cancelled", ["--scan-rows", "400000", "--db-threads", "1",
                            "--query-deadline-ms", "1"]))
    with tempfile.TemporaryDirectory() as folder:
        for outcome, flags in cases:
            process, port = start(binary, f"{folder}/{outcome}.sqlite", *flags)
            try:
                statuses = [get(port, "POST", "/work", body="x" * 64)[0] for _ in range(REQUESTS)]
                text = settled_metrics(port)
            finally:
                process.terminate()
                process.wait(timeout=10)
            others = [o for o in ("recorded", "failed", "cancelled") if o != outcome]
            audit = {o: metric(text, "slowquery_audit_tasks_finished_total", o)
                     for o in ("recorded", "failed", "cancelled")}
            database = {o: metric(text, "slowquery_db_queries_total", o)
                        for o in ("recorded", "failed", "cancelled")}
            expect(statuses == [200] * REQUESTS, f"{outcome}: every request answered 200 "
                                                 f"({statuses})")
            expect(metric(text, "slowquery_audit_tasks_live") == 0
                   and metric(text, "slowquery_audit_tasks_started_total") == REQUESTS,
                   f"{outcome}: {REQUESTS} audit tasks started, none left live")
            expect(audit[outcome] == REQUESTS and all(audit[o] == 0 for o in others),
                   f"{outcome}: the audit tasks all end {outcome} ({audit})")
            expect(database[outcome] == REQUESTS and all(database[o] == 0 for o in others),
                   f"{outcome}: the database counts every query {outcome} ({database})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
