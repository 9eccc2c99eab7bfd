#!/usr/bin/env python3
"""bench/loopback_floor sends the requests its rate and duration say over one
loopback connection, each request's latency counted from its scheduled time
(so it is never below the round trip alone), busy-polling when asked (on
two CPUs), and refuses bad flags with exit 2 naming the flag.

usage: loopback_floor_test.py PATH/TO/loopback_floor
"""
import json
import os
import subprocess
import sys


def main():
    floor = sys.argv[1]
    failures = 0

    def expect(ok, what):
        nonlocal failures
        print(f"{'PASS' if ok else 'FAIL'}: {what}")
        failures += not ok

    cpus = sorted(os.sched_getaffinity(0))
    # Busy-polling needs two CPUs: one for each thread.
    for spin in ("0", "1") if len(cpus) >= 2 else ("0",):
        out = subprocess.run([floor, "--rate", "2000", "--duration-s", "0.5", "--warmup-s", "0.1",
                              "--sender-cpu", str(cpus[0]), "--responder-cpu", str(cpus[-1]),
                              "--spin", spin], capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            expect(False, f"--spin {spin}: exit 0 (got {out.returncode}: {out.stderr.strip()})")
            continue
        summary = json.loads(out.stdout)
        latency, lag, trip = (summary[k] for k in ("latency_ms", "send_lag_ms", "round_trip_ms"))
        expect(999 <= latency["count"] <= 1001 and lag["count"] == trip["count"] == latency["count"],
               f"--spin {spin}: 2000/s for 0.5 s measured after the warm-up is 1000 requests "
               f"(counted {latency['count']}, {lag['count']}, {trip['count']})")
        expect(summary["spin"] == (spin == "1"), f"--spin {spin} is reported as {summary['spin']}")
        expect(0 < trip["p50"] <= latency["p50"] and trip["max"] <= latency["max"]
               and lag["max"] <= latency["max"],
               f"--spin {spin}: latency from the schedule is never below its parts (latency "
               f"{latency}, send lag {lag}, round trip {trip})")

    for flags, named in ((["--rate", "0"], "--rate"), (["--sender-cpu", "4096"], "--sender-cpu 4096"),
                         (["--duration-s", "soon"], "--duration-s 'soon'"),
                         (["--bogus", "1"], "--bogus"),
                         (["--spin", "1", "--sender-cpu", str(cpus[0]), "--responder-cpu",
                           str(cpus[0])], "--spin 1")):
        bad = subprocess.run([floor, *flags], capture_output=True, text=True, timeout=10)
        expect(bad.returncode == 2 and named in bad.stderr and bad.stdout == "",
               f"{' '.join(flags)} is refused with exit 2 naming it ({bad.stderr.strip()})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
