"""Starting the real slow-query service for a test: on a free port, its
"listening on" line read back for the port."""
import re
import subprocess


def start_service(binary, *flags):
    """(process, port) of `binary --port 0 flags...`; exits the test with the
    service's own words if it does not start."""
    process = subprocess.Popen([binary, "--port", "0", *flags], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
    if not match:
        raise SystemExit(f"service did not start: {line}{process.stderr.read()}")
    return process, int(match.group(1))
