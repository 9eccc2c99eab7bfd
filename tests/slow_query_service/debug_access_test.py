#!/usr/bin/env python3
"""Who may call /metrics and /debug/* on the real slow-query service
listening on "::": loopback peers over IPv6 (::1) and over IPv4 (arriving as
::ffff:127.0.0.1) are served; a peer on another address is refused with
"debug endpoints answer loopback peers only", and its 404s do not offer the
debug endpoints; /healthz answers everyone.

usage: debug_access_test.py PATH/TO/slow_query_service
"""
import socket
import sys

from bad_input_test import Checks, read_response
from service_process import run_with_service


def outward_address():
    """This host's own non-loopback IPv4 address (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))
        address = probe.getsockname()[0]
    if address.startswith("127."):
        raise SystemExit("FAIL: this host has no non-loopback IPv4 address to test from")
    return address


def get(address, port, path):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect((address, port))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
        return read_response(s)


def run_checks(checks, port):
    for address in ("127.0.0.1", "::1"):
        for path in ("/metrics", "/debug/tasks"):
            answer = get(address, port, path)
            checks.expect(f"{path} answers the loopback peer {address} 200",
                          answer and answer[0] == 200, str(answer))
        answer = get(address, port, "/nowhere")
        checks.expect(f"a 404 to the loopback peer {address} offers the debug endpoints",
                      answer and answer[0] == 404 and "/metrics" in answer[2], str(answer))

    outside = outward_address()
    for path in ("/metrics", "/debug/tasks"):
        answer = get(outside, port, path)
        checks.expect(f"{path} refuses the peer {outside} saying loopback peers only",
                      answer and answer[0] == 403
                      and "debug endpoints answer loopback peers only" in answer[2]
                      and "--debug-from-anywhere" in answer[2], str(answer))
    answer = get(outside, port, "/nowhere")
    checks.expect(f"a 404 to the peer {outside} does not offer the debug endpoints",
                  answer and answer[0] == 404 and "/healthz" in answer[2]
                  and "/metrics" not in answer[2] and "/debug" not in answer[2], str(answer))
    answer = get(outside, port, "/healthz")
    checks.expect(f"/healthz answers the peer {outside}", answer and answer[0] == 200, str(answer))


def main():
    checks = Checks()
    return run_with_service(sys.argv[1], ["--listen", "::", "--mode", "fixed"], checks,
                            lambda process, port: run_checks(checks, port))


if __name__ == "__main__":
    sys.exit(main())
