#!/usr/bin/env python3
"""spawnguard-lint when things go wrong: a full disk or a closed stdout, a
translation unit that crashes clang's parser, pathological control flow, a
compile database that lists a file many times, and user mistakes that must be
a clear exit 2 naming the thing and the fix. Each test runs the real binary on
a fresh folder with its own compile database.

usage: lint_robustness_test.py LINT_BINARY [unittest args...]
"""
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
LINT = None

# One unbounded spawn (a thread per connection, kept in a vector): one finding.
SPAWNS = """#include <thread>
#include <vector>

int next_connection();
void serve(int connection);

void accept_forever(std::vector<std::thread> &threads) {
  for (;;) {
    threads.emplace_back(serve, next_connection());
  }
}
"""
CLEAN = "int answer() { return 42; }\n"


def deep_parens(depth):
    """An expression clang's parser recurses on once per parenthesis: 1,000,000
    levels (with -fbracket-depth raised, DEEP_FLAGS) overflow even the 256 MiB
    stack a unit gets (clang++-19 -fsyntax-only dies with SIGSEGV in 0.4 s)."""
    return "int deep = " + "(" * depth + "1" + ")" * depth + ";\n"


DEEP_FLAGS = ["-fbracket-depth=2000000"]


def else_if_chain(branches):
    body = "\n".join(f"    {'if' if k == 0 else '} else if'} (kind == {k}) {{\n      std::thread(work, {k}).detach();"
                     for k in range(branches))
    return ("#include <thread>\nint next_kind();\nvoid work(int);\nbool stopped();\n"
            f"void serve() {{\n  while (!stopped()) {{\n    int kind = next_kind();\n{body}\n    }}\n  }}\n}}\n")


class Project:
    """A temporary source tree (a git-less repo root) with a compile database."""

    def __init__(self, sources, flags=None):
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="spawnguard-robust-"))
        self.src = os.path.join(self.root, "src")
        self.build = os.path.join(self.root, "build")
        os.makedirs(self.src)
        os.makedirs(self.build)
        for name, text in sources.items():
            self.write(name, text)
        self.write_database([{"directory": self.src, "file": self.path(name),
                              "arguments": ["clang++-19", "-std=c++20", *(flags or {}).get(name, []), "-c", name]}
                             for name in sorted(sources) if name.endswith(".cpp")])

    def write_database(self, entries):
        with open(os.path.join(self.build, "compile_commands.json"), "w") as out:
            json.dump(entries, out)

    def path(self, *parts):
        return os.path.join(self.src, *parts)

    def write(self, name, text):
        with open(self.path(name), "w") as out:
            out.write(text)

    def lint(self, *args, files=(), stdout=subprocess.PIPE, preexec_fn=None, timeout=600):
        command = [LINT, "-p", self.build, "--root", self.root, *args, *[self.path(name) for name in files]]
        return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=timeout,
                              preexec_fn=preexec_fn, cwd=self.root)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def read(path):
    with open(path) as source:
        return source.read()


