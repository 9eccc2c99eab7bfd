#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests, on 127.0.0.1 at a free port,
# its unix socket in its own data folder (under /tmp, so the postgres user can
# reach it; initdb refuses to run as root).
#
#   scripts/postgres.sh start   starts it, prints its URI (postgresql://…)
#   scripts/postgres.sh stop    stops it and removes its data
#   scripts/postgres.sh uri     prints the URI of the running one
#   scripts/postgres.sh pause   stops the server, keeping its data and port (fault tests)
#   scripts/postgres.sh resume  starts a paused server again on the same port
source "$(dirname "$0")/common.sh"

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
state_file=${SPAWNGUARD_PG_STATE:-$SPAWNGUARD_ROOT/build/postgres.state}

# as_owner CMD...: runs CMD as the server's owner (postgres when we are root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# run_server DATA PORT: starts the server on DATA, waiting until it takes connections.
run_server() {
  as_owner "$PG_BIN/pg_ctl" -D "$1" -l "$1/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $2 -k $1 -c fsync=off -c max_connections=200" \
    start >/dev/null || { cat "$1/server.log" >&2; exit 2; }
}

start() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "postgres.sh: no $PG_BIN/initdb: install the Debian package postgresql (scripts/install-deps.sh)" >&2
    exit 2
  fi
  if [ -f "$state_file" ]; then
    echo "postgres.sh: a server from $state_file may still run: scripts/postgres.sh stop first" >&2
    exit 2
  fi
  local data port
  data=$(mktemp -d /tmp/spawnguard-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres: "$data"
  port=$(free_port)
  as_owner "$PG_BIN/initdb" -D "$data" --username=postgres --auth=trust --encoding=UTF8 \
    --no-sync >"$data.initdb.log" 2>&1 || { cat "$data.initdb.log" >&2; exit 2; }
  run_server "$data" "$port"
  mkdir -p "$(dirname "$state_file")"
  printf 'data=%s\nport=%s\n' "$data" "$port" >"$state_file"
  uri
}

uri() {
  [ -f "$state_file" ] || { echo "postgres.sh: not started (no $state_file)" >&2; exit 2; }
  # shellcheck disable=SC1090
  source "$state_file"
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

stop() {
  [ -f "$state_file" ] || return 0
  # shellcheck disable=SC1090
  source "$state_file"
  as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$data" "$data.initdb.log" "$state_file"
}

pause() {
  [ -f "$state_file" ] || { echo "postgres.sh: not started (no $state_file)" >&2; exit 2; }
  # shellcheck disable=SC1090
  source "$state_file"
  as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
}

resume() {
  [ -f "$state_file" ] || { echo "postgres.sh: not started (no $state_file)" >&2; exit 2; }
  # shellcheck disable=SC1090
  source "$state_file"
  run_server "$data" "$port"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  uri) uri ;;
  pause) pause ;;
  resume) resume ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
