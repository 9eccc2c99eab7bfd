#!/usr/bin/env python3
"""The server core under 10,000 keep-alive connections (scripts/bench.sh server).

Runs the slow-query service with a fast audit query (SQLite, small scan) and
the open-loop load generator in keep-alive mode, both on loopback, and prints:
RSS per idle connection; latency at a fixed rate after a warm-up (end to end
from the scheduled send time, split into the load generator's own lateness and
the round trip, with the service loop's CPU use and run-queue wait in the same
window), first with the loadgen sharing the service's CPU, then with the
loadgen on a CPU of its own, each between two runs of bench/loopback_floor on
the same CPUs (the machine's own latency: one blocking loopback connection,
no Asio, no HTTP); throughput at the maximum rate; peak RSS; guard on/off
throughput (guarded vs leaky mode, the same code but for spawnguard::co_spawn)
as the median ratio over rounds where both run side by side on one CPU, with
A/A controls; the load generator's CPU use; the load average before and
after, so a reader can judge how busy the machine was.
Last line: "server conns=... rps=... p50_ms=... p99_ms=... p999_ms=...
bytes_per_conn=... guard_rps_ratio=..." (latency: the shared-CPU fixed rate).
"""
import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time

TICKS = os.sysconf("SC_CLK_TCK")
# Run-queue wait of the service's loop thread above which the machine was too
# busy for the fixed-rate latencies to describe the server (at SCHED_FIFO on
# a busy machine it was 0.8-3.6 ms/s; at default scheduling there, 130-640).
BUSY_WAIT_MS_PER_S = 10
# Side by side, the two event loops share a CPU: each runs about half of it
# when its loadgen keeps it busy. Under this, a loadgen (the two share the
# other CPU) limited it, and the round says nothing about the service.
SERVICE_BOUND_LOOP_CPU = 0.47


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        match = re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.M)
    return int(match.group(1))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def loop_cpu_s(pid):
    """Seconds the process's main thread (the service's event loop) has run
    (/proc/<pid>/schedstat, first field, in nanoseconds)."""
    with open(f"/proc/{pid}/task/{pid}/schedstat") as f:
        return int(f.read().split()[0]) / 1e9


def run_queue_wait_s(pid):
    """Seconds the process's main thread (the service's event loop) has spent
    runnable but waiting for a CPU (/proc/<pid>/schedstat, second field)."""
    with open(f"/proc/{pid}/task/{pid}/schedstat") as f:
        return int(f.read().split()[1]) / 1e9


def involuntary_switches(pid):
    with open(f"/proc/{pid}/task/{pid}/status") as f:
        return int(re.search(r"^nonvoluntary_ctxt_switches:\s+(\d+)", f.read(), re.M).group(1))


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def take_service_time(port):
    """The server core's own time per request since the previous read
    (/debug/service-time: from the loop picking up a request's first byte to
    its response written)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/debug/service-time")
    return json.loads(connection.getresponse().read())


def load_average():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


class Service:
    def __init__(self, args, mode):
        command = [args.service, "--mode", mode, "--port", "0", "--db", f"sqlite:{args.db}",
                   "--scan-rows", str(args.scan_rows), "--idle-timeout-ms", "600000",
                   "--max-connections", "20000", "--audit-limit", "64"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True, preexec_fn=pin_to(args.service_cpus))
        line = self.process.stdout.readline()
        match = re.search(r"listening on [\d.]+:(\d+)", line)
        if not match:
            sys.exit(f"server_core_bench: the service did not start: {line!r}")
        self.port = int(match.group(1))
        self.pid = self.process.pid

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def set_realtime(pid, on):
    """SCHED_FIFO priority 1 for one thread (the service's event loop, the
    single-threaded loadgen), or back to SCHED_OTHER."""
    policy, priority = (os.SCHED_FIFO, 1) if on else (os.SCHED_OTHER, 0)
    try:
        os.sched_setscheduler(pid, policy, os.sched_param(priority))
    except PermissionError:
        sys.exit("server_core_bench: --realtime needs root or CAP_SYS_NICE (run without it)")


def pin_to(cpus):
    """A preexec_fn that confines a child (and every thread it starts) to cpus;
    None leaves it free. Pinned from birth: pinning a running process moves
    only its main thread."""
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def as_loadgen(cpus):
    """A preexec_fn for the loadgen: pinned like pin_to, and SCHED_BATCH, so
    that when it wakes (a send due, a response in) on the service's CPU it
    waits for the service's loop to block instead of preempting it in the
    middle of a request. Its waiting is not hidden: latency runs from each
    request's scheduled time to the moment the loadgen has read the answer."""
    pin = pin_to(cpus)

    def preexec():
        if pin:
            pin()
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    return preexec


