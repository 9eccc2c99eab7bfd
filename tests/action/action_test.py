#!/usr/bin/env python3
"""The CI glue as a CI run meets it, with no network: the GitHub Action's
step (action.yml's `run`, its `env` filled from the inputs as GitHub fills
it) and the pre-commit hook (.pre-commit-hooks.yaml, through pre-commit
try-repo), run on a fixture project: fixtures/analyzer/cross-tu in a fresh
git repository with its compile database. The lint comes from the
spawnguard-lint package (CTest: packaging.debs), unpacked into a scratch
root instead of apt-installed.

usage: action_test.py --debs DIR --work DIR --source DIR [unittest args...]
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import check_fixtures  # noqa: E402  (the fixtures' expectations and compile database)
from readme_blocks import readme_block  # noqa: E402

ARGS = None


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)


class FixtureProject:
    """fixtures/analyzer/cross-tu as a user's repository: committed, with
    build/compile_commands.json."""

    def __init__(self, name):
        self.root = os.path.realpath(os.path.join(ARGS.work, name))
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.copytree(os.path.join(ARGS.source, "fixtures", "analyzer", "cross-tu"), self.root)
        self.sources = sorted(glob.glob(os.path.join(self.root, "*.cpp")))
        check_fixtures.write_database(os.path.join(self.root, "build"),
                                      {path: check_fixtures.expectations(path)[2] for path in self.sources})
        with open(os.path.join(self.root, ".gitignore"), "w", encoding="utf-8") as ignore:
            ignore.write("build/\n*.sarif\n")
        for command in (["git", "init", "-q"], ["git", "add", "-A"],
                        ["git", "-c", "user.name=t", "-c", "user.email=t@invalid", "commit", "-qm", "fixture"]):
            result = run(command, cwd=self.root)
            assert result.returncode == 0, result.stderr

    def expected(self, check_prefix="spawnguard-"):
        """(check, file, line, column) of every finding the fixture files state."""
        return {(check, os.path.basename(path), line, column)
                for path in self.sources
                for check, line, column in check_fixtures.expectations(path)[0] if check.startswith(check_prefix)}

    def append(self, name, text):
        with open(os.path.join(self.root, name), "a", encoding="utf-8") as source:
            source.write(text)


def sarif_findings(path):
    with open(path, encoding="utf-8") as sarif:
        results = json.load(sarif)["runs"][0]["results"]
    found = set()
    for result in results:
        location = result["locations"][0]["physicalLocation"]
        found.add((result["ruleId"], location["artifactLocation"]["uri"],
                   location["region"]["startLine"], location["region"]["startColumn"]))
    return found


class ActionStep:
    """action.yml's step, run as GitHub runs a composite `shell: bash` step."""

    def __init__(self):
        with open(os.path.join(ARGS.source, "action.yml"), encoding="utf-8") as action:
            self.action = yaml.safe_load(action)
        [self.step] = self.action["runs"]["steps"]

    def run(self, project, **inputs):
        unknown = set(inputs) - set(self.action["inputs"])
        assert not unknown, f"action.yml has no input {unknown}"
        values = {name: inputs.get(name, spec.get("default", "")) for name, spec in self.action["inputs"].items()}
        github = {"action_repository": "", "action_ref": ""}  # a local action, as in `uses: ./`

        def fill(text):
            text = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(text))
            return re.sub(r"\$\{\{\s*github\.(\w+)\s*\}\}", lambda m: github[m.group(1)], text)

        outputs = os.path.join(ARGS.work, "github-output")
        open(outputs, "w").close()
        env = dict(os.environ, GITHUB_ACTION_PATH=ARGS.source, GITHUB_OUTPUT=outputs,
                   GITHUB_WORKSPACE=project.root, SPAWNGUARD_INSTALL_ROOT=os.path.join(ARGS.work, "lint-root"))
        env.update({name: fill(value) for name, value in self.step["env"].items()})
        self.result = run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", self.step["run"]],
                          cwd=project.root, env=env)
        with open(outputs, encoding="utf-8") as lines:
            self.outputs = dict(line.rstrip("\n").split("=", 1) for line in lines if "=" in line)
        return self.result


