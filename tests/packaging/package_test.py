#!/usr/bin/env python3
"""What `cmake --install` installs, and spawnguard's Debian packages as a user
gets them: their metadata (dpkg-deb --info), their contents unpacked into a
scratch root (dpkg-deb -x, through scripts/install-package.sh --root), the
unpacked lint run on fixtures, tests/consumer built against the unpacked dev
package, and the commands of the Dockerfile and the README's install block.
The packages come from scripts/package.sh (CTest: packaging.debs).

usage: package_test.py --debs DIR --work DIR --source DIR --build DIR --version X.Y.Z --cxx CXX [unittest args...]
"""
import argparse
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import check_fixtures  # noqa: E402  (the fixtures' expectations and compile database)
from readme_blocks import readme_block  # noqa: E402

ARGS = None
REPORTED_FIXTURE = "unbounded-spawn/accept_loop_co_spawn_boost.cpp"
CLEAN_FIXTURE = "unbounded-spawn/clean_counting_semaphore.cpp"


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)


def arch():
    return run(["dpkg", "--print-architecture"]).stdout.strip()


def deb(name):
    return os.path.join(ARGS.debs, f"{name}_{ARGS.version}_{arch()}.deb")


def field(package, name):
    result = run(["dpkg-deb", "--field", package, name])
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def contents(package):
    result = run(["dpkg-deb", "--contents", package])
    assert result.returncode == 0, result.stderr
    return {line.split()[-1].lstrip(".") for line in result.stdout.splitlines()}


def unpacked_root(name):
    """Both packages installed as the package tests install them: apt checks
    their dependencies resolve here, dpkg-deb -x unpacks them into a scratch root."""
    root = os.path.join(ARGS.work, name)
    shutil.rmtree(root, ignore_errors=True)
    result = run(["bash", os.path.join(ARGS.source, "scripts", "install-package.sh"), "--root", root,
                  deb("spawnguard-lint"), deb("libspawnguard-dev")])
    assert result.returncode == 0, f"install-package.sh --root failed:\n{result.stderr}"
    return root


def run_install_command(test, command, root):
    """Runs a documented install command here: install-package.sh unpacks into
    ROOT (--root: the same apt dependency check, nothing installed) and
    spawnguard-lint is the one unpacked there. Any other command fails TEST."""
    if re.match(r"bash \S*install-package\.sh ", command):
        command = command.replace("install-package.sh ", f"install-package.sh --root {root} ", 1)
    elif not command.startswith("spawnguard-lint "):
        test.fail(f"the package tests cannot run this command here: {command}")
    env = dict(os.environ, PATH=f"{root}/usr/bin:{os.environ['PATH']}")
    result = run(["bash", "-euo", "pipefail", "-c", command], env=env)
    test.assertEqual(result.returncode, 0, f"{command}\n{result.stdout}{result.stderr}")
    return result


class InstallTest(unittest.TestCase):
    def test_cmake_install_puts_everything_a_user_needs_under_the_prefix(self):
        prefix = os.path.join(ARGS.work, "prefix")
        shutil.rmtree(prefix, ignore_errors=True)
        result = run(["cmake", "--install", ARGS.build, "--prefix", prefix])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        pages = [os.path.basename(p) for p in glob.glob(os.path.join(ARGS.source, "docs", "checks", "*.md"))]
        self.assertTrue(pages)
        for path in ["bin/spawnguard-lint", "lib/spawnguard/libSpawnguardTidyModule.so",
                     "include/spawnguard/spawnguard.hpp", "lib/libspawnguard_runtime.a",
                     "lib/cmake/spawnguard/spawnguardConfig.cmake", "lib/cmake/spawnguard/spawnguardTargets.cmake",
                     "share/spawnguard/monitoring/spawnguard-alerts.yaml",
                     *(f"share/doc/spawnguard-lint/checks/{page}" for page in pages)]:
            self.assertTrue(os.path.isfile(os.path.join(prefix, path)), f"cmake --install put no {path}")
        version = run([os.path.join(prefix, "bin", "spawnguard-lint"), "--version"])
        self.assertEqual(version.returncode, 0, version.stderr)