def file_size_limit(limit):
    """preexec_fn: writes past `limit` bytes fail with EFBIG (a full disk, for
    root too); SIGXFSZ ignored so the write returns the error."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


class AtomicOutputTest(unittest.TestCase):
    """Item 7: output files are replaced whole or not at all; failed writes are exit 2."""

    def setUp(self):
        self.project = Project({"spawns.cpp": SPAWNS})

    def tearDown(self):
        self.project.cleanup()

    def assert_exit_2_naming(self, result, thing):
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(thing, result.stderr)

    def test_write_baseline_to_a_full_device_exits_2_naming_it(self):
        result = self.project.lint("--write-baseline", "/dev/full", files=["spawns.cpp"])
        self.assert_exit_2_naming(result, "cannot write baseline '/dev/full'")

    def test_output_file_on_a_full_device_exits_2_in_every_format(self):
        for output_format in ("text", "sarif", "jsonl"):
            with self.subTest(output_format):
                result = self.project.lint("--format", output_format, "-o", "/dev/full", files=["spawns.cpp"])
                self.assert_exit_2_naming(result, "cannot write output file '/dev/full'")

    def test_a_baseline_that_cannot_be_written_whole_leaves_the_previous_one_untouched(self):
        baseline = os.path.join(self.project.root, "baseline.json")
        self.assertEqual(self.project.lint("--write-baseline", baseline, files=["spawns.cpp"]).returncode, 0)
        good = read(baseline)
        self.assertGreater(len(good), 120)
        result = self.project.lint("--write-baseline", baseline, files=["spawns.cpp"],
                                   preexec_fn=file_size_limit(100))
        self.assert_exit_2_naming(result, f"cannot write baseline '{baseline}'")
        self.assertEqual(read(baseline), good)
        self.assertFalse([name for name in os.listdir(self.project.root) if ".tmp-" in name])

    def test_an_output_file_that_cannot_be_written_whole_leaves_the_previous_one_untouched(self):
        output = os.path.join(self.project.root, "findings.sarif")
        self.assertEqual(self.project.lint("--format", "sarif", "-o", output, files=["spawns.cpp"]).returncode, 1)
        good = read(output)
        result = self.project.lint("--format", "sarif", "-o", output, files=["spawns.cpp"],
                                   preexec_fn=file_size_limit(200))
        self.assert_exit_2_naming(result, f"cannot write output file '{output}'")
        self.assertEqual(read(output), good)
        self.assertFalse([name for name in os.listdir(self.project.root) if ".tmp-" in name])

    def test_an_output_path_under_a_regular_file_exits_2_naming_it(self):
        blocker = os.path.join(self.project.root, "not-a-folder")
        with open(blocker, "w") as out:
            out.write("a file\n")
        result = self.project.lint("-o", os.path.join(blocker, "findings.txt"), files=["spawns.cpp"])
        self.assert_exit_2_naming(result, f"cannot write output file '{blocker}/findings.txt'")

    def test_standard_output_on_a_full_device_exits_2(self):
        with open("/dev/full", "w") as full:
            result = self.project.lint(files=["spawns.cpp"], stdout=full)
        self.assert_exit_2_naming(result, "cannot write to standard output")

    def test_a_closed_standard_output_exits_2(self):
        result = self.project.lint(files=["spawns.cpp"], stdout=None, preexec_fn=lambda: os.close(1))
        self.assert_exit_2_naming(result, "standard output is closed")


class CrashRecoveryTest(unittest.TestCase):
    """Item 8: a unit that crashes clang's parser fails alone, named; the others' findings are written."""

    @classmethod
    def setUpClass(cls):
        cls.project = Project({"spawns.cpp": SPAWNS, "deep.cpp": deep_parens(1_000_000)},
                              flags={"deep.cpp": DEEP_FLAGS})
        cls.sarif = os.path.join(cls.project.root, "findings.sarif")
        cls.result = cls.project.lint("--jobs", "2", "--format", "sarif", "-o", cls.sarif)

    @classmethod
    def tearDownClass(cls):
        cls.project.cleanup()

    def test_the_crashing_unit_is_named_and_the_run_exits_2(self):
        self.assertEqual(self.result.returncode, 2, self.result.stderr)
        self.assertRegex(self.result.stderr, r"'[^']*/deep\.cpp' crashed clang's parser or spawnguard-lint")
        self.assertIn("1 translation unit(s) failed", self.result.stderr)

    def test_the_other_units_findings_are_still_written(self):
        run = json.loads(read(self.sarif))["runs"][0]
        self.assertEqual([r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]],
                         ["src/spawns.cpp"])

    def test_sarif_says_the_run_was_not_successful(self):
        invocation = json.loads(read(self.sarif))["runs"][0]["invocations"][0]
        self.assertIs(invocation["executionSuccessful"], False)
        self.assertIn("deep.cpp", invocation["toolExecutionNotifications"][0]["message"]["text"])

    def test_a_successful_run_says_so_in_sarif(self):
        sarif = os.path.join(self.project.root, "spawns.sarif")
        result = self.project.lint("--format", "sarif", "-o", sarif, files=["spawns.cpp"])
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIs(json.loads(read(sarif))["runs"][0]["invocations"][0]["executionSuccessful"], True)

    def test_a_failed_unit_does_not_rewrite_the_baseline(self):
        baseline = os.path.join(self.project.root, "baseline.json")
        with open(baseline, "w") as out:
            out.write('{"version": 1, "tool": "spawnguard-lint", "findings": []}\n')
        result = self.project.lint("--write-baseline", baseline, files=["spawns.cpp", "deep.cpp"])
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("was left as it was", result.stderr)
        self.assertEqual(json.loads(read(baseline))["findings"], [])


class PathChainTest(unittest.TestCase):
    """Item 9: path analyses stay near-linear (400 branches took 100 s)."""

    def test_an_else_if_chain_of_400_spawns_lints_in_a_few_times_clangs_parse(self):
        project = Project({"chain.cpp": else_if_chain(400)})
        try:
            start = time.monotonic()
            subprocess.run(["clang++-19", "-std=c++20", "-fsyntax-only", project.path("chain.cpp")], check=True)
            clang = time.monotonic() - start
            start = time.monotonic()
            result = project.lint("--format", "jsonl", files=["chain.cpp"])
            lint = time.monotonic() - start
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertEqual(len(result.stdout.splitlines()), 400)
            self.assertLess(lint, 5 * clang + 5, f"lint {lint:.1f}s against clang {clang:.1f}s")
        finally:
            project.cleanup()


class DuplicateCommandTest(unittest.TestCase):
    """Item 10: each distinct (file, command, directory) is linted once."""

    def test_a_file_listed_500_times_is_linted_once(self):
        project = Project({"spawns.cpp": SPAWNS})
        try:
            entry = {"directory": project.src, "file": project.path("spawns.cpp"),
                     "arguments": ["clang++-19", "-std=c++20", "-c", "spawns.cpp"]}
            project.write_database([entry] * 500)
            start = time.monotonic()
            result = project.lint("--format", "jsonl", timeout=120)
            elapsed = time.monotonic() - start
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertEqual(len(result.stdout.splitlines()), 1)
            self.assertLess(elapsed, 30, "500 copies were parsed one by one")
        finally:
            project.cleanup()


class ClearErrorTest(unittest.TestCase):
    """Item 11: each mistake is exit 2 with a message naming the thing and the fix."""

    def setUp(self):
        self.project = Project({"spawns.cpp": SPAWNS, "clean.cpp": CLEAN})

    def tearDown(self):
        self.project.cleanup()

    def assert_refused(self, result, *patterns):
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        for pattern in patterns:
            self.assertRegex(result.stderr, pattern)
        self.assertRegex(result.stderr, "fix: |\\(")
        self.assertNotIn("please report it", result.stderr)

    def entry(self, **changes):
        entry = {"directory": self.project.src, "file": self.project.path("clean.cpp"),
                 "arguments": ["clang++-19", "-c", "clean.cpp"]}
        entry.update(changes)
        return {key: value for key, value in entry.items() if value is not None}

    def test_a_relative_directory_in_the_database_is_named(self):
        self.project.write_database([self.entry(directory="src")])
        self.assert_refused(self.project.lint(), r"entry 0 \('[^']*clean\.cpp'\) has a relative \"directory\" \('src'\)",
                            "make \"directory\" an absolute path")

    def test_a_missing_directory_in_the_database_is_named(self):
        self.project.write_database([self.entry(directory=None)])
        self.assert_refused(self.project.lint(), r"entry 0 \('[^']*clean\.cpp'\) has no \"directory\"")

    def test_an_empty_database_is_refused(self):
        self.project.write_database([])
        self.assert_refused(self.project.lint(), r"no compile commands \(\[\]\): nothing to lint")

    def write_config(self, text):
        self.project.write(".spawnguard.yaml", text)
        return self.project.lint(files=["clean.cpp"])

    def test_a_config_that_is_not_a_mapping_names_its_line(self):
        self.assert_refused(self.write_config("- checks\n- strict\n"),
                            r"\.spawnguard\.yaml:1:1: the configuration is a list, not a mapping of keys")

    def test_a_yaml_alias_is_refused_at_its_line_with_its_key(self):
        self.assert_refused(self.write_config("checks: &all ['-*']\nspawn-functions: *all\n"),
                            r"\.spawnguard\.yaml:1:\d+: bad value for key 'checks': YAML anchors and aliases")

    def test_an_anchor_cut_by_a_byte_yaml_rejects_is_an_error_not_a_crash(self):
        # Found by lint_config_fuzz (docs/reliability.md): the shape check read
        # a location outside the buffer and crashed the lint.
        for text in (b"s: &a[\0", b"s: &a[\x93"):
            with self.subTest(text=text):
                with open(self.project.path(".spawnguard.yaml"), "wb") as out:
                    out.write(text)
                self.assert_refused(self.project.lint(files=["clean.cpp"]), r"\.spawnguard\.yaml")

    def test_a_list_entry_of_the_wrong_kind_names_line_and_key(self):
        self.assert_refused(self.write_config("strict: true\nwait-functions:\n  - ::db::query\n  - {a: b}\n"),
                            r"\.spawnguard\.yaml:4:\d+: bad value for key 'wait-functions': a list entry is a mapping")

    def test_strict_given_a_list_names_line_and_key(self):
        self.assert_refused(self.write_config("strict: [true]\n"),
                            r"\.spawnguard\.yaml:1:\d+: bad value for key 'strict': found a list")

    def test_an_empty_function_name_is_refused(self):
        self.assert_refused(self.write_config("spawn-functions: ['::jobs::submit', '']\n"),
                            r"\.spawnguard\.yaml:1:37: bad value for key 'spawn-functions': an empty name")

    def test_an_invalid_glob_is_refused(self):
        self.assert_refused(self.write_config("skip-paths: ['third_party/[abc']\n"),
                            r"\.spawnguard\.yaml:1:14: bad value for key 'skip-paths': invalid glob "
                            r"'third_party/\[abc'")

    def write_baseline(self, document):
        path = os.path.join(self.project.root, "baseline.json")
        with open(path, "w") as out:
            json.dump(document, out)
        return path

    def test_a_baseline_of_another_version_is_refused(self):
        path = self.write_baseline({"version": 7, "tool": "spawnguard-lint", "findings": []})
        self.assert_refused(self.project.lint("--baseline", path, files=["clean.cpp"]),
                            r"baseline '[^']*' has version 7, this spawnguard-lint reads version 1")

    def test_a_baseline_of_another_tool_is_refused(self):
        path = self.write_baseline({"version": 1, "tool": "clang-tidy", "findings": []})
        self.assert_refused(self.project.lint("--baseline", path, files=["clean.cpp"]),
                            r"baseline '[^']*' was not written by spawnguard-lint \(\"tool\": \"clang-tidy\"\)")

    def test_a_bad_baseline_is_refused_before_any_parsing(self):
        # The unit would crash the parser: the baseline is checked first.
        self.project.write("deep.cpp", deep_parens(1_000_000))
        self.project.write_database([self.entry(file=self.project.path("deep.cpp"),
                                                arguments=["clang++-19", *DEEP_FLAGS, "-c", "deep.cpp"])])
        path = self.write_baseline({"findings": []})
        start = time.monotonic()
        result = self.project.lint("--baseline", path)
        self.assert_refused(result, "was not written by spawnguard-lint")
        self.assertLess(time.monotonic() - start, 1.5)

    def test_jobs_zero_is_refused(self):
        self.assert_refused(self.project.lint("--jobs", "0", files=["clean.cpp"]), "--jobs 0", "--jobs N with N >= 1")

    def test_a_missing_root_is_refused(self):
        result = subprocess.run([LINT, "-p", self.project.build, "--root", "/nonexistent", self.project.path("clean.cpp")],
                                capture_output=True, text=True, timeout=60)
        self.assert_refused(result, "--root '/nonexistent' is not a folder")


class ShardSetTest(unittest.TestCase):
    """Item 11: --merge knows the shard set; a missing shard or summary is exit 2, not fewer findings."""

    def setUp(self):
        self.project = Project({"spawns.cpp": SPAWNS, "clean.cpp": CLEAN})
        self.folders = []
        for shard, name in enumerate(["clean.cpp", "spawns.cpp"]):
            folder = os.path.join(self.project.root, f"shard-{shard}")
            result = self.project.lint("--summaries-dir", folder, files=[name])
            self.assertEqual(result.returncode, 0, result.stderr)
            self.folders.append(folder)

    def tearDown(self):
        self.project.cleanup()

    def merge(self, folders):
        return subprocess.run([LINT, "--root", self.project.root, "--format", "jsonl",
                               *[part for folder in folders for part in ("--merge", folder)]],
                              capture_output=True, text=True, timeout=120)

    def test_every_shard_merged_reports_the_finding(self):
        result = self.merge(self.folders)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(len(result.stdout.splitlines()), 1)

    def test_a_missing_shard_is_refused_naming_a_file_no_shard_covers(self):
        result = self.merge(self.folders[:1])
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertRegex(result.stderr, r"1 file\(s\) of the compilation database '[^']*' are in no shard given to "
                                        r"--merge \(first: '[^']*spawns\.cpp'\): a shard is missing")
        self.assertEqual(result.stdout, "")

    def test_a_shard_with_a_failed_unit_cannot_be_merged_as_complete(self):
        self.project.write("clean.cpp", "int broken( {\n")
        folder = os.path.join(self.project.root, "shard-failed")
        result = self.project.lint("--summaries-dir", folder, files=["clean.cpp", "spawns.cpp"])
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("no shard.json, so --merge refuses this shard", result.stderr)
        self.assertEqual(len([name for name in os.listdir(folder) if name.endswith(".summary.json")]), 1)
        merged = self.merge([folder])
        self.assertEqual(merged.returncode, 2, merged.stderr)
        self.assertRegex(merged.stderr, r"shard '[^']*shard-failed' has no readable shard\.json")

    def test_a_missing_summary_inside_a_shard_is_named(self):
        summary = [name for name in os.listdir(self.folders[1]) if name.endswith(".summary.json")][0]
        os.remove(os.path.join(self.folders[1], summary))
        result = self.merge(self.folders)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertRegex(result.stderr, r"linted '[^']*spawns\.cpp' but its summary '[^']*' is missing")


if __name__ == "__main__":
    LINT = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0], *sys.argv[2:]], verbosity=2)
