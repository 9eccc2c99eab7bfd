#!/usr/bin/env python3
"""Request size limits against the real slow-query service: every part of a
chunked request (the chunk-size line with its extensions, all extensions
together, the trailers) is held to a limit while it is read, answered
400/431/413 with the connection closed, and the service's memory does not
grow with what the client sends.

usage: request_limits_test.py PATH/TO/slow_query_service
"""
import sys

from bad_input_test import Checks, closed_by_server, connect, read_response
from service_process import run_with_service

HEADER_LIMIT = 1024
BODY_LIMIT = 4096
FLOOD_BYTES = 16 << 20  # what a hostile client sends: far past every limit


def peak_resident_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def flood(port, head, unit):
    """Sends `head`, then `unit` repeated up to FLOOD_BYTES, for as long as the
    server reads; returns (the answer or None, whether the server closed)."""
    with connect(port) as s:
        s.sendall(head)
        piece = unit * max(1, 65536 // len(unit))
        sent = 0
        try:
            while sent < FLOOD_BYTES:
                s.sendall(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            answer = read_response(s)
        except (ConnectionResetError, OSError):
            answer = None
        return answer, answer is not None and closed_by_server(s, 2)


CHUNKED = b"POST /work HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"


def run_checks(checks, process, port):
    answer = None
    with connect(port) as s:
        s.sendall(CHUNKED + b"5;name=value\r\nhello\r\n0\r\nX-Trailer: ok\r\n\r\n")
        answer = read_response(s)
    checks.expect("a chunked request with an extension and a trailer is answered 200",
                  answer and answer[0] == 200, str(answer))

    before = peak_resident_kib(process.pid)
    cases = [
        ("a chunk extension that never ends", CHUNKED + b"1", b";a=b", 400, "chunk"),
        ("a chunk-size line of endless zeros", CHUNKED, b"0", 400, "chunk"),
        ("trailers that never end", CHUNKED + b"0\r\n", b"X-Trailer: v\r\n", 431, "trailer"),
    ]
    for name, head, unit, status, word in cases:
        answer, closed = flood(port, head, unit)
        checks.expect(f"{name} is answered {status} naming the limit, and the connection closed",
                      answer is not None and answer[0] == status and word in answer[2]
                      and str(HEADER_LIMIT) in answer[2] and closed, f"{answer} closed={closed}")
    grown = peak_resident_kib(process.pid) - before
    checks.expect("the floods did not raise the service's peak memory by more than 4 MiB",
                  grown < 4096, f"grew {grown} KiB after {3 * FLOOD_BYTES >> 20} MiB sent")

    # Extensions summed over chunks: each line is short, together they are not.
    many = b"".join(b"1;" + b"e" * 200 + b"\r\nx\r\n" for _ in range(10))
    with connect(port) as s:
        s.sendall(CHUNKED + many + b"0\r\n\r\n")
        answer = read_response(s)
        checks.expect("chunk extensions over the header limit in all are answered 400",
                      answer and answer[0] == 400 and "extension" in answer[2]
                      and closed_by_server(s, 2), str(answer))

    with connect(port) as s:
        s.sendall(CHUNKED + b"1000\r\n" + b"b" * 4096 + b"\r\n1\r\nb\r\n0\r\n\r\n")
        answer = read_response(s)
        checks.expect("a chunked body over the body limit is answered 413",
                      answer and answer[0] == 413 and str(BODY_LIMIT) in answer[2]
                      and closed_by_server(s, 2), str(answer))

    with connect(port) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        answer = read_response(s)
    checks.expect("the service still serves after the floods",
                  process.poll() is None and answer and answer[0] == 200, str(answer))


def main():
    checks = Checks()
    flags = ["--mode", "fixed", "--header-limit", str(HEADER_LIMIT), "--body-limit",
             str(BODY_LIMIT), "--request-timeout-ms", "3000"]
    return run_with_service(sys.argv[1], flags, checks,
                            lambda process, port: run_checks(checks, process, port))


if __name__ == "__main__":
    sys.exit(main())