def load(args, service, rate, duration_s, hold_idle_s=0.0, warmup_s=0.0, on_open=None,
         realtime=False, loadgen_cpus=None, start_at=None):
    """One load generator run; returns its summary plus, over the measured
    window (after hold and warm-up, or from start_at, a wall-clock time),
    the loadgen's CPU use and the service loop's run-queue wait and
    involuntary context switches."""
    command = [args.loadgen, "--port", str(service.port), "--connections", str(args.connections),
               "--hold-idle-s", str(hold_idle_s), "--warmup-s", str(warmup_s), "--rate", str(rate),
               "--duration-s", str(duration_s), "--timeout-ms", "5000", "--body-bytes", "64"]
    if start_at is not None:
        command += ["--start-at-unix-s", f"{start_at:.3f}"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=as_loadgen(loadgen_cpus or args.loadgen_cpus))
    if realtime:
        set_realtime(process.pid, True)
    # (wall time, loadgen cpu s, service cpu s, service run-queue wait s, switches, loop cpu s)
    samples = []

    def sample():
        # Only when no one else wants a CPU: the sampler must not delay the
        # processes it measures (Linux: the policy of this thread alone).
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        while process.poll() is None:
            try:
                samples.append((time.monotonic(), cpu_seconds(process.pid),
                                cpu_seconds(service.pid), run_queue_wait_s(service.pid),
                                involuntary_switches(service.pid), loop_cpu_s(service.pid)))
            except (FileNotFoundError, ProcessLookupError):
                break
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    opened = process.stderr.readline()
    opened_at = time.monotonic()
    if "connections open" not in opened:
        sys.exit(f"server_core_bench: load generator failed: {opened!r}")
    # The server's own times: reset when the measured window starts.
    window_start = threading.Timer(hold_idle_s + warmup_s, take_service_time, [service.port])
    window_start.start()
    if on_open:
        on_open()
    schedule_starts = opened_at + hold_idle_s
    if start_at is not None:  # the wall-clock start on this clock
        schedule_starts = time.monotonic() + (start_at - time.time())
    window_begins = schedule_starts + warmup_s
    stdout, _ = process.communicate(timeout=duration_s + hold_idle_s + 60)
    sampler.join()
    window_start.join()
    summary = json.loads(stdout.strip().splitlines()[-1])
    summary["service_time_ms"] = take_service_time(service.port)
    summary["opened_after_start_s"] = max(0.0, opened_at - schedule_starts)
    window = [s for s in samples if s[0] >= window_begins]
    summary["loadgen_cpu"] = summary["service_cpu"] = float("nan")
    summary["service_wait_ms_per_s"] = summary["service_switches_per_s"] = float("nan")
    summary["loop_cpu"] = float("nan")
    if len(window) >= 2:
        first, last = window[0], window[-1]
        seconds = max(last[0] - first[0], 1e-9)
        summary["loadgen_cpu"] = (last[1] - first[1]) / seconds
        summary["service_cpu"] = (last[2] - first[2]) / seconds
        summary["service_wait_ms_per_s"] = 1000 * (last[3] - first[3]) / seconds
        summary["service_switches_per_s"] = (last[4] - first[4]) / seconds
        summary["loop_cpu"] = (last[5] - first[5]) / seconds
    summary["rps"] = summary["answered_total"] / summary["elapsed_s"]
    return summary


def loopback_floor(args, sender_cpus):
    """The machine's own request latency at the fixed rate: bench/loopback_floor
    (one blocking loopback connection, no Asio, no HTTP), its two threads on
    the CPUs the loadgen and the service get. Its tail is the platform's:
    scheduler wake-ups, a hypervisor descheduling a virtual CPU."""
    command = [args.floor, "--rate", str(args.fixed_rate), "--duration-s",
               str(args.floor_duration_s), "--warmup-s", "1"]
    if sender_cpus:
        command += ["--sender-cpu", str(min(sender_cpus)),
                    "--responder-cpu", str(max(args.service_cpus))]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def tail_ratio(histogram):
    return histogram["p999"] / histogram["p50"] if histogram["p50"] > 0 else float("nan")


