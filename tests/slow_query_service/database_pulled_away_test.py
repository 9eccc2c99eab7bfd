#!/usr/bin/env python3
"""The SQLite file pulled away from under the real service is found out:
deleted under load, or corrupted in place, the database turns unusable —
one log line with the cause, /healthz 503 with the reason, slowquery_db_usable
0, no audit counted recorded into a file that is gone — and once a good file
is put back at the path (not a file that is no database) the service
reopens it, /healthz is 200 again and the
audits land in the new file.

usage: database_pulled_away_test.py PATH/TO/slow_query_service
"""
import http.client
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from bad_input_test import Checks
from service_process import start_service

# More rows than SQLite's page cache holds, so every audit query reads the file.
DATABASE = ["--scan-rows", "100000", "--db-threads", "2"]
WAIT_S = 30  # the bound of every wait below; each ends as soon as its state is seen
REQUESTS_AFTER = 10


def request(port, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body)
    response = connection.getresponse()
    answer = response.status, response.read().decode()
    connection.close()
    return answer


def metric(port, name, outcome=None):
    label = f'{{outcome="{outcome}"}}' if outcome else ""
    text = request(port, "GET", "/metrics")[1]
    match = re.search(rf"^{re.escape(name + label)} (\S+)$", text, re.M)
    return float(match.group(1)) if match else None


def wait_for_health(port, status, with_work, saying=""):
    """/healthz's answer once it is `status` with `saying` in it (or the last
    one after WAIT_S), sending a work request before each look when with_work
    (under load)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        if with_work:
            request(port, "POST", "/work", body="audit")
        answer = request(port, "GET", "/healthz")
        if (answer[0] == status and saying in answer[1]) or time.monotonic() > deadline:
            return answer
        time.sleep(0.02)


def settle(port):
    """Waits (at most WAIT_S) until no audit task is live."""
    deadline = time.monotonic() + WAIT_S
    while metric(port, "slowquery_audit_tasks_live") != 0 and time.monotonic() < deadline:
        time.sleep(0.02)


def put_back(good, path):
    """A good copy of the database, moved into place as a new file."""
    shutil.copyfile(good, path + ".restoring")
    os.replace(path + ".restoring", path)


def corrupt_in_place(path):
    """Random bytes over the middle of the file: same file, pages garbage."""
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.seek(size // 4)
        f.write(os.urandom(size // 2))


def audit_rows(path):
    """The rows in the file's audit_log, or why it cannot be read."""
    try:
        with sqlite3.connect(path) as db:
            return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    except sqlite3.DatabaseError as e:
        return f"unreadable: {e}"


def run_fault(binary, folder, fault, pull_away, reason, checks):
    path, good = f"{folder}/{fault}.sqlite", f"{folder}/{fault}-good.sqlite"
    for file in (path, good):
        subprocess.run([binary, "--prepare-db", "--db", f"sqlite:{file}", *DATABASE], check=True,
                       capture_output=True)
    process, port = start_service(binary, "--mode", "leaky", "--db", f"sqlite:{path}", *DATABASE)
    try:
        checks.expect(f"{fault}: /healthz is 200 with the database in place",
                      wait_for_health(port, 200, with_work=True)[0] == 200)
        pull_away(path)
        answer = wait_for_health(port, 503, with_work=True)
        checks.expect(f"{fault}: /healthz turns 503 naming the cause under load ({answer})",
                      answer[0] == 503 and re.search(reason, answer[1]) is not None)
        checks.expect(f"{fault}: /metrics says slowquery_db_usable 0",
                      metric(port, "slowquery_db_usable") == 0)
        settle(port)
        recorded = metric(port, "slowquery_audit_tasks_finished_total", "recorded")
        failed = metric(port, "slowquery_audit_tasks_finished_total", "failed")
        for _ in range(REQUESTS_AFTER):
            request(port, "POST", "/work", body="lost")
        settle(port)
        checks.expect(f"{fault}: audits while it is unusable fail, none counted recorded",
                      metric(port, "slowquery_audit_tasks_finished_total", "recorded") == recorded
                      and metric(port, "slowquery_audit_tasks_finished_total", "failed")
                      == failed + REQUESTS_AFTER)

        # Not a database first: still unusable, saying so; then a good one.
        with open(path + ".restoring", "wb") as f:
            f.write(os.urandom(8192))
        os.replace(path + ".restoring", path)
        answer = wait_for_health(port, 503, with_work=False, saying="not a database")
        checks.expect(f"{fault}: a file that is not a database put back keeps it unusable "
                      f"({answer})", answer[0] == 503 and "not a database" in answer[1])
        put_back(good, path)
        answer = wait_for_health(port, 200, with_work=False)
        checks.expect(f"{fault}: /healthz is 200 again once a good file is back ({answer})",
                      answer[0] == 200)
        for _ in range(REQUESTS_AFTER):
            request(port, "POST", "/work", body="after")
        settle(port)
        rows = audit_rows(path)
        checks.expect(f"{fault}: the audits after recovery are in the new file ({rows} rows)",
                      rows == REQUESTS_AFTER)
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    unusable = re.findall(r"audit database unusable: (.*)", err)
    checks.expect(f"{fault}: logged once, with the cause ({unusable})",
                  len(unusable) == 1 and re.search(reason, unusable[0]) is not None)
    checks.expect(f"{fault}: its recovery logged", "audit database usable again" in err)


def main():
    binary = sys.argv[1]
    checks = Checks()
    with tempfile.TemporaryDirectory() as folder:
        run_fault(binary, folder, "deleted", os.remove, r"is gone \(No such file", checks)
        run_fault(binary, folder, "corrupted", corrupt_in_place, r"malformed|not a database",
                  checks)
    print(f"{checks.failures} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