class ActionTest(unittest.TestCase):
    def setUp(self):
        self.project = FixtureProject("project")
        self.step = ActionStep()

    def lint(self, **inputs):
        return self.step.run(self.project, package=ARGS.deb, **inputs)

    def assertExit(self, result, status):
        self.assertEqual(result.returncode, status, result.stdout + result.stderr)

    def test_step_runs_the_action_script(self):
        self.assertEqual(self.step.action["runs"]["using"], "composite")
        self.assertEqual(self.step.step["shell"], "bash")
        self.assertIn("$GITHUB_ACTION_PATH/scripts/github-action.sh", self.step.step["run"])
        for name in ("build-dir", "checks", "baseline", "sarif", "fail-on-findings", "changed-since"):
            self.assertIn(name, self.step.action["inputs"])

    def test_findings_fail_the_step_after_the_sarif_is_written(self):
        result = self.lint()
        self.assertExit(result, 1)
        sarif = os.path.join(self.project.root, "spawnguard.sarif")
        self.assertEqual(sarif_findings(sarif), self.project.expected())
        self.assertEqual(self.step.outputs, {"sarif": "spawnguard.sarif", "findings": str(len(self.project.expected()))})
        self.assertRegex(result.stdout, r"session\.cpp:16:8: warning: unbounded spawn: .*\[spawnguard-unbounded-spawn\]")

    def test_fail_on_findings_false_passes_with_the_findings_in_the_sarif(self):
        result = self.lint(**{"fail-on-findings": "false", "sarif": "out/lint.sarif"})
        self.assertExit(result, 0)
        self.assertEqual(sarif_findings(os.path.join(self.project.root, "out", "lint.sarif")), self.project.expected())

    def test_checks_select_what_is_reported(self):
        result = self.lint(checks="-*,spawnguard-missing-deadline")
        self.assertExit(result, 1)
        expected = self.project.expected("spawnguard-missing-deadline")
        self.assertTrue(expected)
        self.assertEqual(sarif_findings(os.path.join(self.project.root, "spawnguard.sarif")), expected)

    def test_baseline_leaves_only_new_findings(self):
        self.assertExit(self.lint(), 1)  # installs the lint
        lint = os.path.join(ARGS.work, "lint-root", "usr", "bin", "spawnguard-lint")
        baseline = os.path.join(self.project.root, ".spawnguard-baseline.json")
        recorded = run([lint, "-p", "build", "--write-baseline", baseline], cwd=self.project.root)
        self.assertEqual(recorded.returncode, 0, recorded.stderr)
        result = self.lint(baseline=".spawnguard-baseline.json")
        self.assertExit(result, 0)
        self.assertEqual(sarif_findings(os.path.join(self.project.root, "spawnguard.sarif")), set())
        self.assertEqual(self.step.outputs["findings"], "0")

    def test_changed_since_relints_only_changed_units_and_keeps_cross_unit_findings(self):
        everything = "linting every translation unit"
        result = self.lint(**{"changed-since": "HEAD"})  # no summaries kept yet
        self.assertExit(result, 1)
        self.assertIn(everything, result.stdout)

        self.project.append("handler.cpp", "// edited\n")
        result = self.lint(**{"changed-since": "HEAD"})
        self.assertExit(result, 1)
        self.assertIn("1 translation unit(s) changed since HEAD", result.stdout)
        self.assertNotIn(everything, result.stdout)
        # handler.cpp's missing deadline is seen only through server.cpp's and session.cpp's kept summaries.
        self.assertEqual(sarif_findings(os.path.join(self.project.root, "spawnguard.sarif")), self.project.expected())

        self.project.append("session.hpp", "// edited\n")
        result = self.lint(**{"changed-since": "HEAD"})
        self.assertExit(result, 1)
        self.assertIn("header session.hpp changed since HEAD", result.stdout)
        self.assertIn(everything, result.stdout)

    def test_kept_summaries_that_went_stale_are_replaced(self):
        self.assertExit(self.lint(**{"changed-since": "HEAD"}), 1)
        self.project.append("server.cpp", "// edited\n")
        commit = run(["git", "-c", "user.name=t", "-c", "user.email=t@invalid", "commit", "-qam", "edit"],
                     cwd=self.project.root)
        self.assertEqual(commit.returncode, 0, commit.stderr)
        result = self.lint(**{"changed-since": "HEAD"})  # server.cpp changed before HEAD: its summary is stale
        self.assertExit(result, 1)
        self.assertIn("the kept summaries cannot be merged", result.stdout)
        self.assertEqual(sarif_findings(os.path.join(self.project.root, "spawnguard.sarif")), self.project.expected())

    def test_the_result_cache_is_on_and_a_second_run_reuses_every_unit(self):
        self.assertExit(self.lint(), 1)
        result = self.lint()
        self.assertExit(result, 1)
        self.assertRegex(result.stderr, rf"cache '.*/build/spawnguard-cache': {len(self.project.sources)} hit\(s\), "
                                        r"0 miss\(es\)")
        self.assertEqual(sarif_findings(os.path.join(self.project.root, "spawnguard.sarif")), self.project.expected())
        result = self.lint(**{"cache-dir": "off"})
        self.assertExit(result, 1)
        self.assertNotIn("hit(s)", result.stderr)

    def test_bad_inputs_are_named(self):
        for inputs, message in (
                ({"build-dir": "nowhere"}, "no nowhere/compile_commands.json: configure with "
                                           "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON first, or set build-dir"),
                ({"fail-on-findings": "yes"}, "fail-on-findings is 'yes': use true or false"),
                ({"baseline": "missing.json"}, "baseline 'missing.json' does not exist"),
                ({"changed-since": "no-such-ref"}, "changed-since 'no-such-ref' is not a commit here"),
                ({"package": __file__}, f"'{__file__}' is not a Debian package (.deb) file")):
            with self.subTest(inputs=inputs):
                result = self.step.run(self.project, **{"package": ARGS.deb, **inputs})
                self.assertExit(result, 2)
                self.assertIn(message, result.stderr)


