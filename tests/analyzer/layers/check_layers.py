#!/usr/bin/env python3
"""Fails when a lower layer of spawnguard-lint includes a higher one.

Every `#include "folder/File.hpp"` in analyzer/src and analyzer/tidy is read
and the folder of the includer is compared with the folder of the included
file against LAYERS, lowest first: a file may include its own folder and the
folders below it, never one above (analyzer/README.md draws the map).

usage: check_layers.py ANALYZER_DIR     check the tree, list every violation
       check_layers.py --self-test      prove the check fails on a bad include
"""
import os
import re
import shutil
import sys
import tempfile

# Lowest first. "src" is analyzer/src/main.cpp; "tidy" is analyzer/tidy/, the
# clang-tidy plugin, a driver of its own beside spawnguard-lint's.
LAYERS = [
    "findings",     # plain data: a finding, a fix-it
    "files",        # writing files atomically, repo-relative paths
    "config",       # .spawnguard.yaml
    "ast",          # AST helpers, resolving a location
    "recognisers",  # what is a spawn, a bound, a wait
    "analysis",     # facts and analyses of one unit
    "summary",      # a unit's summary, the global call graph, summary files
    "checks",       # one class per check, both scopes, and the registry
    "fixes",        # fix-its for findings, made while the AST is alive
    "output",       # NOLINT, de-duplication, baseline, rendering, writers
    "cache",        # --cache-dir: unit keys, entries, inputs' hashes
    "driver",       # spawnguard-lint's run: plan, lint, merge, report
    "src",          # main.cpp
    "tidy",         # the clang-tidy plugin
]
# Layers that are drivers side by side: neither includes the other.
SIDE_BY_SIDE = {("tidy", "driver"), ("tidy", "src")}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def layer_of_file(analyzer, path):
    relative = os.path.relpath(path, analyzer).split(os.sep)
    if relative[0] == "tidy":
        return "tidy"
    # analyzer/src/<folder>/File or analyzer/src/main.cpp
    return relative[1] if len(relative) > 2 else "src"


def layer_of_include(include, includer_layer):
    folder = include.split("/")[0] if "/" in include else None
    if folder is None:
        return includer_layer  # "AnalyzerCheck.hpp": the includer's own folder
    return folder


def violations(analyzer):
    """(file, line, message) for every include that runs upward or names an unknown layer."""
    found = []
    for top in ("src", "tidy"):
        for folder, _, names in os.walk(os.path.join(analyzer, top)):
            for name in sorted(names):
                if not name.endswith((".cpp", ".hpp", ".h")):
                    continue
                path = os.path.join(folder, name)
                includer = layer_of_file(analyzer, path)
                with open(path, encoding="utf-8") as source:
                    text = source.read()
                for match in INCLUDE.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    included = layer_of_include(match.group(1), includer)
                    where = f"{os.path.relpath(path, analyzer)}:{line}"
                    if includer not in LAYERS or included not in LAYERS:
                        unknown = includer if includer not in LAYERS else included
                        found.append((where, f"'{unknown}' is in no layer of check_layers.py's LAYERS"))
                    elif (includer, included) in SIDE_BY_SIDE or LAYERS.index(included) > LAYERS.index(includer):
                        found.append((where, f"{includer}/ includes \"{match.group(1)}\" from {included}/, "
                                             f"a layer above it"))
    return found


def self_test():
    """A copy of a tiny tree with one upward include must fail, and without it pass."""
    with tempfile.TemporaryDirectory() as scratch:
        analyzer = os.path.join(scratch, "analyzer")
        for folder in ("src/recognisers", "src/driver", "src/config", "tidy"):
            os.makedirs(os.path.join(analyzer, folder))
        write = lambda relative, text: open(os.path.join(analyzer, relative), "w", encoding="utf-8").write(text)
        write("src/config/Config.hpp", "#pragma once\n")
        write("src/driver/Driver.cpp", '#include "config/Config.hpp"\n#include "recognisers/Names.hpp"\n')
        write("src/recognisers/Names.hpp", '#pragma once\n#include "config/Config.hpp"\n')
        write("tidy/Plugin.cpp", '#include "Plugin.hpp"\n#include "recognisers/Names.hpp"\n')
        if violations(analyzer):
            print("self-test FAILED: a tree that runs one way was refused:", violations(analyzer))
            return 1
        write("src/recognisers/Names.hpp", '#pragma once\n#include "driver/Config.hpp"\n')
        found = violations(analyzer)
        if [where for where, _ in found] != ["src/recognisers/Names.hpp:2"]:
            print("self-test FAILED: recognisers/ including driver/ was not the one violation:", found)
            return 1
        write("src/recognisers/Names.hpp", '#pragma once\n')
        write("tidy/Plugin.cpp", '#include "driver/Driver.hpp"\n')
        if [where for where, _ in violations(analyzer)] != ["tidy/Plugin.cpp:1"]:
            print("self-test FAILED: the plugin including the lint's driver was not refused")
            return 1
        shutil.rmtree(analyzer)
    print("self-test passed: an upward include fails the check")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    found = violations(os.path.abspath(sys.argv[1]))
    for where, message in found:
        print(f"{where}: {message}")
    print(f"layers: {len(found)} include(s) running upward")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
