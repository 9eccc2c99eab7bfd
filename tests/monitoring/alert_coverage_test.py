#!/usr/bin/env python3
"""Every shipped rule is unit-tested: each alert, at each of its severities,
has a promtool test where it fires, each alert has one where it does not, and
each recording rule's name is the expression of a promql_expr_test.

usage: alert_coverage_test.py --rules RULES.yaml... --tests TEST.yaml...
"""
import argparse
import sys

import yaml


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            content = yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SystemExit(f"{path}: cannot read it: {error}")
    if not isinstance(content, dict):
        raise SystemExit(f"{path}: expected a YAML mapping (groups: or tests:), "
                         f"found a {type(content).__name__}")
    return content


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", required=True, nargs="+")
    parser.add_argument("--tests", required=True, nargs="+")
    args = parser.parse_args()

    severities, recorded = {}, set()  # alert -> its severities
    for path in args.rules:
        for group in load(path).get("groups") or []:
            for rule in group.get("rules") or []:
                if "alert" in rule:
                    severities.setdefault(rule["alert"], set()).add(
                        (rule.get("labels") or {}).get("severity"))
                else:
                    recorded.add(rule.get("record"))

    fired, quiet, evaluated = set(), set(), set()  # (alert, severity), alert, expr
    for path in args.tests:
        for test in load(path).get("tests") or []:
            for case in test.get("alert_rule_test") or []:
                expected = case.get("exp_alerts") or []
                if not expected:
                    quiet.add(case["alertname"])
                fired |= {(case["alertname"], (a.get("exp_labels") or {}).get("severity"))
                          for a in expected}
            evaluated |= {case["expr"].strip() for case in test.get("promql_expr_test") or []}

    failures = 0

    def expect(ok, what):
        nonlocal failures
        print(f"{'PASS' if ok else 'FAIL'}: {what}")
        failures += not ok

    expect(severities and recorded, f"{len(severities)} alerts and {len(recorded)} recording "
                                    f"rules found in {', '.join(args.rules)}")
    for alert, levels in sorted(severities.items()):
        for severity in sorted(levels, key=str):
            expect((alert, severity) in fired, f"{alert} (severity {severity}) fires in a test")
        expect(alert in quiet, f"{alert} stays quiet in a test")
    for name in sorted(recorded):
        expect(name in evaluated, f"recording rule {name} is evaluated in a test")
    print(f"alert_coverage: {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
