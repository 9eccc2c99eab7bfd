#!/usr/bin/env python3
"""spawnguard-lint's fix-its end to end (docs/fixes.md): the fixtures in
fixtures/analyzer/fixes/ copied to a temporary folder, linted once with
--fix, --export-fixes and SARIF, the export applied to a second copy with
clang-apply-replacements, then that copy linted again with --fix:
deadline findings gone, spawns reported as counted by spawnguard but not
limited, nothing left to change, and every file still compiles. Each lint run
takes the fixtures together (--jobs 2), so the class parses each file twice.

Fixture annotations, besides check_fixtures.py's `expect:` forms:
  // after-fix: CHECK CALLEE    a finding the fixed file must still produce
and FILE.cpp.fixed beside FILE.cpp: the file as the fixes must leave it.

usage: lint_fixes_test.py LINT_BINARY FIXTURE_DIR RUNTIME_INCLUDE_DIR [unittest args...]
"""
import collections
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import check_fixtures  # noqa: E402  (the expect: and flags: annotations)

LINT = None
FIXTURES = None
RUNTIME_INCLUDE = None
APPLY = "clang-apply-replacements-19"
AFTER_FIX = re.compile(r"//\s*after-fix:\s*(spawnguard-[\w-]+)\s+(\S+)")
INCLUDE = "#include <spawnguard/spawnguard.hpp>"


def sources(root):
    """The fixture files under root, relative to it."""
    found = []
    for folder, _, names in os.walk(root):
        found += [os.path.relpath(os.path.join(folder, name), root) for name in names if name.endswith(".cpp")]
    return sorted(found)