class PreCommitTest(unittest.TestCase):
    """The hook as pre-commit runs it from this repository (try-repo)."""

    def setUp(self):
        self.project = FixtureProject("pre-commit-project")
        root = os.path.join(ARGS.work, "pre-commit-root")
        shutil.rmtree(root, ignore_errors=True)
        installed = run(["bash", os.path.join(ARGS.source, "scripts", "install-package.sh"), "--root", root, ARGS.deb])
        self.assertEqual(installed.returncode, 0, installed.stderr)
        self.env = dict(os.environ, PATH=f"{root}/usr/bin:{os.environ['PATH']}",
                        PRE_COMMIT_HOME=os.path.join(ARGS.work, "pre-commit-home"))

    def hook(self, *files):
        return run(["pre-commit", "try-repo", ARGS.source, "spawnguard-lint", "--files", *files],
                   cwd=self.project.root, env=self.env)

    def test_hook_fails_on_findings_in_the_changed_files(self):
        result = self.hook("server.cpp", "session.cpp", "handler.cpp", "background.cpp")
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"session\.cpp:16:8: warning: unbounded spawn: .*\[spawnguard-unbounded-spawn\]")

    def test_hook_passes_clean_files_and_skips_files_the_database_does_not_compile(self):
        self.project.append("extra.cpp", "int broken(\n")  # not in the database: skipped, not parsed
        result = self.hook("background.cpp", "extra.cpp", "session.hpp")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Passed", result.stdout)


class ReadmeTest(unittest.TestCase):
    """The README's workflow and pre-commit blocks name this action and hook,
    at this version, and the workflow's action step works as written."""

    def setUp(self):
        self.version = re.match(r"spawnguard-lint_([^_]+)_", os.path.basename(ARGS.deb)).group(1)
        self.workflow = yaml.safe_load(readme_block(ARGS.source, "yaml", "# .github/workflows/"))

    def test_workflow_runs_the_action_in_debian_12_and_uploads_its_sarif(self):
        [job] = self.workflow["jobs"].values()
        self.assertEqual(job["container"], "debian:12")
        self.assertEqual(job["permissions"]["security-events"], "write")
        [lint] = [step for step in job["steps"] if re.search(r"/spawnguard@", step.get("uses", ""))]
        self.assertEqual(lint["uses"].split("@")[1], f"v{self.version}")
        [upload] = [step for step in job["steps"] if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
        self.assertEqual(upload["with"]["sarif_file"], lint["with"]["sarif"])
        self.assertEqual(upload["if"], "always()")
        self.assertLess(job["steps"].index(lint), job["steps"].index(upload))

    def test_workflow_action_step_fails_on_findings_not_in_the_baseline(self):
        [job] = self.workflow["jobs"].values()
        [lint] = [step for step in job["steps"] if re.search(r"/spawnguard@", step.get("uses", ""))]
        inputs = {name: str(value) for name, value in lint["with"].items()}
        project = FixtureProject("readme-project")
        step = ActionStep()
        # The baseline records today's missing deadlines only: the unbounded spawns are new.
        self.assertEqual(step.run(project, package=ARGS.deb, **{**inputs, "baseline": ""}).returncode, 1)
        lint_binary = os.path.join(ARGS.work, "lint-root", "usr", "bin", "spawnguard-lint")
        recorded = run([lint_binary, "-p", inputs["build-dir"], "--checks", "-*,spawnguard-missing-deadline",
                        "--write-baseline", inputs["baseline"]], cwd=project.root)
        self.assertEqual(recorded.returncode, 0, recorded.stderr)
        result = step.run(project, package=ARGS.deb, **inputs)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(sarif_findings(os.path.join(project.root, inputs["sarif"])),
                         project.expected("spawnguard-unbounded-spawn"))

    def test_pre_commit_block_names_this_hook_at_this_version(self):
        config = yaml.safe_load(readme_block(ARGS.source, "yaml", "# .pre-commit-config.yaml"))
        with open(os.path.join(ARGS.source, ".pre-commit-hooks.yaml"), encoding="utf-8") as manifest:
            hooks = {hook["id"] for hook in yaml.safe_load(manifest)}
        [repo] = config["repos"]
        self.assertEqual(repo["rev"], f"v{self.version}")
        self.assertEqual({hook["id"] for hook in repo["hooks"]}, hooks)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for flag in ("--debs", "--work", "--source"):
        parser.add_argument(flag, required=True)
    ARGS, rest = parser.parse_known_args()
    ARGS.work, ARGS.source = os.path.abspath(ARGS.work), os.path.abspath(ARGS.source)
    [ARGS.deb] = glob.glob(os.path.join(os.path.abspath(ARGS.debs), "spawnguard-lint_*.deb"))
    os.makedirs(ARGS.work, exist_ok=True)
    unittest.main(argv=[sys.argv[0], *rest])
