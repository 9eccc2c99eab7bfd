#!/usr/bin/env python3
"""Bad input against the real slow-query service: each gets the answer the
spec gives it (400, 431, 413, a closed connection, 503 while shutting down),
and after each the service still serves.

usage: bad_input_test.py PATH/TO/slow_query_service
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

from service_process import start_service

TIMEOUT_MS = 800  # request and idle timeouts the service runs with here


def start(binary, folder):
    return start_service(
        binary, "--mode", "fixed", "--db", f"sqlite:{folder}/audit.sqlite", "--scan-rows", "1000",
        "--header-limit", "1024", "--body-limit", "4096", "--request-timeout-ms", str(TIMEOUT_MS),
        "--idle-timeout-ms", str(TIMEOUT_MS), "--shutdown-grace-ms", "3000")


_unread = {}  # bytes received past the end of a response, per socket


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    _unread.pop(s.fileno(), None)
    return s


def read_response(s):
    """(status, headers dict, body) of one response, or None if the server
    closed the connection without one."""
    data = _unread.pop(s.fileno(), b"")
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    _unread[s.fileno()] = body[length:]
    return status, headers, body[:length].decode()


def closed_by_server(s, within_s):
    """True when the server closes s (EOF or reset) within within_s seconds,
    whatever it sent before closing."""
    s.settimeout(within_s)
    try:
        while s.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def request(port, raw):
    with connect(port) as s:
        s.sendall(raw)
        return read_response(s)


def healthz(port):
    return request(port, b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")


class Checks:
    def __init__(self):
        self.failures = 0

    def expect(self, name, ok, detail=""):
        print(f"{'PASS' if ok else 'FAIL'}: {name}" + (f" ({detail})" if detail and not ok else ""))
        self.failures += 0 if ok else 1


def main():
    binary = sys.argv[1]
    checks = Checks()
    with tempfile.TemporaryDirectory() as folder:
        process, port = start(binary, folder)
        try:
            run_checks(checks, process, port)
        finally:
            if process.poll() is None:
                process.kill()
    print(f"{checks.failures} failed")
    return 1 if checks.failures else 0


def still_serving(checks, process, after):
    answer = healthz(process_port[0])
    checks.expect(f"still serves /healthz after {after}",
                  process.poll() is None and answer is not None and answer[0] == 200, str(answer))


process_port = [0]


def run_checks(checks, process, port):
    process_port[0] = port
    answer = request(port, b"POST /work HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
    checks.expect("a work request is answered 200", answer and answer[0] == 200, str(answer))

    with connect(port) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
        first, second = read_response(s), read_response(s)
        checks.expect("keep-alive: two pipelined requests on one connection",
                      first and first[0] == 200 and second and second[0] == 404,
                      f"{first} {second}")

    with connect(port) as s:
        s.sendall(b"HELLO THERE\r\n\r\n")
        answer = read_response(s)
        checks.expect("a malformed request line is answered 400 and the connection closed",
                      answer and answer[0] == 400 and answer[1].get("connection") == "close"
                      and closed_by_server(s, 2), str(answer))
    still_serving(checks, process, "a malformed request")

    answer = request(port, b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Padding: " + b"p" * 4000 + b"\r\n\r\n")
    checks.expect("oversized headers are answered 431", answer and answer[0] == 431, str(answer))
    still_serving(checks, process, "oversized headers")

    with connect(port) as s:
        s.sendall(b"POST /work HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n" + b"b" * 8000)
        answer = read_response(s)
        checks.expect("an oversized body is answered 413 before it is all sent",
                      answer and answer[0] == 413 and "4096" in answer[2], str(answer))
    still_serving(checks, process, "an oversized body")

    with connect(port) as s:
        # Slow-loris: a header trickling in, a byte every 100 ms, never ending.
        s.sendall(b"GET /healthz HTTP/1.1\r\n")
        started, closed = time.monotonic(), False
        try:
            for _ in range(60):
                s.sendall(b"X")
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            closed = True
        closed = closed or closed_by_server(s, 1)
        waited = time.monotonic() - started
        checks.expect("a slow-loris request is cut off by the request timeout",
                      closed and waited < TIMEOUT_MS / 1000 + 2, f"closed={closed} after {waited:.1f}s")
    still_serving(checks, process, "a slow-loris connection")

    with connect(port) as s:
        started = time.monotonic()
        closed = closed_by_server(s, TIMEOUT_MS / 1000 + 2)
        waited = time.monotonic() - started
        checks.expect("an idle connection is closed by the idle timeout",
                      closed and waited >= TIMEOUT_MS / 1000 * 0.9, f"closed={closed} after {waited:.1f}s")
    still_serving(checks, process, "an idle connection")

    answer = request(port, b"GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
    checks.expect("an unknown path is answered 404 naming the endpoints",
                  answer and answer[0] == 404 and "/healthz" in answer[2], str(answer))

    # The server core's own time per request, since the previous read: the
    # first read starts afresh (its own reply is then the first one counted),
    # three work requests follow, the second read sees those four.
    service_time = b"GET /debug/service-time HTTP/1.1\r\nHost: t\r\n\r\n"
    request(port, service_time)
    for _ in range(3):
        request(port, b"POST /work HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
    answer = request(port, service_time)
    times = json.loads(answer[2]) if answer and answer[0] == 200 else {}
    checks.expect("/debug/service-time counts the requests answered since its last read",
                  times.get("count") == 4 and 0 < times["p50"] <= times["max"], str(answer))

    # Shutdown: a keep-alive connection's next request is answered 503 with
    # Retry-After and the connection closed; new connections are refused.
    kept = connect(port)
    kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    read_response(kept)
    process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 3
    refused = False
    while time.monotonic() < deadline and not refused:
        try:
            connect(port).close()
            time.sleep(0.05)
        except OSError:
            refused = True
    checks.expect("after SIGTERM new connections are refused", refused)
    kept.sendall(b"POST /work HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi")
    answer = read_response(kept)
    checks.expect("after SIGTERM a request on an open connection is answered 503 with "
                  "Retry-After and Connection: close",
                  answer and answer[0] == 503 and "retry-after" in answer[1]
                  and answer[1].get("connection") == "close", str(answer))
    kept.close()
    try:
        status = process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        status = None
    checks.expect("the service exits 0 once its connections are done", status == 0, str(status))


if __name__ == "__main__":
    sys.exit(main())
