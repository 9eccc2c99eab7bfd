#!/usr/bin/env python3
"""20,000 connections past the descriptor limit: the real service, started
with RLIMIT_NOFILE 1024 (soft and hard), says it serves fewer connections
than its --max-connections, answers as many, and refuses every other one
cleanly (accepted and closed: the client sees the close at once, none waits
in the kernel's backlog unanswered) without spinning: its CPU time per
refused connection is small and it uses next to none while it sits at the
limit. When the held connections close it answers again.

usage: fault_descriptor_limit_test.py PATH/TO/slow_query_service
"""
import http.client
import os
import re
import resource
import selectors
import socket
import subprocess
import sys
import tempfile
import time

from bad_input_test import Checks

DESCRIPTOR_LIMIT = 1024
CONNECTIONS = 20000
HELD = 1200          # first wave: more than the service can hold; the answered stay open
WAVE = 4000          # later waves, refused while the first is held
SETTLE_SECONDS = 20  # each connection must be answered or closed within this
REQUEST = b"GET /healthz HTTP/1.1\r\nHost: fault\r\n\r\n"


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def connect_wave(port, count):
    """Opens `count` connections, sends each a GET /healthz, and waits until
    each is answered or closed: (answered sockets, refused, hung)."""
    selector = selectors.DefaultSelector()
    pending = {}
    for _ in range(count):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        pending[sock] = b""
        selector.register(sock, selectors.EVENT_WRITE)
    answered, refused = [], 0
    deadline = time.monotonic() + SETTLE_SECONDS
    while pending and time.monotonic() < deadline:
        for key, events in selector.select(timeout=0.5):
            sock = key.fileobj
            if events & selectors.EVENT_WRITE:
                try:
                    sock.send(REQUEST)
                    selector.modify(sock, selectors.EVENT_READ)
                except OSError:
                    selector.unregister(sock)
                    sock.close()
                    del pending[sock]
                    refused += 1
                continue
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if data:
                pending[sock] += data
                if pending[sock].startswith(b"HTTP/1.1 200") and pending[sock].endswith(b"ok\n"):
                    selector.unregister(sock)
                    del pending[sock]
                    answered.append(sock)
                continue
            selector.unregister(sock)
            sock.close()
            refused += 1 if not pending.pop(sock) else 0
    hung = len(pending)
    for sock in pending:
        sock.close()
    selector.close()
    return answered, refused, hung


def main():
    binary = sys.argv[1]
    checks = Checks()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(
            [binary, "--port", "0", "--db", f"sqlite:{folder}/audit.sqlite", "--scan-rows", "100",
             "--idle-timeout-ms", "300000"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE,
                                                  (DESCRIPTOR_LIMIT, DESCRIPTOR_LIMIT)))
        line = process.stdout.readline()
        match = re.search(r"listening on \S+:(\d+) mode=", line)
        if not match:
            raise SystemExit(f"service did not start: {line}{process.stderr.read()}")
        port = int(match.group(1))
        try:
            cpu_before, wall_before = cpu_seconds(process.pid), time.monotonic()
            held, refused, hung = connect_wave(port, HELD)
            made = HELD
            while made < CONNECTIONS:
                count = min(WAVE, CONNECTIONS - made)
                more, wave_refused, wave_hung = connect_wave(port, count)
                made += count
                refused += wave_refused
                hung += wave_hung
                held += more
            flood_cpu = cpu_seconds(process.pid) - cpu_before
            flood_wall = time.monotonic() - wall_before
            # At the limit, holding every answered connection: nothing to do.
            quiet_before = cpu_seconds(process.pid)
            time.sleep(3)
            quiet_cpu = cpu_seconds(process.pid) - quiet_before
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.request("GET", "/healthz")
                at_limit = connection.getresponse().status
            except (OSError, http.client.HTTPException) as error:
                at_limit = type(error).__name__
            connection.close()
            for sock in held:
                sock.close()
            time.sleep(1)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()  # http.client sends the next request only once this one is read
            after = response.status
            connection.request("GET", "/metrics")
            metrics = connection.getresponse().read().decode()
            connection.close()
        finally:
            process.kill()
            _, err = process.communicate()
    cap = re.search(r"serving at most (\d+) connections, not 20000: the descriptor limit "
                    r"\(RLIMIT_NOFILE\) is 1024", err)
    counted = re.search(r"^slowquery_connections_refused_total (\d+)$", metrics, re.M)
    per_refusal_ms = 1000 * flood_cpu / max(refused, 1)
    print(f"measured: {CONNECTIONS} connections at RLIMIT_NOFILE {DESCRIPTOR_LIMIT}: "
          f"{len(held)} answered and held, {refused} refused, {hung} hung; service CPU "
          f"{flood_cpu:.2f} s over {flood_wall:.1f} s of flood ({per_refusal_ms:.3f} ms per "
          f"refusal), {quiet_cpu:.2f} s in 3 s at the limit")
    checks.expect(f"the log says the connection cap was lowered to fit the limit "
                  f"({err.strip()[:300]!r})", cap is not None)
    checks.expect(f"as many connections answered as the cap ({len(held)}, cap "
                  f"{cap.group(1) if cap else '?'})",
                  cap is not None and len(held) == int(cap.group(1)))
    checks.expect(f"every other connection refused at once, none left waiting ({refused} "
                  f"refused, {hung} hung)", hung == 0 and len(held) + refused == CONNECTIONS)
    checks.expect(f"refusals counted in /metrics ({counted.group(1) if counted else None} "
                  f"counted, {refused} seen)", counted is not None and int(counted.group(1)) >= refused)
    checks.expect(f"no busy loop at the limit: {quiet_cpu:.2f} s of CPU in 3 s", quiet_cpu < 0.15)
    checks.expect(f"a refusal costs little CPU ({per_refusal_ms:.3f} ms)", per_refusal_ms < 1.0)
    checks.expect(f"a connection at the limit is refused, not left waiting ({at_limit})",
                  at_limit != 200 and at_limit != "TimeoutError" and at_limit != "timeout")
    checks.expect(f"answers again once the held connections close ({after})", after == 200)
    print(f"{checks.failures} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
