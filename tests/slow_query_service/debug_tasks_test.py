#!/usr/bin/env python3
"""/debug/tasks on the real service with thousands of live audit tasks: by
default a summary of a few lines whatever their number (leaky: one line;
guarded: a line per site with its ages), saying where the full list is;
/debug/tasks?full=1 the full list, a line per live task; HEAD of it the
headers only; /healthz answered while full lists are being written.

usage: debug_tasks_test.py PATH/TO/slow_query_service
"""
import http.client
import re
import subprocess
import sys
import tempfile
import threading
import time

from bad_input_test import Checks
from service_process import start_service

REQUESTS = 2000
# Audits far slower than the requests: nearly all of them stay live.
SLOW_DATABASE = ["--scan-rows", "200000", "--db-threads", "1"]
SUMMARY_LIMIT_BYTES = 4096


def fetch(connection, method, path):
    connection.request(method, path)
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read().decode()


def pile_up(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(REQUESTS):
        connection.request("POST", "/work", body=f"audit {i}")
        connection.getresponse().read()
    return connection


def healthz_while_lists_are_written(port):
    """/healthz statuses while three clients fetch the full list ten times
    each, and the slowest /healthz in seconds (printed, not judged)."""
    def fetch_lists():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(10):
            fetch(connection, "GET", "/debug/tasks?full=1")

    clients = [threading.Thread(target=fetch_lists) for _ in range(3)]
    for client in clients:
        client.start()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    statuses, slowest = [], 0.0
    while any(client.is_alive() for client in clients):
        began = time.monotonic()
        statuses.append(fetch(connection, "GET", "/healthz")[0])
        slowest = max(slowest, time.monotonic() - began)
    for client in clients:
        client.join()
    return statuses, slowest


def check_mode(binary, folder, mode, checks):
    database = f"{folder}/{mode}.sqlite"
    subprocess.run([binary, "--prepare-db", "--db", f"sqlite:{database}", *SLOW_DATABASE],
                   check=True, capture_output=True)
    process, port = start_service(binary, "--mode", mode, "--db", f"sqlite:{database}",
                                  *SLOW_DATABASE)
    try:
        connection = pile_up(port)
        status, _, summary = fetch(connection, "GET", "/debug/tasks")
        live = [int(n) for n in re.findall(r"(\d+) live (?:audit )?task", summary)]
        checks.expect(f"{mode}: the summary is {len(summary)} bytes with {live} live tasks "
                      f"(at most {SUMMARY_LIMIT_BYTES})",
                      status == 200 and len(summary) <= SUMMARY_LIMIT_BYTES
                      and live and max(live) >= REQUESTS // 2)
        checks.expect(f"{mode}: the summary says where the full list is",
                      "/debug/tasks?full=1" in summary)
        status, _, full = fetch(connection, "GET", "/debug/tasks?full=1")
        tasks = len(re.findall(r"^\s+task age=", full, re.M))
        checks.expect(f"{mode}: ?full=1 lists a line per live task ({tasks} lines, "
                      f"{len(full)} bytes)", status == 200 and tasks >= REQUESTS // 2)
        status, headers, body = fetch(connection, "HEAD", "/debug/tasks?full=1")
        checks.expect(f"{mode}: HEAD ?full=1 answers the headers only",
                      status == 200 and body == "" and int(headers.get("Content-Length", 0)) > 0)
        statuses, slowest = healthz_while_lists_are_written(port)
        checks.expect(f"{mode}: /healthz answered 200 while full lists were written "
                      f"({len(statuses)} answers, slowest {slowest * 1000:.1f} ms)",
                      statuses and set(statuses) == {200})
    finally:
        process.kill()
        process.wait()


def main():
    binary = sys.argv[1]
    checks = Checks()
    with tempfile.TemporaryDirectory() as folder:
        for mode in ("leaky", "guarded"):
            check_mode(binary, folder, mode, checks)
    print(f"{checks.failures} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
