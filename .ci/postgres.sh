#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests, on loopback only, in a temporary folder.
#
#   eval "$(bash .ci/postgres.sh start)"   # exports ESCAPEMENT_TEST_PG_URL and ESCAPEMENT_PG_DIR
#   bash .ci/postgres.sh stop "$ESCAPEMENT_PG_DIR"
#
# initdb refuses to run as root, so as root the server runs as the `postgres` OS user that
# Debian's postgresql package creates; any other user runs it as themselves. Trust auth is
# safe here only because the server listens on 127.0.0.1 and a socket in its own folder.
set -euo pipefail

DB=escapement_test

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] || dir=$(dirname "$(command -v initdb || echo /missing/initdb)")
  [ -x "$dir/initdb" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local bin port
  bin=$(bindir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/escapement-pg.XXXXXX")
  # A start that fails half-way leaves no server or folder behind.
  trap '[ -n "${started:-}" ] || stop "$dir" >/dev/null 2>&1 || true' EXIT
  [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
  port=$(free_port)
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log"
  # fsync off: a test server's data is thrown away, so durability buys nothing but time.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-k $dir -h 127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB"
  started=1
  echo "export ESCAPEMENT_PG_DIR=$dir"
  echo "export ESCAPEMENT_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$port/$DB"
}

stop() {
  local dir=${1:-${ESCAPEMENT_PG_DIR:-}}
  case "$dir" in
    */escapement-pg.*) [ -d "$dir" ] || { echo "postgres.sh: $dir does not exist" >&2; exit 1; } ;;
    *) echo "postgres.sh: stop needs the folder that start printed" >&2; exit 1 ;;
  esac
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
