#!/usr/bin/env python3
"""SARIF as GitHub code scanning reads it, checked on real output: the lint's
SARIF for the cross-translation-unit fixture project (an accept loop in one
file, the spawn in another, waits in a third) and for the fix-it fixtures is
validated by the SARIF Multitool with GitHub's rules and the SARIF rules, and
any error or warning fails; then what code scanning shows is checked field by
field: rule help from the docs pages, PascalCase names, the rating, the
repetition chain as a code flow, the category.

usage: code_scanning_test.py LINT MULTITOOL CROSS_TU_FIXTURE FIXES_FIXTURE [unittest args...]
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

LINT = MULTITOOL = CROSS_TU = FIXES = None
DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "docs", "checks")


class Project:
    """A fixture folder copied to a temporary root, with build/compile_commands.json."""

    def __init__(self, fixture):
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="spawnguard-sarif-"))
        self.src = os.path.join(self.root, "src")
        shutil.copytree(fixture, self.src)
        files = sorted(os.path.join(self.src, name) for name in os.listdir(self.src) if name.endswith(".cpp"))
        os.makedirs(os.path.join(self.root, "build"))
        with open(os.path.join(self.root, "build", "compile_commands.json"), "w") as out:
            json.dump([{"directory": self.src, "file": path, "arguments": ["clang++-19", "-std=c++20", "-c", path]}
                       for path in files], out)

    def lint(self, *args):
        return subprocess.run([LINT, "-p", os.path.join(self.root, "build"), "--jobs", "2", *args],
                              capture_output=True, text=True, timeout=600, cwd=self.root)

    def sarif(self, *args):
        path = os.path.join(self.root, "findings.sarif")
        result = self.lint("--format", "sarif", "-o", path, *args)
        if result.returncode != 1:
            raise AssertionError(f"lint exited {result.returncode}:\n{result.stderr}")
        return path

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def validate(path):
    """The Multitool's findings about a SARIF file, GitHub's rules (GH*) and SARIF's."""
    report = path + ".validation.sarif"
    result = subprocess.run([MULTITOOL, "validate", "--rule-kind", "Gh;Sarif", "-o", report, path],
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not os.path.exists(report):
        raise AssertionError(f"the SARIF Multitool failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    with open(report) as source:
        validation = json.load(source)
    located = []
    for run in validation["runs"]:
        for found in run.get("results", []):
            where = found.get("locations", [{}])[0].get("physicalLocation", {}).get("region", {})
            located.append((found.get("level", "warning"), found["ruleId"],
                            f"line {where.get('startLine')}: {json.dumps(found['message'])}"))
    return located


class CodeScanningTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.project = Project(CROSS_TU)
        cls.path = cls.project.sarif("--sarif-category", "spawnguard/server")
        with open(cls.path) as source:
            cls.log = json.load(source)
        cls.sarif_run = cls.log["runs"][0]
        cls.rules = {rule["id"]: rule for rule in cls.sarif_run["tool"]["driver"]["rules"]}

    @classmethod
    def tearDownClass(cls):
        cls.project.cleanup()

    def assertValid(self, path):
        problems = [problem for problem in validate(path) if problem[0] in ("error", "warning")]
        self.assertEqual(problems, [], "the SARIF Multitool (GitHub and SARIF rules) found problems")

    def test_the_multitool_with_githubs_rules_finds_nothing(self):
        self.assertValid(self.path)

    def test_fixes_validate_too(self):
        project = Project(FIXES)
        try:
            self.assertValid(project.sarif())
        finally:
            project.cleanup()

    def test_the_validator_does_find_what_code_scanning_refuses(self):
        # The same log without its rules' help: GH2012, as before this change.
        broken = dict(self.log)
        broken["runs"] = [json.loads(json.dumps(self.sarif_run))]
        for rule in broken["runs"][0]["tool"]["driver"]["rules"]:
            del rule["help"]
        path = os.path.join(self.project.root, "no-help.sarif")
        with open(path, "w") as out:
            json.dump(broken, out)
        self.assertIn("GH2012", {rule for level, rule, _ in validate(path) if level == "error"})

    def test_each_rule_has_its_docs_page_as_help(self):
        self.assertEqual(set(self.rules), {"spawnguard-unbounded-spawn", "spawnguard-missing-deadline",
                                           "spawnguard-detached-thread", "spawnguard-unbounded-queue"})
        for check, rule in self.rules.items():
            with open(os.path.join(DOCS, check.removeprefix("spawnguard-") + ".md")) as page:
                text = page.read()
            self.assertEqual(rule["help"]["markdown"], text, check)
            self.assertTrue(rule["help"]["text"], check)
            self.assertRegex(rule["helpUri"], r"^https://.*/checks/" + check.removeprefix("spawnguard-") + r"\.md$")

    def test_rules_have_a_pascal_case_name_and_a_rating(self):
        self.assertEqual(self.rules["spawnguard-unbounded-spawn"]["name"], "UnboundedSpawn")
        self.assertEqual(self.rules["spawnguard-missing-deadline"]["name"], "MissingDeadline")
        for check, rule in self.rules.items():
            properties = rule["properties"]
            self.assertRegex(properties["security-severity"], r"^\d+\.\d$", check)
            self.assertIn(properties["precision"], ("very-high", "high", "medium", "low"), check)
            self.assertIn(properties["problem.severity"], ("error", "warning", "recommendation"), check)
            self.assertIn("security", properties["tags"], "code scanning reads security-severity of security rules")
            self.assertIn("external/cwe/cwe-770", properties["tags"])

    def test_the_driver_says_where_it_comes_from(self):
        driver = self.sarif_run["tool"]["driver"]
        self.assertRegex(driver["informationUri"], r"^https://")
        self.assertRegex(driver["semanticVersion"], r"^\d+\.\d+\.\d+$")
        self.assertEqual(driver["semanticVersion"], driver["version"])

    def test_the_category_is_the_automation_id(self):
        self.assertEqual(self.sarif_run["automationDetails"], {"id": "spawnguard/server/"})

    def test_a_cross_file_chain_is_a_code_flow_from_the_accept_loop_to_the_spawn(self):
        [spawn] = [result for result in self.sarif_run["results"] if result["ruleId"] == "spawnguard-unbounded-spawn"
                   and result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/session.cpp"]
        [flow] = spawn["codeFlows"]
        [thread] = flow["threadFlows"]
        steps = [(step["location"]["physicalLocation"]["artifactLocation"]["uri"],
                  step["location"]["message"]["text"]) for step in thread["locations"]]
        self.assertEqual([uri for uri, _ in steps], ["src/server.cpp", "src/server.cpp", "src/session.cpp"])
        self.assertEqual(steps[0][1], "repeated by this loop")
        self.assertRegex(steps[1][1], r"^called from here")
        self.assertRegex(steps[2][1], r"^unbounded spawn: ")

    def test_a_wait_flow_runs_from_the_loop_through_the_spawn_to_the_wait(self):
        waits = [result for result in self.sarif_run["results"] if result["ruleId"] == "spawnguard-missing-deadline"]
        self.assertTrue(waits)
        for wait in waits:
            steps = [step["location"] for step in wait["codeFlows"][0]["threadFlows"][0]["locations"]]
            self.assertEqual(steps[0]["message"]["text"], "repeated by this loop")
            self.assertIn("the task is started here ('boost::asio::co_spawn')",
                          [step["message"]["text"] for step in steps])
            self.assertEqual(steps[-1]["physicalLocation"], wait["locations"][0]["physicalLocation"])

    def test_warnings_as_errors_are_error_level(self):
        path = self.project.sarif("--warnings-as-errors=spawnguard-missing-deadline")
        with open(path) as source:
            run = json.load(source)["runs"][0]
        levels = {(result["ruleId"], result["level"]) for result in run["results"]}
        self.assertEqual(levels, {("spawnguard-missing-deadline", "error"), ("spawnguard-unbounded-spawn", "warning")})
        self.assertNotIn("automationDetails", run, "no category unless asked for")

    def test_a_category_without_sarif_output_or_empty_is_exit_2(self):
        for args in (["--sarif-category", "spawnguard"], ["--format", "sarif", "--sarif-category="]):
            result = self.project.lint(*args)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn("--sarif-category", result.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    LINT, MULTITOOL, CROSS_TU, FIXES = (os.path.abspath(arg) for arg in sys.argv[1:5])
    if not os.access(MULTITOOL, os.X_OK):
        sys.exit(f"code_scanning_test: the SARIF Multitool is not at '{MULTITOOL}': install it with "
                 "scripts/install-deps.sh (npm @microsoft/sarif-multitool)")
    unittest.main(argv=[sys.argv[0], *sys.argv[5:]])
