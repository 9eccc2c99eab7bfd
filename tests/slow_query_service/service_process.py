"""Starting the real slow-query service for a test: on a free port, its
"listening on" line read back for the port."""
import http.client
import re
import subprocess
import tempfile


def start_service(binary, *flags):
    """(process, port) of `binary --port 0 flags...`; exits the test with the
    service's own words if it does not start."""
    process = subprocess.Popen([binary, "--port", "0", *flags], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"listening on \S+:(\d+) mode=", line)
    if not match:
        raise SystemExit(f"service did not start: {line}{process.stderr.read()}")
    return process, int(match.group(1))


def run_with_service(binary, flags, checks, run_checks):
    """Starts `binary` with a fresh SQLite database in a temporary folder and
    `flags`, calls run_checks(process, port), stops the service; the exit
    status for `checks` (a bad_input_test.Checks)."""
    with tempfile.TemporaryDirectory() as folder:
        process, port = start_service(binary, "--db", f"sqlite:{folder}/audit.sqlite",
                                      "--scan-rows", "1000", *flags)
        try:
            run_checks(process, port)
        finally:
            process.kill()
    print(f"{checks.failures} failed")
    return 1 if checks.failures else 0


def metric(port, name):
    """The value of `name` (with its labels, e.g. 'x_total{outcome="failed"}')
    in the service's /metrics, or None when it is not there."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    connection.close()
    match = re.search(rf"^{re.escape(name)} (\d+)$", text, re.M)
    return int(match.group(1)) if match else None