class Copy:
    """The fixtures copied to a fresh folder (their .spawnguard.yaml files too),
    with a compile database: clang++-19 -std=c++20, the runtime's headers and
    each file's own flags."""

    def __init__(self, parent, name):
        self.root = os.path.join(parent, name)
        shutil.copytree(FIXTURES, self.root, ignore=shutil.ignore_patterns("*.fixed"))
        self.files = sources(self.root)
        self.build = os.path.join(self.root, "build")
        os.makedirs(self.build)
        entries = [{"directory": os.path.dirname(self.path(name)), "file": self.path(name),
                    "arguments": self.compile_arguments(name) + ["-c", self.path(name)]} for name in self.files]
        with open(os.path.join(self.build, "compile_commands.json"), "w", encoding="utf-8") as out:
            json.dump(entries, out, indent=1)

    def path(self, name):
        return os.path.join(self.root, name)

    def compile_arguments(self, name):
        _, _, flags = check_fixtures.expectations(self.path(name))
        return ["clang++-19", "-std=c++20", f"-I{RUNTIME_INCLUDE}", *flags]

    def lint(self, *args):
        command = [LINT, "-p", self.build, "--root", self.root, "--no-cross-tu", "--jobs", "2", *args,
                   *[self.path(name) for name in self.files]]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if result.returncode not in (0, 1):
            raise AssertionError(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")
        return result

    def contents(self):
        return {name: open(self.path(name), encoding="utf-8").read() for name in self.files}


def jsonl(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


class AppliedFixesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = os.path.realpath(tempfile.mkdtemp(prefix="spawnguard-fixes-"))
        cls.exported = Copy(cls.folder, "exported")
        cls.fixed = Copy(cls.folder, "fixed")
        cls.original = cls.exported.contents()
        # One run on the "fixed" copy fixes it in place and exports the same
        # fixes; the export, moved to the "exported" copy, is applied there.
        fixes_folder = os.path.join(cls.folder, "fixes")
        os.makedirs(fixes_folder)
        export_file = os.path.join(cls.folder, "fixes.yaml")
        sarif_file = os.path.join(cls.folder, "findings.sarif")
        cls.fix_run = cls.fixed.lint("--fix", "--export-fixes", export_file, "--format", "sarif", "-o", sarif_file)
        with open(sarif_file, encoding="utf-8") as sarif:
            cls.sarif_results = json.load(sarif)["runs"][0]["results"]
        with open(export_file, encoding="utf-8") as export:
            text = export.read()
        cls.export = yaml.safe_load(text)
        with open(os.path.join(fixes_folder, "fixes.yaml"), "w", encoding="utf-8") as moved:
            moved.write(text.replace(cls.fixed.root + "/", cls.exported.root + "/"))
        cls.apply = subprocess.run([APPLY, fixes_folder], capture_output=True, text=True, timeout=300)
        cls.after_apply = cls.exported.contents()
        # The fixed files linted again, with --fix: what is left, and nothing to change.
        cls.relint = jsonl(cls.exported.lint("--fix", "--format", "jsonl"))
        cls.after_second_fix = cls.exported.contents()
        cls.compiles = {}
        pending = [(name, subprocess.Popen(cls.exported.compile_arguments(name) + ["-fsyntax-only",
                                                                                  cls.exported.path(name)],
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
                   for name in cls.exported.files]
        for name, process in pending:
            cls.compiles[name] = (process.wait(timeout=600), process.stdout.read())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def test_the_fixtures_report_what_they_annotate_before_the_fix(self):
        found = collections.defaultdict(set)
        for result in self.sarif_results:
            location = result["locations"][0]["physicalLocation"]
            found[location["artifactLocation"]["uri"]].add(
                (result["ruleId"], location["region"]["startLine"], location["region"]["startColumn"]))
        for name in self.exported.files:
            expected, _, _ = check_fixtures.expectations(os.path.join(FIXTURES, name))
            self.assertEqual(found[name], expected, name)

    def test_clang_apply_replacements_applies_the_export(self):
        self.assertEqual(self.apply.returncode, 0, self.apply.stdout + self.apply.stderr)
        self.assertNotEqual(self.after_apply, self.original)

    def test_the_export_is_clang_tidy_shaped_yaml(self):
        self.assertIn("MainSourceFile", self.export)
        diagnostics = self.export["Diagnostics"]
        self.assertTrue(diagnostics)
        for diagnostic in diagnostics:
            self.assertIn(diagnostic["DiagnosticName"], ("spawnguard-unbounded-spawn", "spawnguard-missing-deadline"))
            message = diagnostic["DiagnosticMessage"]
            self.assertTrue(message["Replacements"], diagnostic)
            for replacement in message["Replacements"]:
                self.assertEqual(set(replacement), {"FilePath", "Offset", "Length", "ReplacementText"})

    def test_the_runtime_include_is_exported_once_per_file(self):
        includes = collections.Counter(
            replacement["FilePath"] for diagnostic in self.export["Diagnostics"]
            for replacement in diagnostic["DiagnosticMessage"]["Replacements"]
            if INCLUDE in replacement["ReplacementText"])
        self.assertEqual(includes, {self.fixed.path(name): 1 for name in
                                    ("callback_session_and_posts.cpp", "coro_http_session.cpp", "tls_session.cpp")})

    def test_fixes_leave_each_file_as_its_fixed_twin_says(self):
        for name in self.exported.files:
            with open(os.path.join(FIXTURES, name + ".fixed"), encoding="utf-8") as twin:
                self.assertEqual(self.after_apply[name], twin.read(), name)

    def test_fix_and_clang_apply_replacements_make_the_same_files(self):
        self.assertIn("applied", self.fix_run.stderr)
        self.assertEqual(self.fixed.contents(), self.after_apply)

    def test_sarif_results_carry_the_same_fixes(self):
        fixable = 0
        for result in self.sarif_results:
            for fix in result.get("fixes", []):
                fixable += 1
                self.assertTrue(fix["description"]["text"])
                for change in fix["artifactChanges"]:
                    self.assertEqual(change["artifactLocation"]["uriBaseId"], "%SRCROOT%")
                    for replacement in change["replacements"]:
                        self.assertIn("startLine", replacement["deletedRegion"])
                        self.assertIn("charLength", replacement["deletedRegion"])
                        self.assertIn("text", replacement["insertedContent"])
        self.assertEqual(fixable, len(self.export["Diagnostics"]))

    def test_after_the_fix_only_the_annotated_findings_remain(self):
        for name in self.exported.files:
            with open(os.path.join(FIXTURES, name), encoding="utf-8") as source:
                expected = collections.Counter(AFTER_FIX.findall(source.read()))
            found = collections.Counter((f["check"], f["callee"]) for f in self.relint if f["file"] == name)
            self.assertEqual(found, expected, name)

    def test_instrumented_spawns_are_reported_counted_but_not_limited(self):
        instrumented = [f for f in self.relint if f["callee"].startswith("spawnguard::")]
        self.assertTrue(instrumented)
        for finding in instrumented:
            self.assertIn("counted by spawnguard but not limited", finding["message"])

    def test_fixing_twice_changes_nothing(self):
        self.assertEqual(self.after_second_fix, self.after_apply)

    def test_the_fixed_files_still_compile(self):
        for name, (status, output) in self.compiles.items():
            self.assertEqual(status, 0, f"{name}:\n{output}")


class FixConfigTest(unittest.TestCase):
    """Bad fix-it configuration and contradictory flags: exit 2 before any parsing."""

    @classmethod
    def setUpClass(cls):
        cls.folder = os.path.realpath(tempfile.mkdtemp(prefix="spawnguard-fixes-"))
        cls.copy = Copy(cls.folder, "copy")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def lint_with_config(self, text, *args):
        config = os.path.join(self.folder, "bad.yaml")
        with open(config, "w", encoding="utf-8") as out:
            out.write(text)
        return subprocess.run([LINT, "-p", self.copy.build, "--config-file", config, *args,
                               self.copy.path("coro_http_session.cpp")], capture_output=True, text=True, timeout=300)

    def test_a_bad_fix_spawn_through_names_file_line_and_key(self):
        result = self.lint_with_config("strict: false\nfix-spawn-through: asio\n")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("bad.yaml:2:", result.stderr)
        self.assertIn("'fix-spawn-through'", result.stderr)
        self.assertIn("expected spawnguard or none", result.stderr)

    def test_a_bad_fix_deadline_seconds_names_file_line_and_key(self):
        result = self.lint_with_config("fix-deadline-seconds: 0\n")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("bad.yaml:1:", result.stderr)
        self.assertIn("'fix-deadline-seconds'", result.stderr)
        self.assertIn("from 1 to 86400", result.stderr)

    def test_fix_with_merge_exits_2(self):
        result = subprocess.run([LINT, "--merge", self.folder, "--fix"], capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--merge reads summaries only", result.stderr)

    def test_export_fixes_with_summaries_dir_exits_2(self):
        result = subprocess.run([LINT, "-p", self.copy.build, "--summaries-dir", self.folder, "--export-fixes",
                                 os.path.join(self.folder, "f.yaml"), self.copy.path("coro_http_session.cpp")],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--summaries-dir reports nothing", result.stderr)


if __name__ == "__main__":
    LINT = os.path.abspath(sys.argv.pop(1))
    FIXTURES = os.path.abspath(sys.argv.pop(1))
    RUNTIME_INCLUDE = os.path.abspath(sys.argv.pop(1))
    unittest.main()