def percentiles(histogram):
    return (f"p50={histogram['p50']:.2f} p99={histogram['p99']:.2f} "
            f"p999={histogram['p999']:.2f} max={histogram['max']:.2f}")


def describe(label, s):
    print(f"{label}: rate={s['rate']} answered={s['answered_total']} rps={s['rps']:.0f} "
          f"timeouts={s['timeouts']} errors={s['errors_total']} "
          f"unsent={s['unsent_over_max_in_flight']} loadgen_cpu={100 * s['loadgen_cpu']:.0f}% "
          f"service_cpu={100 * s['service_cpu']:.0f}%", flush=True)
    print(f"  latency_ms (from the scheduled send, {s['latency_ms']['count']} requests after "
          f"{s['warmup_s']:.1f} s warm-up): {percentiles(s['latency_ms'])}", flush=True)
    print(f"    send_lag_ms (scheduled -> handed to the socket): {percentiles(s['send_lag_ms'])}",
          flush=True)
    print(f"    round_trip_ms (handed to the socket -> response): "
          f"{percentiles(s['round_trip_ms'])}", flush=True)
    print(f"  service_time_ms (server core's own: first byte picked up -> response written, "
          f"{s['service_time_ms']['count']} requests): {percentiles(s['service_time_ms'])}",
          flush=True)
    print(f"  service loop thread: ran {100 * s['loop_cpu']:.0f}% of a CPU, waited "
          f"{s['service_wait_ms_per_s']:.1f} ms/s runnable without a CPU, "
          f"{s['service_switches_per_s']:.0f} involuntary switches/s", flush=True)


def side_by_side(args, modes):
    """Two services (guard off: leaky, raw co_spawn; on: guarded,
    spawnguard::co_spawn) on the same CPU at the same time, each driven
    above its capacity by its own loadgen on the other CPU, their schedules
    started in step. The scheduler gives the two event loops equal CPU time,
    so each one's req/s is its capacity per CPU share, and whatever the host
    does to the machine meanwhile falls on both alike."""
    services = [Service(args, mode) for mode in modes]
    # Time for both loadgens to open their connections first.
    start_at = time.time() + 2.0 + 2.0 * args.connections / 10000
    results = [None, None]

    def drive(i):
        results[i] = load(args, services[i], args.max_rate, args.guard_duration_s,
                          start_at=start_at)

    drivers = [threading.Thread(target=drive, args=(i,)) for i in range(2)]
    for driver in drivers:
        driver.start()
    for driver in drivers:
        driver.join()
    for service in services:
        service.stop()
    for mode, result in zip(modes, results):
        if result["opened_after_start_s"] > 0:
            print(f"  note: the {mode} loadgen opened its connections "
                  f"{result['opened_after_start_s']:.1f} s after the common start", flush=True)
    return results


def guard_side_by_side(args):
    """Rounds of guarded against leaky side by side (the order of start
    alternating), then A/A controls (each mode against itself: what the
    method reads when there is no difference). Returns the per-round
    on/off req/s ratios and the controls' ratios, each with whether the round
    was service-bound (both loops kept busy: their loadgens, sharing one
    CPU, were not what limited them)."""
    def describe_round(label, modes, results):
        parts = [f"{mode} {r['rps']:.0f} req/s (event loop {100 * r['loop_cpu']:.0f}% of a CPU, "
                 f"loadgen {100 * r['loadgen_cpu']:.0f}%)" for mode, r in zip(modes, results)]
        return f"{label}: {'; '.join(parts)}"

    def service_bound(results):
        return all(r["loop_cpu"] >= SERVICE_BOUND_LOOP_CPU for r in results)

    def verdict(bound):
        return "" if bound else (f" (a loop ran under {100 * SERVICE_BOUND_LOOP_CPU:.0f}% of a CPU: "
                                 f"loadgen-bound, not counted)")

    if not args.service_cpus:
        print("  note: --no-pin: the two services need not share a CPU, so their req/s ratio is "
              "not a ratio of capacities", flush=True)
    ratios, controls = [], []
    for round_ in range(args.guard_rounds):
        modes = ("leaky", "guarded") if round_ % 2 == 0 else ("guarded", "leaky")
        results = dict(zip(modes, side_by_side(args, modes)))
        bound = service_bound(results.values())
        ratios.append((results["guarded"]["rps"] / results["leaky"]["rps"], bound))
        print(describe_round(f"guard side by side {round_ + 1}", modes,
                             [results[m] for m in modes]) + f": on/off {ratios[-1][0]:.3f}"
              + verdict(bound), flush=True)
    for control in range(args.guard_controls):
        mode = ("leaky", "guarded")[control % 2]
        results = side_by_side(args, (mode, mode))
        bound = service_bound(results)
        controls.append((results[1]["rps"] / results[0]["rps"], bound))
        print(describe_round(f"A/A control {control + 1}", (mode, mode), results) +
              f": ratio {controls[-1][0]:.3f}" + verdict(bound), flush=True)
    return ratios, controls


