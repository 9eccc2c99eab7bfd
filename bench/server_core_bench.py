#!/usr/bin/env python3
"""The server core under 10,000 keep-alive connections (scripts/bench.sh server).

Runs the slow-query service with a fast audit query (SQLite, small scan) and
the open-loop load generator in keep-alive mode, both on loopback, and prints:
RSS per idle connection, latency at a fixed rate, throughput at the maximum
rate, peak RSS, guard on/off throughput (guarded vs leaky mode, the same code
but for spawnguard::co_spawn, alternated), and the load generator's CPU use.
Last line: "server conns=... rps=... p50_ms=... p99_ms=... p999_ms=...
bytes_per_conn=... guard_rps_ratio=...".
"""
import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time

TICKS = os.sysconf("SC_CLK_TCK")


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        match = re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.M)
    return int(match.group(1))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class Service:
    def __init__(self, args, mode):
        command = [args.service, "--mode", mode, "--port", "0", "--db", f"sqlite:{args.db}",
                   "--scan-rows", str(args.scan_rows), "--idle-timeout-ms", "600000",
                   "--max-connections", "20000", "--audit-limit", "64"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on [\d.]+:(\d+)", line)
        if not match:
            sys.exit(f"server_core_bench: the service did not start: {line!r}")
        self.port = int(match.group(1))
        self.pid = self.process.pid

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def load(args, service, rate, duration_s, hold_idle_s=0.0, on_open=None):
    """One load generator run; returns its summary plus its CPU use while sending."""
    command = [args.loadgen, "--port", str(service.port), "--connections", str(args.connections),
               "--hold-idle-s", str(hold_idle_s), "--rate", str(rate),
               "--duration-s", str(duration_s), "--timeout-ms", "5000", "--body-bytes", "64"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples = []  # (wall time, loadgen cpu seconds)

    def sample():
        while process.poll() is None:
            try:
                samples.append((time.monotonic(), cpu_seconds(process.pid)))
            except (FileNotFoundError, ProcessLookupError):
                break
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    opened = process.stderr.readline()
    opened_at = time.monotonic()
    if "connections open" not in opened:
        sys.exit(f"server_core_bench: load generator failed: {opened!r}")
    if on_open:
        on_open()
    stdout, _ = process.communicate(timeout=duration_s + hold_idle_s + 60)
    sampler.join()
    summary = json.loads(stdout.strip().splitlines()[-1])
    sending = [s for s in samples if s[0] >= opened_at + hold_idle_s]
    if len(sending) >= 2:
        (t0, c0), (t1, c1) = sending[0], sending[-1]
        summary["loadgen_cpu"] = (c1 - c0) / max(t1 - t0, 1e-9)
    else:
        summary["loadgen_cpu"] = float("nan")
    summary["rps"] = summary["answered_total"] / summary["elapsed_s"]
    return summary


def describe(label, s):
    latency = s["latency_ms"]
    print(f"{label}: rate={s['rate']} answered={s['answered_total']} rps={s['rps']:.0f} "
          f"timeouts={s['timeouts']} errors={s['errors_total']} "
          f"unsent={s['unsent_over_max_in_flight']} p50_ms={latency['p50']:.2f} "
          f"p99_ms={latency['p99']:.2f} p999_ms={latency['p999']:.2f} max_ms={latency['max']:.2f} "
          f"loadgen_cpu={100 * s['loadgen_cpu']:.0f}%", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default="build/bin")
    parser.add_argument("--work", default="build/bench-server")
    parser.add_argument("--connections", type=int, default=10000)
    parser.add_argument("--fixed-rate", type=int, default=5000)
    parser.add_argument("--max-rate", type=int, default=100000, help="offered above capacity")
    parser.add_argument("--duration-s", type=float, default=8)
    parser.add_argument("--guard-rounds", type=int, default=2)
    parser.add_argument("--scan-rows", type=int, default=1000, help="a fast audit query")
    args = parser.parse_args()
    args.service = os.path.join(args.bin, "slow_query_service")
    args.loadgen = os.path.join(args.bin, "slow_query_loadgen")
    os.makedirs(args.work, exist_ok=True)
    args.db = os.path.join(args.work, "audit.sqlite")
    if os.path.exists(args.db):
        os.remove(args.db)
    subprocess.run([args.service, "--prepare-db", "--db", f"sqlite:{args.db}", "--scan-rows",
                    str(args.scan_rows)], check=True)

    # Fixed mode: idle memory, then a fixed rate, then the maximum rate.
    service = Service(args, "fixed")
    time.sleep(1.0)
    rss_none = status_kb(service.pid, "VmRSS")
    idle = {}

    def measure_idle():
        deadline = time.monotonic() + 10
        while open_fds(service.pid) < args.connections and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        idle["rss"] = status_kb(service.pid, "VmRSS")
        idle["fds"] = open_fds(service.pid)

    fixed = load(args, service, args.fixed_rate, args.duration_s, hold_idle_s=3.0,
                 on_open=measure_idle)
    bytes_per_conn = (idle["rss"] - rss_none) * 1024 / args.connections
    print(f"idle: service RSS {rss_none} kB with no connection, {idle['rss']} kB with "
          f"{idle['fds']} descriptors open ({args.connections} connections): "
          f"bytes_per_conn={bytes_per_conn:.0f}", flush=True)
    describe("fixed mode, fixed rate", fixed)
    maximum = load(args, service, args.max_rate, args.duration_s)
    describe("fixed mode, maximum rate", maximum)
    peak_kb = status_kb(service.pid, "VmHWM")
    print(f"fixed mode: peak RSS {peak_kb / 1024:.1f} MiB", flush=True)
    service.stop()

    # Guard off (leaky: raw co_spawn) and on (guarded: spawnguard::co_spawn),
    # alternated so machine noise falls on both.
    rps = {"leaky": [], "guarded": []}
    for _ in range(args.guard_rounds):
        for mode in ("leaky", "guarded"):
            service = Service(args, mode)
            result = load(args, service, args.max_rate, args.duration_s / 2)
            result["peak_kb"] = status_kb(service.pid, "VmHWM")
            service.stop()
            describe(f"{mode} mode, maximum rate (peak RSS {result['peak_kb'] / 1024:.1f} MiB)",
                     result)
            rps[mode].append(result["rps"])
    ratio = (sum(rps["guarded"]) / len(rps["guarded"])) / (sum(rps["leaky"]) / len(rps["leaky"]))
    latency = fixed["latency_ms"]
    print(f"server conns={args.connections} rps={maximum['rps']:.0f} p50_ms={latency['p50']:.2f} "
          f"p99_ms={latency['p99']:.2f} p999_ms={latency['p999']:.2f} "
          f"bytes_per_conn={bytes_per_conn:.0f} guard_rps_ratio={ratio:.3f}")


if __name__ == "__main__":
    main()
