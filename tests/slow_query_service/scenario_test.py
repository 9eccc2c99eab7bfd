#!/usr/bin/env python3
"""The OOM scenario, scaled down (preset 'test': 128 MiB, 30 s, the four
modes in parallel), checked against the spec: leaky is killed by the memory
limit; guarded alerts at least 30% of the run before that, naming the audit
spawn's file:line; a real Prometheus with the shipped rules fires
SpawnguardSiteLeaking at that site before the OOM; shed and fixed finish
under 30% of the limit, shed answering 503 with Retry-After; every request
sent is accounted for.

usage: scenario_test.py --db sqlite|postgres --build-dir DIR --out DIR
With --db postgres the server is $SPAWNGUARD_TEST_PG; unset, the test is
skipped (exit 77); set but unreachable, it fails.
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICE = os.path.join(ROOT, "fixtures", "slow_query_service")


def guarded_spawn_site():
    """file:line of the guarded mode's audit spawn, found in its source."""
    path = os.path.join(SERVICE, "service", "guarded_mode.cpp")
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if "spawnguard::co_spawn(" in line:
                return f"guarded_mode.cpp:{number}"
    raise SystemExit(f"no spawnguard::co_spawn( call in {path}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    p.add_argument("--build-dir", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    db = "sqlite"
    if args.db == "postgres":
        db = os.environ.get("SPAWNGUARD_TEST_PG")
        if not db:
            print("SKIPPED: SPAWNGUARD_TEST_PG is not set (scripts/test.sh starts a server "
                  "with scripts/postgres.sh and sets it)")
            return 77
    command = [sys.executable, os.path.join(SERVICE, "scenario", "oom_scenario.py"),
               "--preset", "test", "--build-dir", args.build_dir, "--out", args.out, "--db", db]
    print("running:", " ".join(command), flush=True)
    driver = subprocess.run(command, text=True)
    with open(os.path.join(args.out, "results.json")) as f:
        results = json.load(f)
    runs, prometheus_alerts = results["runs"], results["prometheus_alerts"]

    failures = []

    def expect(ok, what):
        print(f"{'PASS' if ok else 'FAIL'}: {what}")
        if not ok:
            failures.append(what)

    expect(driver.returncode == 0, f"the scenario driver ran every mode (exit {driver.returncode})")
    for mode, run in runs.items():
        expect(run["error"] is None, f"{mode}: ran without error ({run['error']})")
    leaky, guarded, shed, fixed = (runs[m] for m in ("leaky", "guarded", "shed", "fixed"))
    cgroup = leaky["limit_kind"].startswith("cgroup")
    expect(leaky["died"] and (leaky["killed_by_oom"] or not cgroup),
           f"leaky is killed by the memory limit ({leaky['limit']}; died at {leaky['death_s']} s, "
           f"exit {leaky['exit_status']}, oom_kill {leaky['oom_kills']})")
    oom_at = guarded["death_s"] if guarded["died"] else leaky["death_s"]
    alert_at = guarded["first_alert_s"]
    expect(alert_at is not None and oom_at is not None and oom_at - alert_at >= 0.3 * oom_at,
           f"guarded alerts at least 30% of the run before the OOM (alert {alert_at} s, OOM {oom_at} s)")
    site = guarded_spawn_site()
    expect(guarded["alert_site"] is not None and guarded["alert_site"].endswith(site),
           f"the alert names the audit spawn {site} (it named {guarded['alert_site']}: "
           f"{guarded['alert_text']})")
    leaking = [a for a in prometheus_alerts or [] if a["alertname"] == "SpawnguardSiteLeaking"
               and a["run"] == "guarded" and (a["site"] or "").endswith(site)]
    expect(leaking and oom_at is not None and leaking[0]["fired_s"] is not None
           and leaking[0]["fired_s"] < oom_at,
           f"Prometheus, with the shipped rules, fired SpawnguardSiteLeaking at {site} before "
           f"the OOM ({prometheus_alerts})")
    for run in (shed, fixed):
        share = run["peak_rss_bytes"] / run["limit_bytes"]
        expect(not run["died"] and share < 0.3,
               f"{run['mode']}: completes with peak memory under 30% of the limit ({share:.0%})")
    shed_503 = (shed["loadgen"] or {}).get("answered", {}).get("503", 0)
    expect(shed_503 > 0 and shed["loadgen"]["unavailable_without_retry_after"] == 0,
           f"shed answers 503 with Retry-After ({shed_503} times)")
    for mode, run in runs.items():
        g = run["loadgen"]
        if not g:
            expect(False, f"{mode}: the load generator wrote its summary")
            continue
        accounted = g["answered_total"] + g["timeouts"] + g["errors_total"]
        expect(g["sent"] == accounted and g["unsent_over_max_in_flight"] == 0,
               f"{mode}: every request sent is accounted for (sent {g['sent']}, answered "
               f"{g['answered_total']}, timeouts {g['timeouts']}, errors {g['errors_total']})")
        if not run["died"]:
            odd = {code: n for code, n in g["answered"].items()
                   if not (code.startswith("2") or code == "503")}
            expect(g["errors_total"] == 0 and not odd,
                   f"{mode}: answered only 2xx or 503, no connection errors ({odd}, {g['errors']})")
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
