#!/usr/bin/env python3
"""The clang-tidy plugin as clang-tidy users meet it: loaded by the real
clang-tidy-19, its checks listed and enabled with -checks=spawnguard-*,
configured through .clang-tidy CheckOptions, silenced by NOLINT, run under
run-clang-tidy-19 -load, and the documented blocks (docs/clang-tidy.md, the
README's) working as written. Each test copies small inputs into a fresh
folder with its own compile database.

usage: tidy_plugin_test.py --plugin SO --source DIR [unittest args...]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from readme_blocks import FENCE, readme_block  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "interface"))
import lint_interface_test  # noqa: E402  (its NolintTest, run here on clang-tidy's findings)

INPUTS = os.path.join(HERE, "..", "interface")  # the lint's own interface inputs, shared
ARGS = None
CHECKS = ["spawnguard-detached-thread", "spawnguard-missing-deadline", "spawnguard-unbounded-queue",
          "spawnguard-unbounded-spawn"]
DIAGNOSTIC = re.compile(r"^([^\s:][^:\n]*):(\d+):(\d+): (warning|error): (.*?)(?: \[([\w.,-]+)\])?$", re.MULTILINE)


def line_of(path, text):
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            if text in line:
                return number
    raise AssertionError(f"{text!r} not in {path}")


class Project:
    """A temporary source tree with a compile database in build/."""

    def __init__(self, *sources):
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="spawnguard-tidy-"))
        self.src = os.path.join(self.root, "src")
        self.build = os.path.join(self.root, "build")
        os.makedirs(self.src)
        os.makedirs(self.build)
        for name in sources:
            shutil.copy(os.path.join(INPUTS, name), self.src)
        entries = [{"directory": self.src, "file": self.path(name),
                    "arguments": ["clang++-19", "-std=c++20", "-c", name]} for name in sources]
        with open(os.path.join(self.build, "compile_commands.json"), "w", encoding="utf-8") as out:
            json.dump(entries, out)

    def path(self, name):
        return os.path.join(self.src, name)

    def write(self, name, text):
        with open(os.path.join(self.root, name), "w", encoding="utf-8") as out:
            out.write(text)

    def tidy(self, *args, files=()):
        command = ["clang-tidy-19", f"--load={ARGS.plugin}", "-checks=-*,spawnguard-*", "-p", self.build, *args,
                   *[self.path(name) for name in files]]
        return subprocess.run(command, capture_output=True, text=True, timeout=300)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def diagnostics(output, level):
    """(file name, line, check) of each diagnostic of LEVEL clang-tidy printed
    ("[check,-warnings-as-errors]" counts as the check)."""
    return {(os.path.basename(path), int(line), check.split(",")[0])
            for path, line, _, found, _, check in DIAGNOSTIC.findall(output) if found == level}


def warnings(output):
    return diagnostics(output, "warning")


class PluginTest(unittest.TestCase):
    def test_lists_the_three_checks_as_clang_tidy_checks(self):
        result = subprocess.run(["clang-tidy-19", f"--load={ARGS.plugin}", "-checks=-*,spawnguard-*",
                                 "--list-checks"], capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(re.findall(r"^\s+(spawnguard-[\w-]+)$", result.stdout, re.MULTILINE), CHECKS)
        self.assertNotIn("registered more than once", result.stderr)

    def test_links_no_llvm_library_of_its_own(self):
        # clang-tidy brings clang and LLVM: a second copy would register every cl::opt twice.
        needed = subprocess.run(["readelf", "-d", ARGS.plugin], capture_output=True, text=True).stdout
        self.assertIn("NEEDED", needed)
        self.assertNotRegex(needed, r"libclang-cpp|libLLVM")

    def test_a_clean_file_gives_no_warning_and_exit_0(self):
        project = Project("configured.cpp")  # its spawn function is only known through configuration
        self.addCleanup(project.cleanup)
        result = project.tidy(files=["configured.cpp"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(warnings(result.stdout), set())


class NolintTest(lint_interface_test.NolintTest):
    """spawnguard-lint's NolintTest, its input and its verdicts, with the
    findings clang-tidy reports through the plugin."""

    @classmethod
    def setUpClass(cls):
        cls.project = Project("nolint.cpp")
        cls.lines, cls.stderr = cls.tidy_lines()
        lint_interface_test.strip_nolint(cls.project.path("nolint.cpp"))
        cls.lines_without_nolint, _ = cls.tidy_lines()

    @classmethod
    def tidy_lines(cls):
        result = cls.project.tidy(files=["nolint.cpp"])
        assert result.returncode == 0, result.stderr
        return {line for _, line, check in warnings(result.stdout) if check.startswith("spawnguard-")}, result.stderr

    def test_clang_tidy_counts_the_suppressed_findings(self):
        # Four spawns and the queue suppressed, two spawns shown; each said
        # once (a finding reported twice made it 'Suppressed 6').
        self.assertIn("Suppressed 5 warnings (5 NOLINT)", self.stderr)
        self.assertIn("2 warnings generated", self.stderr)


class CheckOptionsTest(unittest.TestCase):
    """.clang-tidy CheckOptions carry the lists .spawnguard.yaml carries."""

    def setUp(self):
        self.project = Project("configured.cpp")
        self.addCleanup(self.project.cleanup)
        self.unbounded = line_of(self.project.path("configured.cpp"), "void serve_unbounded(") + 3
        self.bounded = line_of(self.project.path("configured.cpp"), "void serve_bounded(") + 4

    def reported(self, config):
        self.project.write(".clang-tidy", config)
        result = self.project.tidy(files=["configured.cpp"])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return {line for _, line, check in warnings(result.stdout) if check == "spawnguard-unbounded-spawn"}

    def test_a_configured_spawn_function_is_reported(self):
        self.assertEqual(self.reported("CheckOptions:\n  spawnguard-unbounded-spawn.SpawnFunctions: '::jobs::submit'\n"),
                         {self.unbounded, self.bounded})

    def test_a_configured_bound_function_bounds_the_spawn_after_it(self):
        self.assertEqual(self.reported("CheckOptions:\n"
                                       "  spawnguard-unbounded-spawn.SpawnFunctions: 'jobs::submit'\n"
                                       "  spawnguard-unbounded-spawn.BoundFunctions: '::jobs::take_slot'\n"),
                         {self.unbounded})

    def test_a_global_option_applies_and_the_checks_own_wins_over_it(self):
        self.assertEqual(self.reported("CheckOptions:\n  SpawnFunctions: '::jobs::submit'\n"),
                         {self.unbounded, self.bounded})
        self.assertEqual(self.reported("CheckOptions:\n  SpawnFunctions: '::jobs::submit'\n"
                                       "  spawnguard-unbounded-spawn.SpawnFunctions: '::jobs::other'\n"), set())

    def test_lists_are_separated_by_semicolons(self):
        self.assertEqual(self.reported("CheckOptions:\n"
                                       "  SpawnFunctions: '::jobs::other; ::jobs::submit;'\n"
                                       "  BoundFunctions: '::jobs::take_slot'\n"), {self.unbounded})

    def test_a_configured_queue_push_function_is_reported(self):
        self.project.write(".clang-tidy", "CheckOptions:\n  spawnguard-unbounded-queue.QueuePushFunctions: '::mail::enqueue'\n")
        result = self.project.tidy(files=["configured.cpp"])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        relay = line_of(self.project.path("configured.cpp"), "void relay_unbounded(") + 2
        self.assertEqual({(line, check) for _, line, check in warnings(result.stdout)},
                         {(relay, "spawnguard-unbounded-queue")})

    def test_dump_config_shows_the_options_as_configured(self):
        self.project.write(".clang-tidy", "CheckOptions:\n  spawnguard-unbounded-spawn.SpawnFunctions: '::jobs::submit'\n")
        result = self.project.tidy("--dump-config", files=["configured.cpp"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"spawnguard-unbounded-spawn\.SpawnFunctions:\s+'::jobs::submit'")
        self.assertRegex(result.stdout, r"spawnguard-missing-deadline\.WaitFunctions:")


class BadOptionsTest(unittest.TestCase):
    """A misspelt option or a bad value is a clang-tidy configuration error
    naming the option, and the run fails: nothing is silently ignored."""

    def setUp(self):
        self.project = Project("configured.cpp")
        self.addCleanup(self.project.cleanup)

    def fails(self, config, *expected):
        self.project.write(".clang-tidy", config)
        result = self.project.tidy(files=["configured.cpp"])
        self.assertNotEqual(result.returncode, 0, result.stdout + result.stderr)
        output = result.stdout + result.stderr
        for text in expected:
            self.assertIn(text, output)
        self.assertIn("[clang-tidy-config]", output)
        return output

    def test_an_unknown_option_is_named_with_the_options_the_check_takes(self):
        self.fails("CheckOptions:\n  spawnguard-unbounded-spawn.SpawnFunction: '::jobs::submit'\n",
                   "unknown option 'spawnguard-unbounded-spawn.SpawnFunction' (spawnguard-unbounded-spawn takes "
                   "SpawnFunctions, BoundFunctions, BoundedSpawnFunctions, WaitFunctions, DeadlineFunctions, Strict)")

    def test_a_checks_own_option_belongs_to_that_check_only(self):
        # QueuePushFunctions is spawnguard-unbounded-queue's (its ListKeys):
        # listed among what it takes, unknown to the other checks.
        self.fails("CheckOptions:\n  spawnguard-unbounded-queue.QueuePushFunction: '::mail::enqueue'\n",
                   "unknown option 'spawnguard-unbounded-queue.QueuePushFunction' (spawnguard-unbounded-queue takes "
                   "SpawnFunctions, BoundFunctions, BoundedSpawnFunctions, WaitFunctions, DeadlineFunctions, "
                   "QueuePushFunctions, Strict)")
        self.fails("CheckOptions:\n  spawnguard-unbounded-spawn.QueuePushFunctions: '::mail::enqueue'\n",
                   "unknown option 'spawnguard-unbounded-spawn.QueuePushFunctions'")
        self.fails("CheckOptions:\n  spawnguard-unbounded-queue.QueuePushFunctions: 'mail::enqueue()'\n",
                   "invalid value 'mail::enqueue()' for option 'spawnguard-unbounded-queue.QueuePushFunctions'")

    def test_an_option_of_a_check_that_takes_none_is_unknown(self):
        self.fails("CheckOptions:\n  spawnguard-detached-thread.SpawnFunctions: '::jobs::submit'\n",
                   "unknown option 'spawnguard-detached-thread.SpawnFunctions' (spawnguard-detached-thread takes "
                   "no options)")

    def test_a_comma_separated_list_is_an_invalid_value(self):
        self.fails("CheckOptions:\n  spawnguard-unbounded-spawn.SpawnFunctions: '::jobs::submit,::jobs::post'\n",
                   "invalid value '::jobs::submit,::jobs::post' for option 'spawnguard-unbounded-spawn.SpawnFunctions'"
                   ": '::jobs::submit,::jobs::post' is not a fully qualified name (write names like "
                   "'::ns::function', separated by ';')")

    def test_a_global_option_with_a_bad_value_is_named_as_written(self):
        self.fails("CheckOptions:\n  WaitFunctions: 'db::query()'\n",
                   "invalid value 'db::query()' for option 'WaitFunctions'")

    def test_strict_takes_true_or_false(self):
        self.fails("CheckOptions:\n  spawnguard-missing-deadline.Strict: sometimes\n",
                   "invalid value 'sometimes' for option 'spawnguard-missing-deadline.Strict': expected true or false")


class RunClangTidyTest(unittest.TestCase):
    """run-clang-tidy-19 -load: every file of the database, in parallel, with
    the project's .clang-tidy; --warnings-as-errors makes findings fail CI."""

    @classmethod
    def setUpClass(cls):
        cls.project = Project("nolint.cpp", "configured.cpp")
        cls.project.write(".clang-tidy", "Checks: '-*,spawnguard-*'\n"
                          "CheckOptions:\n  SpawnFunctions: '::jobs::submit'\n  BoundFunctions: '::jobs::take_slot'\n")

    @classmethod
    def tearDownClass(cls):
        cls.project.cleanup()

    def run_clang_tidy(self, *args):
        return subprocess.run(["run-clang-tidy-19", "-load", ARGS.plugin, "-p", self.project.build, "-j", "2",
                               "-quiet", *args], capture_output=True, text=True, timeout=600)

    def expected(self):
        nolint, configured = self.project.path("nolint.cpp"), self.project.path("configured.cpp")
        return {("nolint.cpp", line_of(nolint, "void nolint_for_another_check(") + 2, "spawnguard-unbounded-spawn"),
                ("nolint.cpp", line_of(nolint, "void not_suppressed(") + 2, "spawnguard-unbounded-spawn"),
                ("configured.cpp", line_of(configured, "void serve_unbounded(") + 3, "spawnguard-unbounded-spawn")}

    def test_reports_every_file_of_the_database_with_the_projects_configuration(self):
        result = self.run_clang_tidy()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(warnings(result.stdout), self.expected())

    def test_warnings_as_errors_fails_the_run_on_a_finding(self):
        result = self.run_clang_tidy("-warnings-as-errors=spawnguard-*")
        self.assertNotEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(diagnostics(result.stdout, "error"), self.expected())


