#!/usr/bin/env python3
"""Cross-translation-unit linting as CI meets it: the fixture project of
fixtures/analyzer/cross-tu (the accept loop in server.cpp, the spawn in
session.cpp, the spawned handler and its waits in handler.cpp), copied into a fresh folder
with its own compile database. A whole run and two shards merged must print
the same bytes; summaries that are broken, of another version, or older than
their sources stop the merge with exit status 2.

usage: cross_tu_test.py LINT_BINARY FIXTURE_PROJECT [unittest args...]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interface"))
from lint_interface_test import line_of  # noqa: E402

LINT = None
FIXTURE = None


class Project:
    """The fixture project in a temporary folder, with build/compile_commands.json."""

    def __init__(self):
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="spawnguard-cross-tu-"))
        self.src = os.path.join(self.root, "src")
        shutil.copytree(FIXTURE, self.src)
        self.files = sorted(os.path.join(self.src, name) for name in os.listdir(self.src) if name.endswith(".cpp"))
        os.makedirs(os.path.join(self.root, "build"))
        entries = [{"directory": self.src, "file": path, "arguments": ["clang++-19", "-std=c++20", "-c", path]}
                   for path in self.files]
        with open(os.path.join(self.root, "build", "compile_commands.json"), "w") as out:
            json.dump(entries, out)

    def path(self, name):
        return os.path.join(self.src, name)

    def lint(self, *args):
        command = [LINT, "--root", self.root, *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=self.root)

    def whole_run(self, *args):
        return self.lint("-p", os.path.join(self.root, "build"), "--jobs", "2", *args)

    def write_shards(self, count):
        """Lints the files in count shards (every count-th file, two TUs at a time,
        the folder named relative to the working directory); returns their folders."""
        folders = []
        for shard in range(count):
            folder = os.path.join(self.root, f"summaries-{shard}")
            shutil.rmtree(folder, ignore_errors=True)
            result = self.lint("-p", os.path.join(self.root, "build"), "--jobs", "2",
                               "--summaries-dir", os.path.relpath(folder, self.root), *self.files[shard::count])
            if result.returncode != 0 or result.stdout:
                raise AssertionError(f"shard {shard}: exit {result.returncode}\n{result.stdout}{result.stderr}")
            folders.append(folder)
        return folders

    def merge(self, folders, *args):
        return self.lint(*[part for folder in folders for part in ("--merge", folder)], *args)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


class CrossTranslationUnitTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.project = Project()
        cls.whole = {form: cls.project.whole_run("--format", form) for form in ("jsonl", "text")}
        cls.shards = cls.project.write_shards(2)

    @classmethod
    def tearDownClass(cls):
        cls.project.cleanup()

    def findings(self, result):
        self.assertIn(result.returncode, (0, 1), result.stderr)
        return [json.loads(line) for line in result.stdout.splitlines()]

    def spawn_in_session(self, findings):
        line = line_of(self.project.path("session.cpp"), "handle(std::move(socket)), net::detached);\n")
        return [f for f in findings if f["file"] == "src/session.cpp" and f["line"] == line]

    def test_whole_run_reports_the_spawn_called_from_a_loop_in_another_file(self):
        [finding] = self.spawn_in_session(self.findings(self.whole["jsonl"]))
        self.assertEqual(finding["check"], "spawnguard-unbounded-spawn")
        self.assertEqual(finding["message"], "unbounded spawn: 'boost::asio::co_spawn' runs once per accepted "
                                             "connection and nothing limits how many run at once")
        self.assertEqual(finding["function"], "start_session")
        notes = [(note["file"], note["line"], note["message"]) for note in finding["notes"]]
        server = self.project.path("server.cpp")
        self.assertEqual(notes[0], ("src/server.cpp", line_of(server, "start_session(std::move(socket));"),
                                    "called from here, in a repeated context"))
        self.assertEqual(notes[1][0], "src/server.cpp")
        self.assertEqual(notes[1][2], "repeated by this loop")
        self.assertTrue(notes[2][2].startswith("bound it:"))

    def test_whole_run_reports_the_wait_in_a_task_spawned_from_another_file(self):
        handler = self.project.path("handler.cpp")
        read = line_of(handler, "socket.async_read_some(net::buffer(data), net::use_awaitable);")
        [finding] = [f for f in self.findings(self.whole["jsonl"])
                     if f["file"] == "src/handler.cpp" and f["line"] == read]
        self.assertEqual(finding["check"], "spawnguard-missing-deadline")
        self.assertEqual(finding["message"], "missing deadline: 'boost::asio::basic_stream_socket::async_read_some' "
                                             "waits on the network with no deadline, in a task started once per "
                                             "accepted connection")
        self.assertEqual(finding["function"], "handle")
        notes = [(note["file"], note["line"], note["message"]) for note in finding["notes"]]
        spawn = line_of(self.project.path("session.cpp"), "handle(std::move(socket)), net::detached);\n")
        self.assertEqual(notes[0], ("src/session.cpp", spawn, "the task is started here ('boost::asio::co_spawn')"))
        self.assertEqual(notes[1][1:], (line_of(self.project.path("server.cpp"), "start_session(std::move(socket));"),
                                        "called from here, in a repeated context"))
        self.assertEqual(notes[2][2], "repeated by this loop")
        self.assertTrue(notes[3][2].startswith("give it a deadline:"))

    def test_a_task_whose_wait_races_a_timer_is_not_reported(self):
        timed = line_of(self.project.path("handler.cpp"), "co_await (socket.async_read_some")
        self.assertFalse([f for f in self.findings(self.whole["jsonl"])
                          if f["file"] == "src/handler.cpp" and f["line"] == timed])

    def test_merged_findings_render_with_source_line_and_caret_like_local_ones(self):
        [finding] = self.spawn_in_session(self.findings(self.whole["jsonl"]))
        line, column = finding["line"], finding["column"]
        source = "net::co_spawn(executor, handle(std::move(socket)), net::detached);"
        self.assertIn(f"{self.project.path('session.cpp')}:{line}:{column}: warning: unbounded spawn: "
                      f"'boost::asio::co_spawn' runs once per accepted connection and nothing limits how many "
                      f"run at once [spawnguard-unbounded-spawn]\n"
                      f"{line:5} |   {source}\n"
                      f"      | {' ' * (column - 1)}^\n", self.whole["text"].stdout)

    def test_nolint_suppresses_a_finding_only_the_merge_sees(self):
        line = line_of(self.project.path("session.cpp"), "NOLINT(spawnguard-unbounded-spawn)")
        self.assertFalse([f for f in self.findings(self.whole["jsonl"])
                          if f["file"] == "src/session.cpp" and f["line"] == line])

    def test_two_shards_merged_print_the_same_bytes_as_one_run(self):
        for form in ("jsonl", "text"):
            merged = self.project.merge(self.shards, "--format", form)
            self.assertEqual(merged.returncode, self.whole[form].returncode, merged.stderr)
            self.assertEqual(merged.stdout, self.whole[form].stdout, form)

    def test_merge_in_either_folder_order_is_the_same(self):
        forward = self.project.merge(self.shards, "--format", "jsonl")
        backward = self.project.merge(list(reversed(self.shards)), "--format", "jsonl")
        self.assertEqual(forward.stdout, backward.stdout)

    def test_merge_takes_a_baseline_like_a_whole_run(self):
        baseline = os.path.join(self.project.root, "baseline.json")
        written = self.project.merge(self.shards, "--write-baseline", baseline)
        self.assertEqual(written.returncode, 0, written.stderr)
        again = self.project.merge(self.shards, "--baseline", baseline)
        self.assertEqual((again.returncode, again.stdout), (0, ""), again.stderr)

    def test_a_shard_prints_nothing_and_writes_one_summary_per_file_where_it_was_told(self):
        names = sorted(name for folder in self.shards for name in os.listdir(folder) if name != "shard.json")
        self.assertEqual(len(names), len(self.project.files))
        self.assertTrue(all(name.endswith(".summary.json") for name in names))

    def test_each_shard_records_the_database_and_what_it_linted(self):
        linted = []
        for folder in self.shards:
            with open(os.path.join(folder, "shard.json")) as source:
                manifest = json.load(source)
            self.assertEqual(sorted(manifest["database-files"]), self.project.files)
            linted += [unit["file"] for unit in manifest["units"]]
        self.assertEqual(sorted(linted), self.project.files)


class BadSummaryTest(unittest.TestCase):
    """Each test breaks one summary in a copy of the shards."""

    @classmethod
    def setUpClass(cls):
        cls.project = Project()
        cls.shards = cls.project.write_shards(2)

    @classmethod
    def tearDownClass(cls):
        cls.project.cleanup()

    def setUp(self):
        self.copies = []
        for index, folder in enumerate(self.shards):
            copy = os.path.join(self.project.root, f"copy-{index}")
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(folder, copy)
            self.copies.append(copy)

    def summary_of(self, name):
        for folder in self.copies:
            for entry in os.listdir(folder):
                if entry.startswith(name + "-"):
                    return os.path.join(folder, entry)
        raise AssertionError(f"no summary of {name}")

    def assert_merge_fails(self, *patterns):
        result = self.project.merge(self.copies, "--format", "jsonl")
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "")
        for pattern in patterns:
            self.assertRegex(result.stderr, pattern)

    def test_a_summary_that_is_not_json_names_the_file_and_the_fix(self):
        path = self.summary_of("session.cpp")
        with open(path, "w") as out:
            out.write("{ not json")
        self.assert_merge_fails("summary '" + path + "' is not JSON", "fix: re-run the shard")

    def test_a_summary_of_another_format_version_is_refused(self):
        path = self.summary_of("server.cpp")
        with open(path) as source:
            header, *records = source.read().splitlines()
        document = json.loads(header)
        document["version"] = 99
        with open(path, "w") as out:
            out.write("\n".join([json.dumps(document), *records]) + "\n")
        self.assert_merge_fails("has format version 99, this spawnguard-lint reads version 5")

    def test_a_summary_with_a_missing_field_says_where(self):
        # A header line, then one record per line ({"spawn": {...}}, ...).
        path = self.summary_of("session.cpp")
        with open(path) as source:
            lines = [json.loads(line) for line in source.read().splitlines()]
        first_spawn = next(line for line in lines[1:] if "spawn" in line)
        del first_spawn["spawn"]["where"]
        with open(path, "w") as out:
            out.write("".join(json.dumps(line) + "\n" for line in lines))
        self.assert_merge_fails("is malformed: .*missing value at summary.spawns\\[0\\].where")

    def test_a_source_edited_after_its_summary_makes_the_summary_stale(self):
        session = self.project.path("session.cpp")
        with open(session) as source:
            original = source.read()
        try:
            with open(session, "w") as out:
                out.write("// an edit above everything moves every line\n" + original)
            self.assert_merge_fails("is stale: '" + session + "' changed since the summary was written")
        finally:
            with open(session, "w") as out:
                out.write(original)

    def test_a_source_removed_after_its_summary_is_named(self):
        handler = self.project.path("handler.cpp")
        kept = handler + ".kept"
        os.rename(handler, kept)
        try:
            self.assert_merge_fails("points into '" + handler + "', which no longer exists")
        finally:
            os.rename(kept, handler)

    def test_the_same_file_in_two_shards_is_refused(self):
        shutil.copy(self.summary_of("session.cpp"), self.copies[1 - self.copies.index(
            os.path.dirname(self.summary_of("session.cpp")))])
        self.assert_merge_fails("summarises '.*session.cpp' again")

    def test_a_folder_without_summaries_is_refused(self):
        for folder in self.copies:
            shutil.rmtree(folder)
            os.makedirs(folder)
        self.assert_merge_fails("no summaries \\(\\*.summary.json\\)", "--summaries-dir")

    def test_a_removed_summary_is_named_instead_of_losing_what_its_file_showed(self):
        # The shard's manifest (shard.json) lists what it linted: fewer
        # findings without a word would pass CI on a partial merge.
        os.remove(self.summary_of("session.cpp"))
        self.assert_merge_fails("linted '.*session.cpp' but its summary '.*' is missing")

if __name__ == "__main__":
    LINT, FIXTURE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], *sys.argv[3:]], verbosity=2)