def counted(rounds):
    """The ratios of the service-bound rounds, or all of them (and False)
    when none was."""
    bound = [ratio for ratio, is_bound in rounds if is_bound]
    return (bound, True) if bound else ([ratio for ratio, _ in rounds], False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default="build/bin")
    parser.add_argument("--work", default="build/bench-server")
    parser.add_argument("--connections", type=int, default=10000)
    parser.add_argument("--fixed-rate", type=int, default=5000)
    parser.add_argument("--warmup-s", type=float, default=None,
                        help="kept out of the fixed-rate latency (default: one pass over all "
                             "connections, connections / fixed rate)")
    parser.add_argument("--fixed-duration-s", type=float, default=20,
                        help="measured seconds at the fixed rate, after the warm-up")
    parser.add_argument("--floor-duration-s", type=float, default=10,
                        help="measured seconds of each loopback floor run (before and after the "
                             "fixed rate)")
    parser.add_argument("--max-rate", type=int, default=100000, help="offered above capacity")
    parser.add_argument("--duration-s", type=float, default=8, help="at the maximum rate")
    parser.add_argument("--guard-rounds", type=int, default=6,
                        help="guard on/off side-by-side rounds")
    parser.add_argument("--guard-controls", type=int, default=2,
                        help="A/A side-by-side rounds (each mode against itself)")
    parser.add_argument("--guard-duration-s", type=float, default=5)
    parser.add_argument("--scan-rows", type=int, default=1000, help="a fast audit query")
    parser.add_argument("--realtime", action="store_true",
                        help="fixed rate only: run the service's event loop and the loadgen at "
                             "SCHED_FIFO 1, so other processes on a shared machine cannot delay "
                             "them (stated in the output)")
    parser.add_argument("--no-pin", action="store_true",
                        help="pin nothing (by default the service runs on all CPUs but the "
                             "first, the loadgen on the first or, for the shared fixed-rate run, "
                             "on the service's last)")
    args = parser.parse_args()
    cpus = sorted(os.sched_getaffinity(0))
    pin = not args.no_pin and len(cpus) >= 2
    # Split: the loadgen on a CPU of its own (the maximum rate needs both);
    # unpinned, its replies woke it on the service loop's CPU and preempted
    # the loop once per request. Shared: the loadgen on the service's CPU,
    # so a request never waits for another virtual CPU to be woken or
    # given back by the host (docs/benchmarks.md, "Where the tail comes from").
    args.loadgen_cpus = {cpus[0]} if pin else None
    args.service_cpus = set(cpus[1:]) if pin else None
    shared_cpus = {cpus[-1]} if pin else None
    if args.warmup_s is None:
        args.warmup_s = args.connections / args.fixed_rate
    args.service = os.path.join(args.bin, "slow_query_service")
    args.loadgen = os.path.join(args.bin, "slow_query_loadgen")
    args.floor = os.path.join(args.bin, "loopback_floor")
    os.makedirs(args.work, exist_ok=True)
    args.db = os.path.join(args.work, "audit.sqlite")
    if os.path.exists(args.db):
        os.remove(args.db)
    subprocess.run([args.service, "--prepare-db", "--db", f"sqlite:{args.db}", "--scan-rows",
                    str(args.scan_rows)], check=True)
    placement = (f"service on CPUs {sorted(args.service_cpus)}; loadgen on CPU "
                 f"{sorted(shared_cpus)} (shared) or {sorted(args.loadgen_cpus)} (split)"
                 if pin else "processes not pinned")
    print(f"start: {os.cpu_count()} CPUs ({placement}), {load_average()}", flush=True)

    # Fixed mode: idle memory, a fixed rate with the loadgen sharing the
    # service's CPU and then on its own, then the maximum rate. Around each
    # fixed rate the machine's floor on the same CPUs: its tail drifts with
    # the host's load within minutes.
    service = Service(args, "fixed")
    time.sleep(1.0)
    rss_none = status_kb(service.pid, "VmRSS")
    idle = {}

    def measure_idle():
        deadline = time.monotonic() + 10
        while open_fds(service.pid) < args.connections and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        rss, fds = status_kb(service.pid, "VmRSS"), open_fds(service.pid)
        idle["bytes_per_conn"] = (rss - rss_none) * 1024 / args.connections
        print(f"idle: service RSS {rss_none} kB with no connection, {rss} kB with {fds} "
              f"descriptors open ({args.connections} connections): "
              f"bytes_per_conn={idle['bytes_per_conn']:.0f}", flush=True)

    def fixed_rate(label, loadgen_cpus, on_open=None):
        floor_before = loopback_floor(args, loadgen_cpus)
        if args.realtime:
            set_realtime(service.pid, True)
        result = load(args, service, args.fixed_rate, args.warmup_s + args.fixed_duration_s,
                      hold_idle_s=3.0, warmup_s=args.warmup_s, on_open=on_open,
                      realtime=args.realtime, loadgen_cpus=loadgen_cpus)
        if args.realtime:
            set_realtime(service.pid, False)
        floor_after = loopback_floor(args, loadgen_cpus)  # the service idle again
        scheduling = "SCHED_FIFO 1 (--realtime)" if args.realtime else "default scheduling"
        describe(f"fixed mode, fixed rate, {label}, {scheduling} ({load_average()})", result)
        if loadgen_cpus != shared_cpus and result["service_wait_ms_per_s"] > BUSY_WAIT_MS_PER_S:
            print(f"  note: the loop thread waited over {BUSY_WAIT_MS_PER_S} ms/s for a CPU: other "
                  f"processes took it, and the latency tail above is mostly theirs "
                  f"(docs/benchmarks.md; --realtime keeps them out)", flush=True)
        for when, floor in (("before", floor_before), ("after", floor_after)):
            print(f"  loopback floor {when} (bench/loopback_floor: one blocking connection, no "
                  f"Asio, no HTTP, same rate and CPUs): latency_ms "
                  f"{percentiles(floor['latency_ms'])}; send_lag_ms "
                  f"{percentiles(floor['send_lag_ms'])}", flush=True)
        print(f"  p99.9/p50: server {tail_ratio(result['latency_ms']):.1f}, machine floor "
              f"{tail_ratio(floor_before['latency_ms']):.1f} before and "
              f"{tail_ratio(floor_after['latency_ms']):.1f} after", flush=True)
        return result

    shared_label = "loadgen sharing the service's CPU" if pin else "not pinned"
    fixed = fixed_rate(shared_label, shared_cpus, on_open=measure_idle)
    bytes_per_conn = idle["bytes_per_conn"]
    if pin:
        fixed_rate("loadgen on a CPU of its own", args.loadgen_cpus)
    maximum = load(args, service, args.max_rate, args.duration_s)
    describe(f"fixed mode, maximum rate ({load_average()})", maximum)
    peak_kb = status_kb(service.pid, "VmHWM")
    print(f"fixed mode: peak RSS {peak_kb / 1024:.1f} MiB", flush=True)
    service.stop()

    rounds, control_rounds = guard_side_by_side(args)
    ratios, all_bound = counted(rounds)
    ratio = statistics.median(ratios)
    controls, _ = counted(control_rounds)
    control_text = (f"A/A controls {', '.join(f'{c:.3f}' for c in controls)}" if controls
                    else "no A/A control")
    print(f"guard on/off: median of {len(ratios)} {'service-bound ' if all_bound else ''}"
          f"side-by-side req/s ratios {ratio:.3f} (range {min(ratios):.3f}-{max(ratios):.3f}; "
          f"{len(rounds) - len(ratios) if all_bound else 0} loadgen-bound rounds left out); "
          f"{control_text}", flush=True)
    if not all_bound:
        print("  note: no round was service-bound (every one had a loop under "
              f"{100 * SERVICE_BOUND_LOOP_CPU:.0f}% of a CPU): the ratio above is the loadgens', "
              "not the guard's", flush=True)
    print(f"end: {load_average()}", flush=True)
    latency = fixed["latency_ms"]
    print(f"server conns={args.connections} rps={maximum['rps']:.0f} p50_ms={latency['p50']:.2f} "
          f"p99_ms={latency['p99']:.2f} p999_ms={latency['p999']:.2f} "
          f"bytes_per_conn={bytes_per_conn:.0f} guard_rps_ratio={ratio:.3f}")


if __name__ == "__main__":
    main()
