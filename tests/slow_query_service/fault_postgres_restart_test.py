#!/usr/bin/env python3
"""PostgreSQL stopped and restarted under load: the real service (leaky mode,
a pool of 2 connections) on a PostgreSQL server of its own keeps answering
every POST /work 200 while the server is down; its audits fail at once and
are counted failed, /healthz answers 503 naming the cause and
slowquery_db_usable is 0; once the server is back the pool reconnects, audits
are recorded again and /healthz is 200. At the end the table holds exactly
the audits the service counts recorded.

usage: fault_postgres_restart_test.py PATH/TO/slow_query_service SCRIPTS_DIR
(skipped, 77, without PostgreSQL's binaries)
"""
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from bad_input_test import Checks
from service_process import metric, start_service

CLIENTS = 2
WAIT_S = 30


class Load:
    """CLIENTS threads POSTing `target` on keep-alive connections until stopped."""

    def __init__(self, port, target):
        self.port, self.target = port, target
        self.statuses = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.client) for _ in range(CLIENTS)]
        for thread in self.threads:
            thread.start()

    def client(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while not self.stopping.is_set():
            try:
                connection.request("POST", self.target, body="audit")
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
            time.sleep(0.002)

    def answered(self):
        with self.lock:
            return dict(self.statuses)

    def join(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response.status, body


def wait_for(condition):
    """Seconds until condition() held, or None after WAIT_S."""
    began = time.monotonic()
    while time.monotonic() - began < WAIT_S:
        if condition():
            return time.monotonic() - began
        time.sleep(0.05)
    return None


def main():
    binary, scripts = sys.argv[1], sys.argv[2]
    if not os.path.exists("/usr/lib/postgresql/15/bin/initdb"):
        print("SKIPPED: no PostgreSQL 15 binaries (scripts/install-deps.sh installs them)")
        return 77
    checks = Checks()
    recorded = 'slowquery_audit_tasks_finished_total{outcome="recorded"}'
    failed = 'slowquery_audit_tasks_finished_total{outcome="failed"}'
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, SPAWNGUARD_PG_STATE=f"{folder}/postgres.state")
        postgres = lambda command: subprocess.run(["bash", f"{scripts}/postgres.sh", command],
                                                  env=env, check=True, capture_output=True,
                                                  text=True).stdout.strip()
        uri = postgres("start")
        try:
            target = f"/work?run={uuid.uuid4().hex}"
            process, port = start_service(binary, "--mode", "leaky", "--db", uri, "--pg-pool", "2",
                                          "--query-ms", "5", "--shutdown-grace-ms", "30000")
            load = Load(port, target)
            try:
                time.sleep(2)
                before = metric(port, recorded)
                postgres("pause")
                stopped_at = time.monotonic()
                noticed = wait_for(lambda: get(port, "/healthz")[0] == 503)
                health_down = get(port, "/healthz")
                usable_down = metric(port, "slowquery_db_usable")
                time.sleep(2)
                answered_down = load.answered()
                failed_down = metric(port, failed)
                postgres("resume")
                outage = time.monotonic() - stopped_at
                recovered = wait_for(lambda: get(port, "/healthz")[0] == 200)
                recorded_resumed = metric(port, recorded)
                wait_for(lambda: metric(port, recorded) > recorded_resumed + 10)
                usable_up = metric(port, "slowquery_db_usable")
            finally:
                load.join()
                process.send_signal(signal.SIGTERM)
                _, err = process.communicate(timeout=60)
            answered = load.answered()
            counts = dict((k, int(v)) for k, v in re.findall(
                r"(\w+)=(\d+)", (re.search(r"final audit counts: (.*)", err) or [""])[0]))
            rows = int(subprocess.run(
                ["psql", uri, "-tAc",
                 f"SELECT count(*) FROM spawnguard_audit WHERE target = '{target}'"],
                capture_output=True, text=True, check=True).stdout.strip())
        finally:
            postgres("stop")
    others = {k: v for k, v in answered.items() if k != 200}
    print(f"measured: {answered.get(200, 0)} POSTs answered 200 and {others} otherwise; "
          f"PostgreSQL down {outage:.1f} s, /healthz 503 after {noticed} s and 200 again "
          f"{recovered} s after the restart; {failed_down} audits failed, {counts} at the end, "
          f"{rows} rows")
    checks.expect(f"recording before the stop ({before} recorded)", before and before > 0)
    checks.expect(f"every POST answered 200 throughout ({answered})", not others and
                  answered_down.get(200, 0) > 0)
    checks.expect(f"/healthz 503 naming PostgreSQL while it is down ({health_down}, after "
                  f"{noticed} s)", noticed is not None and health_down[0] == 503
                  and "postgresql" in health_down[1])
    checks.expect(f"slowquery_db_usable 0 while down, 1 after ({usable_down}, {usable_up})",
                  usable_down == 0 and usable_up == 1)
    checks.expect(f"audits during the outage fail and are counted ({failed_down} failed)",
                  failed_down is not None and failed_down > 0)
    checks.expect(f"/healthz 200 again after the restart ({recovered} s)", recovered is not None)
    checks.expect(f"audits recorded again after the restart ({recorded_resumed} then more)",
                  counts.get("recorded", 0) > recorded_resumed)
    checks.expect(f"the log says when it turned unusable and usable again ({err[-600:]!r})",
                  "audit database unusable: postgresql" in err and "usable again" in err)
    checks.expect(f"exits 0 on SIGTERM ({process.returncode})", process.returncode == 0)
    checks.expect(f"the table holds exactly the audits counted recorded ({rows} rows, {counts})",
                  rows == counts.get("recorded") and counts.get("unfinished") == 0
                  and counts.get("started") == counts.get("recorded", 0)
                  + counts.get("failed", 0) + counts.get("cancelled", 0))
    print(f"{checks.failures} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
