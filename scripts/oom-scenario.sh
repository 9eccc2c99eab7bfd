#!/usr/bin/env bash
# Reproduces the OOM incident with the slow-query service in its four modes
# under a real memory limit, and prints the report (see --help). Needs the
# release build (scripts/demo.sh builds it).
source "$(dirname "$0")/common.sh"
cd "$SPAWNGUARD_ROOT"
export OOM_SCENARIO_COMMAND="bash scripts/oom-scenario.sh${*:+ $*}"
exec /usr/bin/python3 fixtures/slow_query_service/scenario/oom_scenario.py --build-dir build "$@"