class DocumentedBlocksTest(unittest.TestCase):
    """docs/clang-tidy.md's .clang-tidy and the README's run-clang-tidy line work as written."""

    def test_the_documented_clang_tidy_file_configures_the_checks(self):
        with open(os.path.join(ARGS.source, "docs", "clang-tidy.md"), encoding="utf-8") as page:
            blocks = [text for lang, text in FENCE.findall(page.read()) if lang == "yaml" and "CheckOptions" in text]
        self.assertEqual(len(blocks), 1, "docs/clang-tidy.md should have one ```yaml block with CheckOptions")
        project = Project("configured.cpp")
        self.addCleanup(project.cleanup)
        project.write(".clang-tidy", blocks[0])
        result = project.tidy(files=["configured.cpp"])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(warnings(result.stdout),
                         {("configured.cpp", line_of(project.path("configured.cpp"), "void serve_unbounded(") + 3,
                           "spawnguard-unbounded-spawn")})

    def test_the_readme_plugin_block_runs(self):
        block = readme_block(ARGS.source, "sh", "libSpawnguardTidyModule.so")
        project = Project("nolint.cpp")
        self.addCleanup(project.cleanup)
        # The installed plugin's path is this build's; the block runs from the project's root.
        script = re.sub(r"/usr/lib/\S*/libSpawnguardTidyModule\.so", ARGS.plugin, block)
        self.assertNotEqual(script, block, "the README block should load the installed plugin")
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=project.root,
                                capture_output=True, text=True, timeout=600)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(len(warnings(result.stdout)), 2, result.stdout)


if __name__ == "__main__":
    if shutil.which("clang-tidy-19") is None or shutil.which("run-clang-tidy-19") is None:
        sys.exit("clang-tidy-19 is not installed: run bash scripts/install-deps.sh")
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    ARGS.plugin = os.path.abspath(ARGS.plugin)
    unittest.main(argv=[sys.argv[0], *rest])
