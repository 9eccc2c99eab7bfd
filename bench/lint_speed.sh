#!/usr/bin/env bash
# The lint's speed against clang's parser: builds the lint, writes a compile
# database for the cpp20 Asio examples and Beast's awaitable/coroutine examples
# (libboost1.81-doc), and runs bench/lint_speed.py over them.
source "$(dirname "$0")/../scripts/common.sh"
cd "$SPAWNGUARD_ROOT"

bash scripts/install-deps.sh libboost1.81-doc
say "build (release)"
build_preset release
examples=/usr/share/doc/libboost1.81-doc/examples/libs
work=build/bench-lint
say "lint speed: spawnguard-lint vs clang++-19 -fsyntax-only"
python3 scripts/example_compile_db.py "$examples" "$work" --only '/cpp20/|awaitable' >/dev/null
python3 bench/lint_speed.py build/bin/spawnguard-lint "$work"
