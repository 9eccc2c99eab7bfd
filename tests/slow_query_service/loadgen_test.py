#!/usr/bin/env python3
"""slow_query_loadgen keeps its arrival rate whatever the server does (open
loop) and accounts for every request: against a server that never answers it
still sends rate x duration requests, each ending as a timeout; against a
closed port each ends as a connection error. In keep-alive mode
(--connections N) it opens the N connections first and keeps at most N
requests in flight, counting the rest unsent; --start-at-unix-s holds the
schedule until a wall-clock time.

usage: loadgen_test.py PATH/TO/slow_query_loadgen
"""
import json
import socket
import subprocess
import sys
import threading
import time


def black_hole_server(on_connection=None):
    """A listening socket whose connections are accepted, never answered;
    each is held, or handed to on_connection (in a thread of its own)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(512)
    held = []

    def accept_forever():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            held.append(connection)
            if on_connection:
                threading.Thread(target=on_connection, args=(connection,), daemon=True).start()

    threading.Thread(target=accept_forever, daemon=True).start()
    return listener


def first_byte_server():
    """A black hole that also notes the wall-clock time of the first byte
    any of its connections receives."""
    first_byte = []

    def read(connection):
        if connection.recv(1) and not first_byte:
            first_byte.append(time.time())

    return black_hole_server(read), first_byte


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(loadgen, port, *extra, duration_s=2):
    out = subprocess.run([loadgen, "--port", str(port), "--rate", "50", "--duration-s",
                          str(duration_s), "--timeout-ms", "500", *extra],
                         capture_output=True, text=True, timeout=30)
    return out.returncode, json.loads(out.stdout), out.stderr


def main():
    loadgen = sys.argv[1]
    failures = 0

    def expect(ok, what):
        nonlocal failures
        print(f"{'PASS' if ok else 'FAIL'}: {what}")
        failures += not ok

    listener = black_hole_server()
    status, summary, _ = run(loadgen, listener.getsockname()[1])
    expect(status == 0 and summary["sent"] == 100 and summary["timeouts"] == 100
           and summary["answered_total"] == 0,
           f"a server that never answers still gets 50/s for 2 s, every request timing out "
           f"(sent {summary['sent']}, timeouts {summary['timeouts']})")
    listener.close()

    listener = black_hole_server()
    status, summary, stderr = run(loadgen, listener.getsockname()[1], "--connections", "20",
                                  duration_s=1)
    expect(status == 0 and "20 connections open" in stderr and summary["scheduled"] == 50
           and summary["sent"] + summary["unsent_over_max_in_flight"] == 50
           and summary["unsent_over_max_in_flight"] > 0 and summary["timeouts"] == summary["sent"],
           f"keep-alive mode opens its 20 connections first and keeps at most 20 requests in "
           f"flight (sent {summary['sent']}, unsent {summary['unsent_over_max_in_flight']}, "
           f"stderr {stderr.strip()!r})")
    listener.close()

    listener, first_byte = first_byte_server()
    start_at = time.time() + 1.5
    status, summary, stderr = run(loadgen, listener.getsockname()[1], "--connections", "5",
                                  "--start-at-unix-s", f"{start_at:.3f}", duration_s=0.4)
    expect(status == 0 and "5 connections open" in stderr and summary["scheduled"] == 20
           and first_byte and first_byte[0] >= start_at - 0.01,
           f"--start-at-unix-s holds the schedule until that wall-clock time, connections "
           f"already open (first byte {first_byte[0] - start_at if first_byte else None} s after "
           f"it, scheduled {summary['scheduled']})")
    listener.close()

    status, summary, _ = run(loadgen, closed_port())
    expect(status == 0 and summary["sent"] == 100 and summary["errors_total"] == 100,
           f"a closed port gets every request as a connection error (errors {summary['errors']})")

    bad = subprocess.run([loadgen, "--port", "80", "--rate", "fast"], capture_output=True, text=True)
    expect(bad.returncode == 2 and "--rate 'fast'" in bad.stderr,
           f"a bad --rate is refused with exit 2 naming it ({bad.stderr.strip()})")
    late = subprocess.run([loadgen, "--port", "80", "--start-at-unix-s", "99999999999"],
                          capture_output=True, text=True)
    expect(late.returncode == 2 and "--start-at-unix-s 99999999999" in late.stderr,
           f"a start time over an hour away is refused with exit 2 naming it "
           f"({late.stderr.strip()})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