class MetadataTest(unittest.TestCase):
    def test_packages_are_named_name_version_arch(self):
        names = sorted(os.path.basename(path) for path in glob.glob(os.path.join(ARGS.debs, "*.deb")))
        self.assertEqual(names, sorted(os.path.basename(deb(n)) for n in ("spawnguard-lint", "libspawnguard-dev")))

    def test_info_names_the_package_version_and_architecture(self):
        for name in ("spawnguard-lint", "libspawnguard-dev"):
            info = run(["dpkg-deb", "--info", deb(name)])
            self.assertEqual(info.returncode, 0, info.stderr)
            self.assertRegex(info.stdout, rf"(?m)^ Package: {re.escape(name)}$")
            self.assertRegex(info.stdout, rf"(?m)^ Version: {re.escape(ARGS.version)}$")
            self.assertRegex(info.stdout, rf"(?m)^ Architecture: {arch()}$")
            self.assertRegex(info.stdout, r"(?m)^ Maintainer: .+<.+@.+>$")
            self.assertRegex(info.stdout, r"(?m)^ Description: \S.+\n  \S")  # summary and a long text

    def test_lint_depends_on_the_llvm_19_libraries_it_links(self):
        depends = [d.strip() for d in field(deb("spawnguard-lint"), "Depends").split(",")]
        names = {re.match(r"[\w.+-]+", d).group(0) for d in depends}
        # Computed by dpkg-shlibdeps from the binary's NEEDED entries (libllvm19's
        # shlibs file names no version; the others' symbols files do).
        self.assertIn("libllvm19", names)
        for library in ("libclang-cpp19", "libc6", "libstdc++6"):
            self.assertTrue(any(re.match(rf"{re.escape(library)} \(>= [^)]+\)", d) for d in depends), depends)
        self.assertIn("libclang-common-19-dev", names)  # the builtin headers clang parses with

    def test_dev_depends_on_the_headers_its_cmake_package_finds(self):
        # Boost.Asio or standalone Asio: each gives its runtime's target.
        depends = {" | ".join(a.strip().split()[0] for a in d.split("|"))
                   for d in field(deb("libspawnguard-dev"), "Depends").split(",")}
        self.assertEqual(depends, {"libboost1.81-dev | libasio-dev", "libfmt-dev"})
        self.assertIn("libasio-dev", field(deb("libspawnguard-dev"), "Suggests"))

    def test_lint_package_holds_the_binary_and_the_check_pages(self):
        files = contents(deb("spawnguard-lint"))
        self.assertIn("/usr/bin/spawnguard-lint", files)
        self.assertIn("/usr/lib/spawnguard/libSpawnguardTidyModule.so", files)
        self.assertIn("clang-tidy-19", field(deb("spawnguard-lint"), "Suggests"))
        pages = {os.path.basename(p) for p in glob.glob(os.path.join(ARGS.source, "docs", "checks", "*.md"))}
        self.assertTrue(pages)
        for page in pages:
            self.assertIn(f"/usr/share/doc/spawnguard-lint/checks/{page}", files)
        self.assertFalse([f for f in files if "/include/" in f or f.endswith(".a")], "dev files in the lint package")

    def test_dev_package_holds_headers_library_and_cmake_package(self):
        files = contents(deb("libspawnguard-dev"))
        for path in ("/usr/include/spawnguard/spawnguard.hpp", "/usr/lib/libspawnguard_runtime.a",
                     "/usr/include/spawnguard/detail/asio.hpp", "/usr/lib/libspawnguard_runtime_standalone.a",
                     "/usr/lib/cmake/spawnguard/spawnguardConfig.cmake",
                     "/usr/lib/cmake/spawnguard/spawnguardConfigVersion.cmake",
                     "/usr/lib/cmake/spawnguard/spawnguardTargets.cmake",
                     "/usr/lib/cmake/spawnguard/spawnguardStandaloneTargets.cmake",
                     "/usr/share/spawnguard/monitoring/spawnguard-alerts.yaml"):
            self.assertIn(path, files)
        self.assertFalse([f for f in files if f.startswith("/usr/bin/")], "programs in the dev package")


class LintFromPackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = unpacked_root("lint-root")
        cls.lint = os.path.join(cls.root, "usr", "bin", "spawnguard-lint")

    def lint_fixture(self, relative):
        path = os.path.join(ARGS.source, "fixtures", "analyzer", relative)
        expected, _, flags = check_fixtures.expectations(path)
        folder = os.path.join(ARGS.work, "db-" + os.path.basename(path))
        check_fixtures.write_database(folder, {path: flags})
        result = run([self.lint, "-p", folder, "--no-cross-tu", "--format", "jsonl",
                      "--root", os.path.dirname(path), path])
        found = set()
        for line in result.stdout.splitlines():
            finding = json.loads(line)
            found.add((finding["check"], finding["line"], finding["column"]))
        return result, expected, found

    def test_unpacked_lint_runs_without_the_build_tree(self):
        result = run([self.lint, "--version"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, rf"spawnguard-lint {re.escape(ARGS.version)} \(LLVM 19")
        dynamic = run(["readelf", "-d", self.lint]).stdout
        self.assertNotIn("RUNPATH", dynamic)  # Debian's LLVM libraries are on the loader's path
        self.assertNotIn(".debug_info", run(["readelf", "-S", self.lint]).stdout)  # stripped

    def test_reported_fixture_exits_1_with_its_finding(self):
        result, expected, found = self.lint_fixture(REPORTED_FIXTURE)
        self.assertTrue(expected)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(found, expected)

    def test_unpacked_clang_tidy_plugin_reports_the_fixtures_finding(self):
        plugin = os.path.join(self.root, "usr", "lib", "spawnguard", "libSpawnguardTidyModule.so")
        path = os.path.join(ARGS.source, "fixtures", "analyzer", REPORTED_FIXTURE)
        expected, _, flags = check_fixtures.expectations(path)
        folder = os.path.join(ARGS.work, "tidy-db-" + os.path.basename(path))
        check_fixtures.write_database(folder, {path: flags})
        result = run(["clang-tidy-19", f"--load={plugin}", "-checks=-*,spawnguard-*", "-p", folder, path])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        found = {(check, int(line), int(column)) for line, column, check in
                 re.findall(r"^\S+:(\d+):(\d+): warning: .* \[(spawnguard-[\w-]+)\]$", result.stdout, re.MULTILINE)}
        self.assertEqual(found, expected)

    def test_clean_fixture_exits_0_with_no_finding(self):
        result, expected, found = self.lint_fixture(CLEAN_FIXTURE)
        self.assertEqual(expected, set())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(found, set())


class ConsumerTest(unittest.TestCase):
    def test_consumer_builds_against_the_unpacked_dev_package(self):
        root = unpacked_root("consumer-root")
        result = run(["cmake", f"-DSOURCE_DIR={ARGS.source}", f"-DWORK_DIR={ARGS.work}/consumer",
                      f"-DCXX={ARGS.cxx}", f"-DPREFIX={root}/usr",
                      "-P", os.path.join(ARGS.source, "tests", "consumer", "run_consumer_test.cmake")])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        # run_consumer_test.cmake builds a Boost.Asio, a standalone-Asio and a both-in-one consumer.
        for flavour in ("boost.asio:", "standalone asio:"):
            self.assertIn(flavour, result.stdout + result.stderr)
        self.assertIn("consumer: ok", result.stdout + result.stderr)


class DockerfileTest(unittest.TestCase):
    """No container engine here: the Dockerfile's commands are run on this
    machine instead, /tmp/spawnguard being a scratch folder and the install
    going to a scratch root (install-package.sh --root: the same apt
    dependency check, unpacked instead of installed)."""

    STAGE = "/tmp/spawnguard/"

    def instructions(self):
        with open(os.path.join(ARGS.source, "Dockerfile"), encoding="utf-8") as dockerfile:
            lines = [line.strip() for line in dockerfile if line.strip() and not line.startswith("#")]
        return [line.split(None, 1) for line in lines]

    def test_image_is_debian_12_and_runs_the_lint(self):
        instructions = self.instructions()
        self.assertEqual(instructions[0], ["FROM", "debian:12"])
        self.assertIn(["ENTRYPOINT", '["spawnguard-lint"]'], instructions)

    def test_dockerignore_lets_through_what_the_image_copies(self):
        with open(os.path.join(ARGS.source, ".dockerignore"), encoding="utf-8") as ignore:
            patterns = [line.strip() for line in ignore if line.strip() and not line.startswith("#")]
        self.assertEqual(patterns[0], "*")  # the build tree and sources stay out of the context
        for instruction, argument in self.instructions():
            if instruction == "COPY":
                for source in shlex.split(argument)[:-1]:
                    self.assertIn(f"!{source}", patterns)

    def test_every_command_in_the_dockerfile_works_here(self):
        stage = os.path.join(ARGS.work, "docker-stage")
        root = os.path.join(ARGS.work, "docker-root")
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(stage)
        runs = 0
        for instruction, argument in self.instructions():
            if instruction == "COPY":
                *sources, destination = shlex.split(argument)
                self.assertEqual(destination, self.STAGE)
                for source in sources:
                    # build/packages/ is where scripts/package.sh puts them; here, the test's packages.
                    pattern = (os.path.join(ARGS.debs, source[len("build/packages/"):])
                               if source.startswith("build/packages/") else os.path.join(ARGS.source, source))
                    matches = glob.glob(pattern)
                    self.assertTrue(matches, f"COPY {source}: nothing matches")
                    for match in matches:
                        shutil.copy(match, stage)
            elif instruction == "RUN":
                run_install_command(self, argument.replace(self.STAGE, stage + "/"), root)
                runs += 1
        self.assertGreaterEqual(runs, 2)
        self.assertTrue(os.path.isfile(os.path.join(root, "usr", "bin", "spawnguard-lint")))


class ReadmeTest(unittest.TestCase):
    """The README's install block works as written (build/packages/ being
    where scripts/package.sh puts the packages), and its CMake lines are the
    ones tests/consumer builds against the package."""

    def test_install_block_installs_the_lint(self):
        root = os.path.join(ARGS.work, "readme-root")
        shutil.rmtree(root, ignore_errors=True)
        block = readme_block(ARGS.source, "sh", "scripts/install-package.sh")
        commands = [line for line in block.splitlines() if line.strip()]
        for command in commands:
            command = command.replace("scripts/", os.path.join(ARGS.source, "scripts") + "/")
            result = run_install_command(self, command.replace("build/packages/", ARGS.debs + "/"), root)
        self.assertRegex(result.stdout, rf"spawnguard-lint {re.escape(ARGS.version)} ")
        self.assertTrue(os.path.isfile(os.path.join(root, "usr", "include", "spawnguard", "spawnguard.hpp")))

    def test_cmake_block_is_what_the_consumer_builds(self):
        with open(os.path.join(ARGS.source, "tests", "consumer", "CMakeLists.txt"), encoding="utf-8") as consumer:
            consumer_lines = {line.strip() for line in consumer}
        for line in readme_block(ARGS.source, "cmake", "find_package(spawnguard").splitlines():
            self.assertIn(line.strip().replace("(app ", "(consumer "), consumer_lines)


class ScriptErrorsTest(unittest.TestCase):
    """Bad input to the packaging scripts is named, with the fix."""

    def script(self, name, *args):
        return run(["bash", os.path.join(ARGS.source, "scripts", name), *args])

    def test_install_package_without_packages(self):
        result = self.script("install-package.sh")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no package: pass the .deb files", result.stderr)

    def test_install_package_refuses_a_file_that_is_no_deb(self):
        result = self.script("install-package.sh", "--root", os.path.join(ARGS.work, "never"), __file__)
        self.assertEqual(result.returncode, 2)
        self.assertIn(f"'{__file__}' is not a Debian package (.deb) file", result.stderr)

    def test_install_package_refuses_dependencies_apt_cannot_resolve(self):
        folder = os.path.join(ARGS.work, "unresolvable")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(os.path.join(folder, "DEBIAN"))
        with open(os.path.join(folder, "DEBIAN", "control"), "w", encoding="utf-8") as control:
            control.write("Package: spawnguard-unresolvable\nVersion: 1\nArchitecture: all\n"
                          "Maintainer: test <test@invalid>\nDepends: spawnguard-no-such-package\n"
                          "Description: a package whose dependency does not exist\n")
        package = folder + ".deb"
        self.assertEqual(run(["dpkg-deb", "--build", folder, package]).returncode, 0)
        root = os.path.join(ARGS.work, "unresolvable-root")
        result = self.script("install-package.sh", "--root", root, package)
        self.assertEqual(result.returncode, 1)
        self.assertIn("their dependencies do not resolve", result.stderr)
        self.assertIn("spawnguard-no-such-package", result.stderr)
        self.assertFalse(os.path.exists(root))

    def test_package_refuses_a_folder_that_is_no_build(self):
        result = self.script("package.sh", "--build-dir", HERE)
        self.assertEqual(result.returncode, 2)
        self.assertIn("is not a configured spawnguard build (no CPackConfig.cmake)", result.stderr)
        result = self.script("package.sh", "--build-dir", "/nonexistent")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no build folder '/nonexistent'", result.stderr)
        result = self.script("package.sh", "--frobnicate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown option '--frobnicate'", result.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for flag in ("--debs", "--work", "--source", "--build", "--version", "--cxx"):
        parser.add_argument(flag, required=True)
    ARGS, rest = parser.parse_known_args()
    ARGS.debs, ARGS.work, ARGS.source, ARGS.build = (
        os.path.abspath(p) for p in (ARGS.debs, ARGS.work, ARGS.source, ARGS.build))
    os.makedirs(ARGS.work, exist_ok=True)
    unittest.main(argv=[sys.argv[0], *rest])
