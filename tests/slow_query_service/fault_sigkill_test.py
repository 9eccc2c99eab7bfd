#!/usr/bin/env python3
"""SIGKILL mid-load, then restart: the real service (leaky mode, SQLite, one
slow database thread so audits queue) is killed while four clients keep
POSTing /work. The SQLite file then passes integrity_check, the service
restarts on it and serves and records again, and the rows lost (requests
answered 200 with no row) are no more than the audits in flight: those
/metrics counted live just before the kill, plus those answered after it.

usage: fault_sigkill_test.py PATH/TO/slow_query_service
"""
import http.client
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from bad_input_test import Checks
from service_process import metric, start_service

CLIENTS = 4
LOAD_SECONDS = 3
SLOW_DATABASE = ["--scan-rows", "20000", "--db-threads", "1"]


class Load:
    """CLIENTS threads, each POSTing /work on one keep-alive connection until
    stopped; `answered` counts the 200s received."""

    def __init__(self, port):
        self.port = port
        self.answered = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(i,)) for i in range(CLIENTS)]
        for thread in self.threads:
            thread.start()

    def client(self, index):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sent = 0
        try:
            while not self.stopping.is_set():
                connection.request("POST", "/work", body=f"client {index} request {sent}")
                sent += 1
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    with self.lock:
                        self.answered += 1
        except (OSError, http.client.HTTPException):
            pass  # the kill

    def count(self):
        with self.lock:
            return self.answered

    def join(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def rows_and_integrity(database):
    with sqlite3.connect(database) as db:
        verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return rows, verdict


def main():
    binary = sys.argv[1]
    checks = Checks()
    with tempfile.TemporaryDirectory() as folder:
        database = f"{folder}/audit.sqlite"
        flags = ["--mode", "leaky", "--db", f"sqlite:{database}", *SLOW_DATABASE]
        process, port = start_service(binary, *flags)
        load = Load(port)
        time.sleep(LOAD_SECONDS)
        answered_at_sample = load.count()
        live_at_sample = metric(port, "slowquery_audit_tasks_live")
        process.send_signal(signal.SIGKILL)
        answered = load.count()
        process.wait()
        load.join()
        answered = max(answered, load.count())
        rows, verdict = rows_and_integrity(database)
        lost = max(0, answered - rows)
        in_flight = (live_at_sample or 0) + (answered - answered_at_sample)
        print(f"measured: {answered} answered 200 before SIGKILL, {live_at_sample} audits live "
              f"{answered - answered_at_sample} answered after that sample; {rows} rows; "
              f"{lost} lost (bound {in_flight})")
        checks.expect(f"the kill came mid-load: requests answered ({answered}) and audits in "
                      f"flight ({live_at_sample} live)",
                      answered > 0 and live_at_sample is not None and live_at_sample > 0)
        checks.expect(f"SIGKILL left the SQLite file whole (integrity_check: {verdict})",
                      verdict == "ok")
        checks.expect(f"rows lost ({lost}) no more than the audits in flight ({in_flight})",
                      lost <= in_flight)
        checks.expect(f"no row without a request ({rows} rows, {answered} answered + at most "
                      f"{CLIENTS} unread answers)", rows <= answered + CLIENTS)

        # Restart on the same file: it opens (the service checks it) and records again.
        process, port = start_service(binary, *flags)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("POST", "/work", body="after the restart")
            status = connection.getresponse().status
            connection.close()
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=120)
        after, verdict = rows_and_integrity(database)
        checks.expect(f"the restarted service answers 200 ({status})", status == 200)
        checks.expect(f"the restarted service exits 0 on SIGTERM ({process.returncode}: "
                      f"{err.strip()[-300:]!r})", process.returncode == 0)
        checks.expect(f"its audit is recorded ({rows} rows before, {after} after; "
                      f"integrity_check: {verdict})", after == rows + 1 and verdict == "ok")
    print(f"{checks.failures} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
