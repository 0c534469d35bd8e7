#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, on loopback only.
#
#   scripts/pg-throwaway.sh start PORT   initdb into a new temporary directory, start the server on 127.0.0.1:PORT,
#                                        create the database ari_voicemail, and print (for eval):
#                                          export DATABASE_URL=postgres://postgres@127.0.0.1:PORT/ari_voicemail
#                                          export PG_THROWAWAY_DIR=<the directory>
#   scripts/pg-throwaway.sh stop DIR     stop that server and remove DIR.
#
# The binaries are looked up in PG_BIN, then `pg_config --bindir`, then /usr/lib/postgresql/*/bin, then PATH. As root
# the server runs as the `postgres` user (PostgreSQL refuses to run as root). Authentication is `trust`: the server
# listens on 127.0.0.1 only and its socket is inside the temporary directory.
set -euo pipefail

die() {
  echo "pg-throwaway: $*" >&2
  exit 1
}

find_bin() {
  local dir
  for dir in "${PG_BIN:-}" "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return 0
  fi
  return 1
}

# Runs a command as the server's user: postgres when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

start() {
  local port=${1:-}
  [[ "$port" =~ ^[0-9]+$ ]] || die "usage: $0 start PORT"
  local bin
  bin=$(find_bin) || die "no PostgreSQL binaries (initdb, pg_ctl) found"
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then die "running as root and there is no postgres user"; fi

  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/pg-throwaway.XXXXXX")
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-instructions \
    >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    die "initdb failed"
  }
  # Small and quick: a test server, not a production one (fsync stays on: the store's durability is what we test).
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=100 -c shared_buffers=32MB" \
    start >/dev/null 2>&1 || {
    cat "$dir/server.log" >&2 || true
    rm -rf "$dir"
    die "the server did not start on 127.0.0.1:$port"
  }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres ari_voicemail >/dev/null 2>&1 || {
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    die "createdb failed"
  }
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/ari_voicemail"
  echo "export PG_THROWAWAY_DIR=$dir"
}

stop() {
  local dir=${1:-}
  [ -n "$dir" ] && [ -d "$dir/data" ] || die "usage: $0 stop DIR (a directory made by start)"
  local bin
  bin=$(find_bin) || die "no PostgreSQL binaries (pg_ctl) found"
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
    || as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

# The server's user may not be able to read the caller's directory: work from one every user can.
cd /

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *) die "usage: $0 start PORT | stop DIR" ;;
esac
