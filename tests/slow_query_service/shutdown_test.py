#!/usr/bin/env python3
"""A clean SIGTERM loses no acknowledged audit: the real service, its audit
queue still full, stops accepting, lets the audits in flight finish within
the grace period, and exits; the SQLite file then holds one row per request
answered 200 (leaky, fixed and guarded modes). With no grace the audits it
could not finish are named in a log line and in the final counts, and the
file holds exactly the ones it counts recorded. With --db postgres the same
on the PostgreSQL server at $SPAWNGUARD_TEST_PG (leaky mode; skipped, 77,
when it is unset): its table holds a row per request answered.

usage: shutdown_test.py PATH/TO/slow_query_service [--db sqlite|postgres]
"""
import http.client
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid

from bad_input_test import Checks
from service_process import start_service

REQUESTS = 40
# Slow enough that the audits queue behind the one database thread while the
# requests are answered; a grace far longer than that queue, also on a loaded
# 2-core machine (40 scans once took more than 120 s there beside a full lint
# run). The service exits as soon as the queue is done, so a long grace costs
# nothing on a quiet machine.
SLOW_DATABASE = ["--scan-rows", "200000", "--db-threads", "1"]
LONG_GRACE_MS = "300000"


def answered_work_requests(port, target="/work"):
    """How many of REQUESTS POST `target`, on one keep-alive connection, were
    answered 200; and /metrics' live audit count right after."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    answered = 0
    for i in range(REQUESTS):
        connection.request("POST", target, body=f"audit {i}")
        response = connection.getresponse()
        response.read()
        answered += response.status == 200
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    connection.close()
    live = re.search(r"^slowquery_audit_tasks_live (\d+)$", text, re.M)
    return answered, int(live.group(1)) if live else None


def stop(process):
    """Sends SIGTERM and waits for the exit: (status, stderr)."""
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=int(LONG_GRACE_MS) / 1000 + 30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
        return None, err
    return process.returncode, err


def audit_rows(database):
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def final_counts(err):
    match = re.search(r"final audit counts: (.*)", err)
    return dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", match.group(1))) if match else {}


def run(binary, folder, name, flags):
    database = f"{folder}/{name}.sqlite"
    subprocess.run([binary, "--prepare-db", "--db", f"sqlite:{database}", *SLOW_DATABASE],
                   check=True, capture_output=True)
    process, port = start_service(binary, "--db", f"sqlite:{database}", *SLOW_DATABASE, *flags)
    try:
        answered, live = answered_work_requests(port)
    except Exception:
        process.kill()
        raise
    status, err = stop(process)
    return answered, live, status, err, audit_rows(database)


def postgres_rows(uri, target):
    """Rows of spawnguard_audit for `target`, counted by psql."""
    run = subprocess.run(["psql", uri, "-tAc",
                          f"SELECT count(*) FROM spawnguard_audit WHERE target = '{target}'"],
                         capture_output=True, text=True, check=True)
    return int(run.stdout.strip())


def run_postgres(binary, uri, grace_ms):
    """Leaky mode on PostgreSQL, a queue behind a pool of 2 slow queries,
    stopped with `grace_ms`: (answered, live, status, counts, rows of this
    run, tagged in their target)."""
    target = f"/work?run={uuid.uuid4().hex}"
    process, port = start_service(binary, "--mode", "leaky", "--db", uri, "--pg-pool", "2",
                                  "--query-ms", "200" if grace_ms == "0" else "50",
                                  "--shutdown-grace-ms", grace_ms)
    try:
        answered, live = answered_work_requests(port, target)
    except Exception:
        process.kill()
        raise
    status, err = stop(process)
    # A statement the service left running ends on the server by itself
    # (pg_sleep does not notice the client gone): count once it would have.
    time.sleep(1.0)
    return answered, live, status, final_counts(err), postgres_rows(uri, target)


def check_postgres(binary, uri, checks):
    """With a long grace the requests of the run all have their row; with
    none, the two statements running at the stop (200 ms of pg_sleep each,
    which the server finishes whether the client waits or not) are let return,
    so the rows are exactly the audits counted recorded."""
    answered, live, status, counts, rows = run_postgres(binary, uri, LONG_GRACE_MS)
    checks.expect(f"postgres: every request answered 200 ({answered}/{REQUESTS}), audits "
                  f"still queued at SIGTERM ({live} live)",
                  answered == REQUESTS and live and live > 0)
    checks.expect(f"postgres: exits 0 after SIGTERM ({status})", status == 0)
    checks.expect(f"postgres: one row per request answered ({rows} rows)", rows == answered)
    checks.expect(f"postgres: final counts say every audit recorded ({counts})",
                  counts.get("recorded") == answered and counts.get("unfinished") == 0)

    answered, live, status, counts, rows = run_postgres(binary, uri, "0")
    checks.expect(f"postgres, no grace: exits 0 ({status})", status == 0)
    checks.expect(f"postgres, no grace: audits left unfinished ({counts})",
                  counts.get("unfinished", 0) > 0)
    checks.expect(f"postgres, no grace: rows = recorded, started = recorded + unfinished "
                  f"({counts}, {rows} rows)",
                  rows == counts.get("recorded")
                  and counts.get("started") == answered
                  and counts.get("recorded", -1) + counts.get("unfinished", -1) == answered)


def main():
    binary = sys.argv[1]
    checks = Checks()
    if sys.argv[2:] == ["--db", "postgres"]:
        uri = os.environ.get("SPAWNGUARD_TEST_PG")
        if not uri:
            print("SKIPPED: SPAWNGUARD_TEST_PG is not set (scripts/postgres.sh start prints "
                  "a server's URI)")
            return 77
        check_postgres(binary, uri, checks)
        print(f"{checks.failures} failed")
        return 1 if checks.failures else 0
    with tempfile.TemporaryDirectory() as folder:
        for mode, extra in (("leaky", []), ("guarded", []),
                            ("fixed", ["--audit-limit", "1000", "--query-deadline-ms", "600000"])):
            answered, live, status, err, rows = run(
                binary, folder, mode, ["--mode", mode, "--shutdown-grace-ms", LONG_GRACE_MS, *extra])
            counts = final_counts(err)
            checks.expect(f"{mode}: every request answered 200 ({answered}/{REQUESTS}), "
                          f"audits still queued at SIGTERM ({live} live)",
                          answered == REQUESTS and live and live > 0)
            checks.expect(f"{mode}: exits 0 after SIGTERM ({status})", status == 0)
            checks.expect(f"{mode}: one audit row per request answered ({rows} rows, "
                          f"{answered} answered)", rows == answered)
            checks.expect(f"{mode}: says every audit finished and gives the final counts "
                          f"({counts})",
                          "every audit finished before shutdown" in err
                          and counts.get("started") == answered
                          and counts.get("recorded") == answered
                          and counts.get("unfinished") == 0)
            if checks.failures:
                print(err)

        # No grace: what is left is reported, and the counts match the file.
        answered, live, status, err, rows = run(binary, folder, "no-grace",
                                                ["--mode", "leaky", "--shutdown-grace-ms", "0"])
        counts = final_counts(err)
        left = re.search(r"grace of 0 ms ran out with (\d+) audit\(s\) unfinished", err)
        checks.expect(f"no grace: exits 0 ({status})", status == 0)
        checks.expect(f"no grace: a log line names the unfinished audits ({err.strip()!r})",
                      left is not None and int(left.group(1)) > 0)
        checks.expect(f"no grace: final counts add up (started = recorded + unfinished, "
                      f"rows = recorded: {counts}, {rows} rows)",
                      left is not None and counts.get("unfinished") == int(left.group(1))
                      and counts.get("started") == answered
                      and counts.get("recorded", -1) + counts.get("unfinished", -1) == answered
                      and rows == counts.get("recorded"))
    print(f"{checks.failures} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
