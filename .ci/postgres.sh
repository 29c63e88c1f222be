#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, from the distribution's packages.
#
#   eval "$(bash .ci/postgres.sh start)"   installs PostgreSQL when missing (apt-get, as root), starts a cluster on a
#                                           free loopback port as a non-root user, and prints the exports:
#                                           PERSONALIZE_TEST_POSTGRES (the connection string) and PERSONALIZE_PG_DIR
#   bash .ci/postgres.sh start --durable   the same with fsync, full page writes and synchronous commit on (the
#                                           server's defaults), for benchmarks that must measure what production pays
#   bash .ci/postgres.sh stop DIR          stops that cluster and removes its folder
#
# The cluster trusts local connections (it listens on 127.0.0.1 only) and, unless --durable, runs with fsync off: it is
# for tests and is deleted at the end. Everything but the exports goes to stderr.
set -euo pipefail

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ] && [ -x "$found/initdb" ] && [ -x "$found/pg_ctl" ]; then
    echo "$found"
  fi
}

start() {
  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if [ "${1:-}" = "--durable" ]; then durability=""; fi
  local bin
  bin=$(find_bin)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "error: PostgreSQL is not installed; install the distribution's 'postgresql' package (as root: apt-get install -y postgresql) and run again." >&2
      exit 1
    fi
    echo "== installing PostgreSQL from the distribution's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    # .ci/run may have updated the package lists already (for chromium): once per run is enough.
    [ "${PERSONALIZE_APT_UPDATED:-0}" = 1 ] || apt-get update >&2
    apt-get install -y --no-install-recommends postgresql >&2
    bin=$(find_bin)
    if [ -z "$bin" ]; then
      echo "error: apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found." >&2
      exit 1
    fi
  fi

  # The server refuses to run as root: as root, run it as the packages' postgres user.
  local run=()
  local user
  user=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres >&2
    fi
    run=(runuser -u postgres --)
    user=postgres
  fi

  local dir
  dir=$(mktemp -d /tmp/personalize-pg.XXXXXX)
  chmod 755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }

  local port attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi   # taken
    if "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=300" \
         start >&2; then
      "${run[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE personalize" >&2
      echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (cluster $dir)" >&2
      echo "export PERSONALIZE_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Database=personalize;Username=$user;Pooling=true;Maximum Pool Size=50'"
      echo "export PERSONALIZE_PG_DIR='$dir'"
      return 0
    fi
  done
  echo "error: PostgreSQL did not start (last attempt on port $port); its log:" >&2
  cat "$dir/server.log" >&2 || true
  rm -rf "$dir"
  exit 1
}

stop() {
  local dir=${1:-}
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    return 0
  fi
  local bin
  bin=$(find_bin)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: bash .ci/postgres.sh start [--durable] | stop DIR" >&2; exit 2 ;;
esac
