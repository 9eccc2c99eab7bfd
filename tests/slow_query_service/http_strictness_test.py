#!/usr/bin/env python3
"""Strict HTTP/1.1 parsing on the real slow-query service (RFC 9110/9112):
a Transfer-Encoding other than one final chunked, obsolete line folding and
methods no route takes are refused (400, 501, 405) without starting an
audit; and in guarded mode with a site limit the service's own
slowquery_audit_rejected_total counts exactly what the guard rejected.

usage: http_strictness_test.py PATH/TO/slow_query_service
"""
import os
import re
import sys

from bad_input_test import Checks, closed_by_server, connect, read_response
from service_process import run_with_service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUARDED_SOURCE = "fixtures/slow_query_service/service/guarded_mode.cpp"


def exchange(port, raw):
    """(answer, closed by the server after it) for one raw request."""
    with connect(port) as s:
        s.sendall(raw)
        answer = read_response(s)
        return answer, answer is not None and closed_by_server(s, 2)


def metrics(port):
    answer, _ = exchange(port, b"GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    return answer[2]


def metric(text, name):
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(match.group(1)) if match else None


def audits_started(port):
    return metric(metrics(port), "slowquery_audit_tasks_started_total")


WORK = b"POST /work HTTP/1.1\r\nHost: t\r\n"


def check_refusals(checks, port):
    ok, _ = exchange(port, WORK + b"Transfer-Encoding: Chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n")
    checks.expect("Transfer-Encoding: chunked (any case) is answered 200", ok and ok[0] == 200,
                  str(ok))
    started = audits_started(port)
    chunked_body = b"\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
    codings = [("gzip", 400, "final"), ("chunked, gzip", 400, "final"),
               ("chunked, chunked", 400, "once"), ("gzip, chunked", 501, "gzip")]
    refused = [(f"Transfer-Encoding: {coding}",
                WORK + b"Transfer-Encoding: " + coding.encode() + chunked_body, status, word)
               for coding, status, word in codings]
    refused += [
        ("Transfer-Encoding in HTTP/1.0",
         b"POST /work HTTP/1.0\r\nHost: t\r\nTransfer-Encoding: chunked" + chunked_body, 400,
         "HTTP/1.0"),
        ("Transfer-Encoding with Content-Length",
         WORK + b"Transfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nhi", 400, "Content-Length"),
        ("an obsolete folded header line",
         WORK + b"X-Note: one\r\n  two\r\nContent-Length: 2\r\n\r\nhi", 400, "folding"),
        ("a line folded with a tab",
         WORK + b"X-Note: one\r\n\ttwo\r\nContent-Length: 2\r\n\r\nhi", 400, "folding"),
        ("the unknown method BREW", b"BREW /work HTTP/1.1\r\nHost: t\r\n\r\n", 501, "BREW"),
        ("the method DELETE, which no route takes",
         b"DELETE /healthz HTTP/1.1\r\nHost: t\r\n\r\n", 501, "DELETE"),
    ]
    for name, raw, status, word in refused:
        answer, closed = exchange(port, raw)
        checks.expect(f"{name} is answered {status} saying why, and the connection closed",
                      answer is not None and answer[0] == status and word in answer[2] and closed,
                      f"{answer} closed={closed}")

    for raw, allow in [(b"GET /work HTTP/1.1\r\nHost: t\r\n\r\n", "POST"),
                       (b"PUT /work HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n", None),
                       (b"POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n",
                        "GET, HEAD")]:
        answer, _ = exchange(port, raw)
        line = raw.split(b"\r\n")[0].decode()
        if allow is None:
            checks.expect(f"{line} is answered 501", answer and answer[0] == 501, str(answer))
        else:
            checks.expect(f"{line} is answered 405 with Allow: {allow}",
                          answer and answer[0] == 405 and answer[1].get("allow") == allow,
                          str(answer))
    checks.expect("none of the refused requests started an audit",
                  audits_started(port) == started, f"{started} -> {audits_started(port)}")

    with connect(port) as s:
        s.sendall(b"HEAD /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    checks.expect("HEAD /healthz is answered 200 with a Content-Length and no body",
                  head.startswith(b"HTTP/1.1 200") and b"Content-Length: 3" in head and body == b"",
                  repr(data))


def guarded_spawn_line():
    with open(os.path.join(ROOT, GUARDED_SOURCE)) as source:
        for number, line in enumerate(source, 1):
            if "spawnguard::co_spawn(" in line:
                return number
    raise SystemExit(f"no spawnguard::co_spawn( call in {GUARDED_SOURCE}")


def check_one_source_of_truth(checks, port, site):
    with connect(port) as s:
        s.sendall((WORK + b"Content-Length: 2\r\n\r\nhi") * 30)
        statuses = [read_response(s)[0] for _ in range(30)]
    text = metrics(port)
    ours = metric(text, "slowquery_audit_rejected_total")
    guards = metric(text, f'spawnguard_tasks_rejected_total{{site="{site}"}}')
    checks.expect("30 pipelined work requests are answered",
                  len(statuses) == 30 and None not in statuses, str(statuses))
    checks.expect("the guard rejected some audits at its site limit of 1",
                  guards is not None and guards > 0, f"guard counted {guards}")
    checks.expect("slowquery_audit_rejected_total equals the guard's rejected count",
                  ours is not None and ours == guards, f"service {ours}, guard {guards}")


def main():
    checks = Checks()
    binary = sys.argv[1]
    status = run_with_service(binary, ["--mode", "fixed"], checks,
                              lambda process, port: check_refusals(checks, port))
    site = f"{GUARDED_SOURCE}:{guarded_spawn_line()}"
    os.environ["SPAWNGUARD_LIMITS"] = f"{site}=1,reject"
    return status | run_with_service(
        binary, ["--mode", "guarded", "--scan-rows", "20000", "--db-threads", "1"], checks,
        lambda process, port: check_one_source_of_truth(checks, port, site))


if __name__ == "__main__":
    sys.exit(main())
