#!/usr/bin/env python3
"""The command-line interface of spawnguard-lint as CI users meet it: NOLINT
forms, .spawnguard.yaml, SARIF and JSON lines output, baselines, --strict,
--checks, --jobs, header de-duplication, clang-tidy's flags, --cache-dir. Each test runs the real binary on
small inputs copied into a fresh folder with its own compile database.

usage: lint_interface_test.py LINT_BINARY [unittest args...]
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
LINT = None


class Project:
    """A temporary source tree (a git-less repo root) with a compile database."""

    def __init__(self, *sources):
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="spawnguard-lint-"))
        self.src = os.path.join(self.root, "src")
        os.makedirs(self.src)
        for name in sources:
            shutil.copy(os.path.join(HERE, name), self.src)
        shutil.copy(os.path.join(HERE, "shared_header.hpp"), self.src)
        self.write_database([name for name in sources if name.endswith(".cpp")])

    def write_database(self, names):
        os.makedirs(os.path.join(self.root, "build"), exist_ok=True)
        entries = [{"directory": self.src, "file": os.path.join(self.src, name),
                    "arguments": ["clang++-19", "-std=c++20", "-c", name]} for name in names]
        with open(os.path.join(self.root, "build", "compile_commands.json"), "w") as out:
            json.dump(entries, out)

    def path(self, name):
        return os.path.join(self.src, name)

    def write(self, name, text):
        with open(self.path(name), "w") as out:
            out.write(text)

    def lint(self, *args, files=()):
        command = [LINT, "-p", os.path.join(self.root, "build"), "--root", self.root, *args,
                   *[self.path(name) for name in files]]
        return subprocess.run(command, capture_output=True, text=True, timeout=300)

    def findings(self, *args, files=()):
        result = self.lint("--format", "jsonl", *args, files=files)
        if result.returncode not in (0, 1):
            raise AssertionError(f"lint exited {result.returncode}:\n{result.stderr}")
        return [json.loads(line) for line in result.stdout.splitlines()]

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def line_of(path, text):
    with open(path) as source:
        for number, line in enumerate(source, start=1):
            if text in line:
                return number
    raise AssertionError(f"{text!r} not in {path}")


# Every NOLINT marker with its check list, so that a copy without them keeps its lines.
NOLINT_MARKER = re.compile(r"NOLINT(NEXTLINE|BEGIN|END)?(\([^)]*\))?")


def strip_nolint(path):
    """Rewrites the file at PATH without its NOLINT markers (the comments stay, empty)."""
    with open(path, encoding="utf-8") as source:
        text = source.read()
    with open(path, "w", encoding="utf-8") as out:
        out.write(NOLINT_MARKER.sub("", text))


class NolintTest(unittest.TestCase):
    """Each NOLINT form hides its finding, and the same file without the
    markers reports it (so a suppression test cannot pass on a spawn the
    lint never found)."""

    @classmethod
    def setUpClass(cls):
        cls.project = Project("nolint.cpp")
        cls.lines = cls.unsuppressed_lines()
        strip_nolint(cls.project.path("nolint.cpp"))
        cls.lines_without_nolint = cls.unsuppressed_lines()

    @classmethod
    def unsuppressed_lines(cls):
        return {f["line"] for f in cls.project.findings(files=["nolint.cpp"])}

    @classmethod
    def tearDownClass(cls):
        cls.project.cleanup()

    def line_after(self, function):
        return line_of(self.project.path("nolint.cpp"), f"void {function}(") + 2

    def assert_suppressed(self, line):
        self.assertIn(line, self.lines_without_nolint, "without its NOLINT the line reports nothing to suppress")
        self.assertNotIn(line, self.lines)

    def test_bare_nolint_suppresses_every_check_on_its_line(self):
        self.assert_suppressed(self.line_after("bare_nolint"))

    def test_nolint_with_a_check_list_suppresses_that_check(self):
        self.assert_suppressed(self.line_after("nolint_with_check"))

    def test_nolintnextline_suppresses_the_line_after_it(self):
        self.assert_suppressed(self.line_after("nolint_next_line") + 1)

    def test_nolintbegin_and_nolintend_suppress_the_region_between_them(self):
        self.assert_suppressed(self.line_after("nolint_region"))

    def test_nolint_names_the_queue_check(self):
        self.assert_suppressed(self.line_after("nolint_queue"))

    def test_nolint_for_another_check_suppresses_nothing(self):
        self.assertIn(self.line_after("nolint_for_another_check"), self.lines)

    def test_findings_without_nolint_are_reported(self):
        self.assertEqual(self.lines, {self.line_after("nolint_for_another_check"),
                                      self.line_after("not_suppressed")})

    def test_a_nolint_naming_no_check_is_a_warning(self):
        if LINT is None:
            self.skipTest("a warning of spawnguard-lint's own; clang-tidy says nothing of NOLINT names")
        project = Project("nolint.cpp")
        try:
            source = project.path("nolint.cpp")
            with open(source) as f:
                text = f.read()
            misspelt = ("void misspelt(std::vector<std::thread> &threads) {\n"
                        "  // NOLINTNEXTLINE(spawnguard-unbounded-spwan, bugprone-*, spawnguard-detached-*)\n"
                        "  threads.emplace_back(serve, next_connection());\n}\n")
            project.write("nolint.cpp", text + misspelt)
            line = line_of(source, "NOLINTNEXTLINE(spawnguard-unbounded-spwan")
            result = project.lint("--quiet", files=["nolint.cpp"])
            warnings = [w for w in result.stderr.splitlines() if "NOLINT names" in w]
            self.assertEqual(warnings, [f"src/nolint.cpp:{line}: warning: NOLINT names "
                                        f"'spawnguard-unbounded-spwan', which matches no check, so it "
                                        f"silences nothing (the checks: spawnguard-lint --list-checks)"])
        finally:
            project.cleanup()

    def test_without_the_markers_every_finding_is_reported(self):
        self.assertEqual(self.lines_without_nolint,
                         {self.line_after("bare_nolint"), self.line_after("nolint_with_check"),
                          self.line_after("nolint_next_line") + 1, self.line_after("nolint_region"),
                          self.line_after("nolint_for_another_check"), self.line_after("not_suppressed"),
                          self.line_after("nolint_queue")})


class ConfigurationTest(unittest.TestCase):
    def setUp(self):
        self.project = Project("configured.cpp")

    def tearDown(self):
        self.project.cleanup()

    def test_config_adds_a_spawn_function(self):
        self.assertEqual(self.project.findings(files=["configured.cpp"]), [])
        self.project.write(".spawnguard.yaml", "spawn-functions: ['::jobs::submit']\n")
        findings = self.project.findings(files=["configured.cpp"])
        self.assertEqual([(f["function"], f["callee"]) for f in findings],
                         [("serve_unbounded", "jobs::submit"), ("serve_bounded", "jobs::submit")])

    def test_config_adds_a_bound_function(self):
        self.project.write(".spawnguard.yaml",
                           "spawn-functions: ['::jobs::submit']\nbound-functions: ['::jobs::take_slot']\n")
        findings = self.project.findings(files=["configured.cpp"])
        self.assertEqual([f["function"] for f in findings], ["serve_unbounded"])

    def test_config_adds_a_queue_push_function(self):
        self.assertEqual(self.project.findings("--checks=-*,spawnguard-unbounded-queue", files=["configured.cpp"]), [])
        self.project.write(".spawnguard.yaml", "queue-push-functions: ['::mail::enqueue']\n")
        findings = self.project.findings(files=["configured.cpp"])
        self.assertEqual([(f["check"], f["function"], f["callee"], f["line"]) for f in findings],
                         [("spawnguard-unbounded-queue", "relay_unbounded", "mail::enqueue",
                           line_of(self.project.path("configured.cpp"), "void relay_unbounded(") + 2)])

    def test_a_checks_own_key_is_checked_like_the_common_ones(self):
        # Misspelt: unknown, and the known keys include the check's own.
        self.project.write(".spawnguard.yaml", "queue-push-function: ['::mail::enqueue']\n")
        result = self.project.lint(files=["configured.cpp"])
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertRegex(result.stderr, r"\.spawnguard\.yaml:1:1: unknown key 'queue-push-function' "
                                        r"\(known keys: .*, queue-push-functions\)")
        # Its value is shape-checked: a single value, and an empty name.
        for text, column, problem in (("queue-push-functions: '::mail::enqueue'\n", 23, "found a single value"),
                                      ("queue-push-functions: ['']\n", 24, "an empty name")):
            self.project.write(".spawnguard.yaml", text)
            result = self.project.lint(files=["configured.cpp"])
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn(f".spawnguard.yaml:1:{column}: bad value for key 'queue-push-functions': {problem}",
                          result.stderr)

    def test_config_file_option_overrides_the_one_found_upward(self):
        self.project.write(".spawnguard.yaml", "spawn-functions: ['::jobs::submit']\n")
        other = os.path.join(self.project.root, "other.yaml")
        with open(other, "w") as out:
            out.write("checks: ['-*']\n")
        self.assertEqual(self.project.findings("--config-file", other, files=["configured.cpp"]), [])

    def test_unknown_key_exits_2_naming_file_line_and_key(self):
        self.project.write(".spawnguard.yaml", "strict: false\nspawn-function: ['::jobs::submit']\n")
        result = self.project.lint(files=["configured.cpp"])
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertRegex(result.stderr, r"\.spawnguard\.yaml:2:1: unknown key 'spawn-function'")

    def test_wrong_type_exits_2_naming_file_line_and_key(self):
        self.project.write(".spawnguard.yaml", "checks: ['spawnguard-*']\nstrict: sometimes\n")
        result = self.project.lint(files=["configured.cpp"])
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertRegex(result.stderr, r"\.spawnguard\.yaml:2:9: bad value for key 'strict'")

    def test_a_list_key_given_a_scalar_exits_2_naming_the_key(self):
        self.project.write(".spawnguard.yaml", "bound-functions: jobs::take_slot\n")
        result = self.project.lint(files=["configured.cpp"])
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertRegex(result.stderr, r"\.spawnguard\.yaml:1:\d+: bad value for key 'bound-functions'")

    def test_a_check_glob_that_names_nothing_is_a_warning_naming_the_file(self):
        self.project.write(".spawnguard.yaml", "spawn-functions: ['::jobs::submit']\n"
                                               "checks: ['-spawnguard-no-such-check']\n")
        result = self.project.lint("--format", "jsonl", files=["configured.cpp"])
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(len(result.stdout.splitlines()), 2, "the other checks still run")
        self.assertIn(self.project.path(".spawnguard.yaml") + ": key 'checks': '-spawnguard-no-such-check' matches "
                      "no check, so it changes nothing", result.stderr)

    def test_a_bad_checks_flag_is_blamed_on_the_flag(self):
        self.project.write(".spawnguard.yaml", "spawn-functions: ['::jobs::submit']\n")
        result = self.project.lint("--checks=-*,spawnguard-unbounded-spawm", files=["configured.cpp"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("warning: --checks: 'spawnguard-unbounded-spawm' matches no check", result.stderr)
        self.assertNotIn(".spawnguard.yaml", result.stderr)
        result = self.project.lint("--checks=spawnguard-[", files=["configured.cpp"])
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("error: --checks 'spawnguard-[': invalid glob pattern", result.stderr)
        self.assertNotIn(".spawnguard.yaml", result.stderr)

    def test_clang_tidys_checks_string_is_accepted(self):
        self.project.write(".spawnguard.yaml", "spawn-functions: ['::jobs::submit']\n"
                                               "checks: '-*, spawnguard-unbounded-queue,bugprone-*'\n")
        result = self.project.lint("--format", "jsonl", files=["configured.cpp"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "", "only the queue check runs, and it finds nothing unconfigured")
        self.assertIn("key 'checks': 'bugprone-*' matches no check", result.stderr)
        self.project.write(".spawnguard.yaml", "spawn-functions: ['::jobs::submit']\n"
                                               "checks: '-*,spawnguard-unbounded-spawn'\n")
        self.assertEqual([f["check"] for f in self.project.findings(files=["configured.cpp"])],
                         ["spawnguard-unbounded-spawn"] * 2)

    def test_a_configured_name_no_unit_declares_is_a_warning(self):
        self.project.write(".spawnguard.yaml", "spawn-functions: ['::jobs::submit', '::job::submit']\n"
                                               "bound-functions: ['jobs::take_slot', 'jobs::take_slots']\n"
                                               "queue-push-functions: ['::mail::enqueue']\n")
        result = self.project.lint(files=["configured.cpp"])
        self.assertEqual(result.returncode, 1, result.stderr)
        warned = re.findall(r"warning: .*\.spawnguard\.yaml: key '([a-z-]+)': '([^']+)' matches no declaration in "
                            r"the 1 translation unit\(s\) linted with this file", result.stderr)
        self.assertEqual(warned, [("spawn-functions", "::job::submit"), ("bound-functions", "jobs::take_slots")])
        # Declared by another unit of the run: no warning.
        self.project.write("other.cpp", "namespace job { void submit(); }\nnamespace jobs { bool take_slots(); }\n")
        self.project.write_database(["configured.cpp", "other.cpp"])
        result = self.project.lint()
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertNotIn("matches no declaration", result.stderr)


class OutputFormatTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.project = Project("baseline.cpp")
        result = cls.project.lint("--format", "sarif", files=["baseline.cpp"])
        assert result.returncode == 1, result.stderr
        cls.sarif = json.loads(result.stdout)

    @classmethod
    def tearDownClass(cls):
        cls.project.cleanup()

    def test_sarif_is_version_2_1_0_from_spawnguard_lint(self):
        self.assertEqual(self.sarif["version"], "2.1.0")
        self.assertEqual(self.sarif["runs"][0]["tool"]["driver"]["name"], "spawnguard-lint")

    def test_sarif_rules_are_tagged_cwe_770(self):
        rules = {rule["id"]: rule for rule in self.sarif["runs"][0]["tool"]["driver"]["rules"]}
        self.assertEqual(set(rules), {"spawnguard-unbounded-spawn", "spawnguard-missing-deadline",
                                      "spawnguard-detached-thread", "spawnguard-unbounded-queue"})
        for rule in rules.values():
            self.assertIn("external/cwe/cwe-770", rule["properties"]["tags"])
        self.assertIn("external/cwe/cwe-400", rules["spawnguard-unbounded-queue"]["properties"]["tags"])

    def test_sarif_results_have_repo_relative_uris_regions_and_fingerprints(self):
        run = self.sarif["runs"][0]
        self.assertEqual(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file://" + self.project.root + "/")
        [result] = run["results"]
        self.assertEqual(result["ruleId"], "spawnguard-unbounded-spawn")
        location = result["locations"][0]["physicalLocation"]
        self.assertEqual(location["artifactLocation"], {"uri": "src/baseline.cpp", "uriBaseId": "%SRCROOT%"})
        self.assertEqual(location["region"], {"startLine": 10, "startColumn": 13})
        self.assertRegex(result["partialFingerprints"]["spawnguardKey/v1"], r"^[0-9a-f]{16}$")
        self.assertTrue(result["relatedLocations"], "notes become related locations")

    def test_text_output_looks_like_clang(self):
        result = self.project.lint(files=["baseline.cpp"])
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stdout, r"baseline\.cpp:10:13: warning: unbounded spawn: 'std::thread' runs once "
                                        r"per iteration of an endless loop .* \[spawnguard-unbounded-spawn\]")
        self.assertIn("baseline.cpp:9:3: note: repeated by this loop", result.stdout)

    def test_json_lines_have_one_object_per_finding(self):
        [finding] = self.project.findings(files=["baseline.cpp"])
        self.assertEqual((finding["file"], finding["line"], finding["column"]), ("src/baseline.cpp", 10, 13))
        self.assertEqual(finding["function"], "accept_forever")


class BaselineTest(unittest.TestCase):
    def setUp(self):
        self.project = Project("baseline.cpp")
        self.baseline = os.path.join(self.project.root, "spawnguard-baseline.json")

    def tearDown(self):
        self.project.cleanup()

    def test_a_recorded_finding_stays_matched_after_a_line_is_inserted_above_it(self):
        written = self.project.lint("--write-baseline", self.baseline, files=["baseline.cpp"])
        self.assertEqual(written.returncode, 0, written.stderr)
        with open(self.project.path("baseline.cpp")) as source:
            text = source.read()
        self.project.write("baseline.cpp", "// An unrelated comment moves everything down a line.\n" + text)
        self.assertEqual(self.project.findings(files=["baseline.cpp"])[0]["line"], 11)
        result = self.project.lint("--baseline", self.baseline, files=["baseline.cpp"])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("1 finding(s) already in the baseline", result.stderr)

    def test_a_new_finding_is_reported_despite_the_baseline(self):
        self.project.lint("--write-baseline", self.baseline, files=["baseline.cpp"])
        with open(self.project.path("baseline.cpp"), "a") as source:
            source.write("\nvoid accept_more(std::vector<std::thread> &threads) {\n"
                         "  while (true) {\n    threads.emplace_back(serve, next_connection());\n  }\n}\n")
        findings = self.project.findings("--baseline", self.baseline, files=["baseline.cpp"])
        self.assertEqual([f["function"] for f in findings], ["accept_more"])

    def lint_without_root(self, cwd, *args):
        command = [LINT, "-p", os.path.join(self.project.root, "build"), *args,
                   self.project.path("baseline.cpp")]
        return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd)

    def test_without_root_paths_and_the_baseline_are_the_same_from_any_folder(self):
        subprocess.run(["git", "init", "-q", self.project.root], check=True)
        written = self.lint_without_root(self.project.root, "--write-baseline", self.baseline)
        self.assertEqual(written.returncode, 0, written.stderr)
        elsewhere = tempfile.mkdtemp(prefix="spawnguard-elsewhere-")
        try:
            for cwd in (self.project.src, elsewhere, "/"):
                result = self.lint_without_root(cwd, "--baseline", self.baseline)
                self.assertEqual(result.returncode, 0, f"from {cwd}: {result.stdout}{result.stderr}")
                self.assertIn("1 finding(s) already in the baseline", result.stderr)
                listed = self.lint_without_root(cwd, "--format", "jsonl")
                self.assertEqual([json.loads(line)["file"] for line in listed.stdout.splitlines()],
                                 ["src/baseline.cpp"], f"from {cwd}")
        finally:
            shutil.rmtree(elsewhere, ignore_errors=True)

    def test_a_baseline_written_under_another_root_is_a_warning(self):
        written = self.project.lint("--write-baseline", self.baseline, files=["baseline.cpp"])
        self.assertEqual(written.returncode, 0, written.stderr)
        matched = self.project.lint("--baseline", self.baseline, files=["baseline.cpp"])
        self.assertNotIn("warning: the baseline", matched.stderr)
        command = [LINT, "-p", os.path.join(self.project.root, "build"), "--root", self.project.src,
                   "--baseline", self.baseline, self.project.path("baseline.cpp")]
        moved = subprocess.run(command, capture_output=True, text=True, timeout=300)
        self.assertEqual(moved.returncode, 1, moved.stderr)
        self.assertIn(f"warning: the baseline '{self.baseline}' matched none of the findings and "
                      f"names none of the files linted", moved.stderr)
        self.assertIn(f"this run's root is '{self.project.src}'", moved.stderr)

    def test_without_git_the_root_is_the_folder_holding_the_database_and_its_files(self):
        for cwd in (self.project.src, "/"):
            listed = self.lint_without_root(cwd, "--format", "jsonl")
            self.assertEqual([json.loads(line)["file"] for line in listed.stdout.splitlines()],
                             ["src/baseline.cpp"], f"from {cwd}: {listed.stderr}")


class SelectionTest(unittest.TestCase):
    def setUp(self):
        self.project = Project("fan_out.cpp", "includer_one.cpp", "includer_two.cpp", "baseline.cpp")

    def tearDown(self):
        self.project.cleanup()

    def test_strict_mode_reports_fan_out_over_input_sized_ranges(self):
        self.assertEqual(self.project.findings(files=["fan_out.cpp"]), [])
        [finding] = self.project.findings("--strict", files=["fan_out.cpp"])
        self.assertEqual(finding["function"], "fan_out")

    def test_a_header_is_reported_once_for_all_its_includers(self):
        findings = self.project.findings("--jobs", "2", files=["includer_one.cpp", "includer_two.cpp"])
        self.assertEqual([(f["file"], f["line"]) for f in findings], [("src/shared_header.hpp", 11)])

    def test_no_files_means_every_file_in_the_database(self):
        findings = self.project.findings("--jobs", "2")
        self.assertEqual(sorted({f["file"] for f in findings}), ["src/baseline.cpp", "src/shared_header.hpp"])

    def test_checks_option_turns_a_check_off(self):
        self.assertEqual(self.project.findings("--checks", "-spawnguard-unbounded-spawn",
                                               files=["baseline.cpp"]), [])

    def test_list_checks_names_every_check(self):
        result = self.project.lint("--list-checks")
        self.assertEqual(result.returncode, 0)
        self.assertIn("spawnguard-unbounded-spawn", result.stdout)
        self.assertIn("spawnguard-detached-thread", result.stdout)
        # A check's own configuration key is listed under it.
        self.assertRegex(result.stdout, r"spawnguard-unbounded-queue\n.*\n    configured by queue-push-functions "
                                        r"\(clang-tidy option QueuePushFunctions\)")


class MissingDeadlineTest(unittest.TestCase):
    """Configured waits and deadlines, --strict, NOLINT on spawnguard-missing-deadline."""

    def setUp(self):
        self.project = Project("deadlines.cpp")

    def tearDown(self):
        self.project.cleanup()

    def deadline_findings(self, *args):
        return [(f["function"], f["callee"], f["line"])
                for f in self.project.findings("--checks", "-*,spawnguard-missing-deadline", *args,
                                               files=["deadlines.cpp"])]

    def line(self, text):
        return line_of(self.project.path("deadlines.cpp"), text)

    def test_a_project_query_is_a_wait_only_once_configured(self):
        self.assertEqual(self.deadline_findings(), [])
        self.project.write(".spawnguard.yaml", "wait-functions: ['::db::query']\n")
        self.assertEqual(self.deadline_findings(),
                         [("audit_plain", "db::query", self.line("insert into audit values (1)")),
                          ("audit_with_timeout", "db::query", self.line("insert into audit values (2)"))])

    def test_a_configured_deadline_function_before_the_wait_gives_it_a_deadline(self):
        self.project.write(".spawnguard.yaml",
                           "wait-functions: ['::db::query']\ndeadline-functions: ['::db::set_timeout']\n")
        self.assertEqual(self.deadline_findings(),
                         [("audit_plain", "db::query", self.line("insert into audit values (1)"))])

    def test_strict_mode_also_reports_a_task_started_once(self):
        self.project.write(".spawnguard.yaml",
                           "wait-functions: ['::db::query']\ndeadline-functions: ['::db::set_timeout']\n")
        once = ("listener", "boost::asio::basic_stream_socket::async_read_some",
                self.line("co_await first.async_read_some"))
        strict = self.deadline_findings("--strict")
        self.assertIn(once, strict)
        self.assertNotIn(once, self.deadline_findings())
        message = [f["message"] for f in self.project.findings("--strict", files=["deadlines.cpp"])
                   if f["function"] == "listener" and f["check"] == "spawnguard-missing-deadline"]
        self.assertEqual(message, ["missing deadline: 'boost::asio::basic_stream_socket::async_read_some' waits "
                                   "on the network with no deadline, in a task started once (reported because "
                                   "of --strict)"])

    def test_nolint_names_the_missing_deadline_check(self):
        self.assertNotIn("echo_suppressed", [function for function, _, _ in self.deadline_findings("--strict")])


class TidyFlagsTest(unittest.TestCase):
    """The flags clang-tidy users type: --extra-arg(-before), --quiet, --warnings-as-errors,
    --header-filter and the closing summary on stderr."""

    def setUp(self):
        self.project = Project("extra_args.cpp", "baseline.cpp", "includer_one.cpp", "includer_two.cpp")

    def tearDown(self):
        self.project.cleanup()

    def test_extra_arg_is_appended_to_every_compile_command(self):
        self.assertEqual(self.project.findings(files=["extra_args.cpp"]), [])
        [finding] = self.project.findings("--extra-arg=-DLINT_THE_LOOP", files=["extra_args.cpp"])
        self.assertEqual(finding["function"], "accept_forever")

    def test_extra_arg_before_comes_first_and_extra_arg_last(self):
        # The later of -D and -U wins: the order shows where each flag went.
        self.assertEqual(self.project.findings("--extra-arg-before=-DLINT_THE_LOOP", "--extra-arg", "-ULINT_THE_LOOP",
                                               files=["extra_args.cpp"]), [])
        [finding] = self.project.findings("--extra-arg-before", "-ULINT_THE_LOOP", "--extra-arg=-DLINT_THE_LOOP",
                                          files=["extra_args.cpp"])
        self.assertEqual(finding["function"], "accept_forever")

    def test_a_closing_summary_counts_the_findings_on_stderr(self):
        result = self.project.lint(files=["baseline.cpp"])
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stderr, "1 warning generated.\n")
        clean = self.project.lint(files=["extra_args.cpp"])
        self.assertEqual((clean.returncode, clean.stderr), (0, "0 warnings generated.\n"))

    def test_quiet_leaves_only_findings_and_errors(self):
        baseline = os.path.join(self.project.root, "baseline.json")
        written = self.project.lint("--quiet", "--write-baseline", baseline, files=["baseline.cpp"])
        self.assertEqual((written.returncode, written.stderr), (0, ""))
        result = self.project.lint("--quiet", "--baseline", baseline, files=["baseline.cpp"])
        self.assertEqual((result.returncode, result.stderr), (0, ""))
        findings = self.project.lint("--quiet", files=["baseline.cpp"])
        self.assertEqual((findings.returncode, findings.stderr), (1, ""))
        self.assertIn("warning: unbounded spawn", findings.stdout)

    def test_warnings_as_errors_shows_matching_findings_as_errors(self):
        result = self.project.lint("--warnings-as-errors=spawnguard-unbounded-*", files=["baseline.cpp"])
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertRegex(result.stdout, r"baseline\.cpp:10:13: error: unbounded spawn")
        self.assertEqual(result.stderr, "1 warning generated.\n1 warning treated as errors.\n")

    def test_warnings_as_errors_leaves_other_checks_warnings(self):
        result = self.project.lint("--warnings-as-errors=-*,spawnguard-detached-thread", files=["baseline.cpp"])
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertRegex(result.stdout, r"baseline\.cpp:10:13: warning: unbounded spawn")
        self.assertNotIn("treated as errors", result.stderr)

    def test_warnings_as_errors_naming_no_check_exits_2(self):
        result = self.project.lint("--warnings-as-errors=spawnguard-no-such-check", files=["baseline.cpp"])
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("--warnings-as-errors: 'spawnguard-no-such-check' names no check", result.stderr)

    def test_findings_in_headers_are_shown_by_default(self):
        findings = self.project.findings(files=["includer_one.cpp"])
        self.assertEqual([(f["file"], f["line"]) for f in findings], [("src/shared_header.hpp", 11)])

    def test_header_filter_shows_only_the_headers_it_matches(self):
        matched = self.project.findings("--header-filter=^src/shared_", files=["includer_one.cpp", "includer_two.cpp"])
        self.assertEqual([(f["file"], f["line"]) for f in matched], [("src/shared_header.hpp", 11)])
        result = self.project.lint("--format", "jsonl", "--header-filter=other/",
                                   files=["includer_one.cpp", "includer_two.cpp"])
        self.assertEqual((result.returncode, result.stdout), (0, ""), result.stderr)
        self.assertIn("Suppressed 1 warning in headers the --header-filter does not match.", result.stderr)

    def test_header_filter_never_hides_the_linted_files_own_findings(self):
        [finding] = self.project.findings("--header-filter=^$", files=["baseline.cpp"])
        self.assertEqual(finding["file"], "src/baseline.cpp")

    def test_a_bad_header_filter_exits_2_naming_the_flag(self):
        result = self.project.lint("--header-filter=(", files=["baseline.cpp"])
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("--header-filter '('", result.stderr)


CACHE_STATISTICS = re.compile(r"spawnguard-lint: cache '.*': (\d+) hit\(s\), (\d+) miss\(es\)\n")
SOURCE = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


class CacheTest(unittest.TestCase):
    """--cache-dir: a unit whose files, flags and configuration are unchanged
    reuses its findings and summary, and every output is byte for byte what
    a run without the cache prints; anything changed is linted again."""

    def setUp(self):
        self.project = Project("includer_one.cpp", "includer_two.cpp", "baseline.cpp")
        self.cache = os.path.join(self.project.root, "cache")

    def tearDown(self):
        self.project.cleanup()

    def cached(self, *args, files=()):
        """The run with the cache, its (hits, misses) and its stderr without the statistics line."""
        result = self.project.lint("--cache-dir", self.cache, *args, files=files)
        statistics = CACHE_STATISTICS.search(result.stderr)
        self.assertIsNotNone(statistics, result.stderr)
        counts = (int(statistics[1]), int(statistics[2]))
        return result, counts, CACHE_STATISTICS.sub("", result.stderr)

    def assert_same_as_uncached(self, *args, hits, misses, files=()):
        fresh = self.project.lint(*args, files=files)
        result, counts, stderr = self.cached(*args, files=files)
        self.assertEqual((result.returncode, result.stdout, stderr), (fresh.returncode, fresh.stdout, fresh.stderr))
        self.assertEqual(counts, (hits, misses))
        return result

    def test_a_second_identical_run_reuses_every_unit_with_the_same_output(self):
        self.assert_same_as_uncached(hits=0, misses=3)
        for output in ("text", "jsonl", "sarif"):
            result = self.assert_same_as_uncached("--format", output, hits=3, misses=0)
            self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(len([name for name in os.listdir(self.cache) if name.endswith(".entry.jsonl")]), 3)

    def test_editing_a_header_relints_exactly_the_units_that_include_it(self):
        self.assert_same_as_uncached(hits=0, misses=3)
        header = self.project.path("shared_header.hpp")
        with open(header) as source:
            text = source.read()
        # A NOLINT the cached findings know nothing of: a reused unit would still report the line.
        self.project.write("shared_header.hpp", text.replace("next_connection());", "next_connection()); // NOLINT"))
        result = self.assert_same_as_uncached("--format", "jsonl", hits=1, misses=2)
        self.assertEqual([f["file"] for f in json_lines(result.stdout)], ["src/baseline.cpp"])
        self.assert_same_as_uncached("--format", "jsonl", hits=3, misses=0)

    def test_a_changed_configuration_or_compile_flag_misses(self):
        self.assert_same_as_uncached(hits=0, misses=3)
        self.project.write(".spawnguard.yaml", "strict: true\n")
        self.assert_same_as_uncached(hits=0, misses=3)
        self.project.write(".spawnguard.yaml", "strict: true\nchecks: ['-*', 'spawnguard-detached-thread']\n")
        self.assert_same_as_uncached(hits=0, misses=3)
        self.assert_same_as_uncached("--checks=spawnguard-*", hits=0, misses=3)
        self.assert_same_as_uncached("--checks=spawnguard-*", "--extra-arg=-DNDEBUG", hits=0, misses=3)
        self.assert_same_as_uncached("--checks=spawnguard-*", "--extra-arg=-DNDEBUG", hits=3, misses=0)
        with open(os.path.join(self.project.root, "build", "compile_commands.json")) as source:
            database = json.load(source)
        database[0]["arguments"].insert(1, "-DCHANGED")
        with open(os.path.join(self.project.root, "build", "compile_commands.json"), "w") as out:
            json.dump(database, out)
        self.assert_same_as_uncached("--checks=spawnguard-*", "--extra-arg=-DNDEBUG", hits=2, misses=1)

    def test_a_reused_unit_still_counts_the_configured_names_it_declares(self):
        # serve is declared by baseline.cpp only: were that forgotten, a reused run would warn about it too.
        self.project.write(".spawnguard.yaml", "spawn-functions: ['::serve', '::nowhere::start']\n")
        result = self.assert_same_as_uncached(hits=0, misses=3)
        self.assertIn("'::nowhere::start' matches no declaration", result.stderr)
        self.assertNotIn("'::serve' matches no declaration", result.stderr)
        self.assert_same_as_uncached(hits=3, misses=0)

    def test_a_corrupt_entry_is_a_miss_with_the_right_output(self):
        self.assert_same_as_uncached("--format", "jsonl", hits=0, misses=3)
        entries = sorted(os.path.join(self.cache, name) for name in os.listdir(self.cache))
        with open(entries[0], "r+") as entry:
            entry.truncate(os.path.getsize(entries[0]) // 2)  # a run killed mid-write (no rename would show it)
        with open(entries[1], "w") as entry:
            entry.write('{"format": "spawnguard-lint cache entry", "version": 1}\n{"finding": 3}\n')
        with open(entries[2], "wb") as entry:
            entry.write(b"\xff\x00 not json\n")
        fresh = self.project.lint("--format", "jsonl")
        result, counts, stderr = self.cached("--format", "jsonl")
        self.assertEqual((result.returncode, result.stdout), (fresh.returncode, fresh.stdout))
        self.assertEqual(counts, (0, 3))
        self.assertEqual(stderr.count("spawnguard-lint: warning: cache entry '"), 3, stderr)
        self.assert_same_as_uncached("--format", "jsonl", hits=3, misses=0)

    def test_a_relative_cache_dir_is_under_the_folder_the_lint_runs_from_whatever_the_jobs(self):
        # Parallel units move the process's working directory to their own compile folders.
        command = [LINT, "-p", "build", "--root", ".", "--jobs", "3", "--cache-dir", "cache"]
        for expected in ("0 hit(s), 3 miss(es)", "3 hit(s), 0 miss(es)"):
            result = subprocess.run(command, cwd=self.project.root, capture_output=True, text=True, timeout=300)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn(f"cache '{self.cache}': {expected}", result.stderr)
        self.assertEqual(len(os.listdir(self.cache)), 3)

    def test_an_unwritable_cache_dir_exits_2_naming_it(self):
        blocker = os.path.join(self.project.root, "a-file")
        with open(blocker, "w") as out:
            out.write("not a folder\n")
        for folder in (os.path.join(blocker, "cache"), blocker):
            result = self.project.lint("--cache-dir", folder)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn(f"--cache-dir '{folder}'", result.stderr)
            self.assertIn("fix: pass --cache-dir a writable folder", result.stderr)

    def test_a_unit_that_fails_to_parse_is_never_cached(self):
        self.project.write("broken.cpp", "void broken( {\n")
        self.project.write_database(["broken.cpp", "baseline.cpp"])
        for _ in range(2):
            result, counts, _ = self.cached()
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn("failed to parse", result.stderr)
        self.assertEqual(counts, (1, 1))

    def test_cross_unit_findings_are_the_same_from_the_cache(self):
        # The spawn is in one unit, the loop that repeats it in another: only the merge sees both.
        self.project.write("starter.cpp", "#include <thread>\nvoid serve(int connection);\n"
                                          "void start(int connection) { std::thread(serve, connection).detach(); }\n")
        self.project.write("acceptor.cpp", "int next_connection();\nvoid start(int connection);\n"
                                           "void accept_forever() {\n  for (;;) {\n    start(next_connection());\n"
                                           "  }\n}\n")
        self.project.write_database(["starter.cpp", "acceptor.cpp"])
        alone = self.project.findings("--no-cross-tu")
        self.assert_same_as_uncached("--format", "jsonl", hits=0, misses=2)
        result = self.assert_same_as_uncached("--format", "jsonl", hits=2, misses=0)
        self.assertGreater(len(json_lines(result.stdout)), len(alone), "the merge adds nothing to test")
        self.assert_same_as_uncached("--format", "sarif", hits=2, misses=0)

    def test_fix_its_round_trip_through_the_cache(self):
        fixes = os.path.join(SOURCE, "fixtures", "analyzer", "fixes")
        shutil.copy(os.path.join(fixes, "callback_session_and_posts.cpp"), self.project.src)
        shutil.copy(os.path.join(fixes, ".spawnguard.yaml"), self.project.src)
        database = [{"directory": self.project.src, "file": self.project.path("callback_session_and_posts.cpp"),
                     "arguments": ["clang++-19", "-std=c++20", "-I" + os.path.join(SOURCE, "runtime-guard", "include"),
                                   "-c", "callback_session_and_posts.cpp"]}]
        with open(os.path.join(self.project.root, "build", "compile_commands.json"), "w") as out:
            json.dump(database, out)
        exported = {}
        for run, expected_counts in (("fresh", None), ("stored", (0, 1)), ("reused", (1, 0))):
            path = os.path.join(self.project.root, f"{run}.yaml")
            if expected_counts is None:
                result = self.project.lint("--format", "sarif", "--export-fixes", path)
            else:
                result, counts, _ = self.cached("--format", "sarif", "--export-fixes", path)
                self.assertEqual(counts, expected_counts)
            self.assertEqual(result.returncode, 1, result.stderr)
            with open(path) as source:
                exported[run] = (result.stdout, source.read().replace(path, "FILE"))
        self.assertIn('"fixes"', exported["fresh"][0])
        self.assertEqual(exported["stored"], exported["fresh"])
        self.assertEqual(exported["reused"], exported["fresh"])


def json_lines(text):
    return [json.loads(line) for line in text.splitlines()]


if __name__ == "__main__":
    LINT = os.path.abspath(sys.argv.pop(1))
    unittest.main()
