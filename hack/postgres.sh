#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the API's Postgres-mode tests (docs/database.md):
#   start    start one (a fresh cluster), print its JDBC URL; prints the URL if one already runs
#   url      print the running server's JDBC URL (exit 1 if none runs)
#   restart  stop it and start it again, same port and data (the tests' restart case)
#   stop     stop it and delete everything it had
# The tests read the URL from LBX_POSTGRES_URL:  export LBX_POSTGRES_URL="$(hack/postgres.sh start)"
# It names 127.0.0.1, a free port, database and role `liteboxd` (CREATEDB: each test class makes
# its own database) and carries the role's password, generated at start. The server runs as
# `nobody` when started by root (Postgres refuses root), listens on 127.0.0.1 and a unix socket,
# and keeps data, socket, log, URL and password in $LBX_POSTGRES_DIR (default: one directory per
# checkout under $TMPDIR or /tmp, so worktrees do not collide).
source "$(dirname "$0")/lib/common.sh"

PG_BIN="${LBX_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
DIR="${LBX_POSTGRES_DIR:-${TMPDIR:-/tmp}/liteboxd-postgres-$(printf %s "$LBX_ROOT" | sha256sum | cut -c1-12)}"
DATA="$DIR/data"
SOCKETS="$DIR/run"
ROLE=liteboxd

# Postgres must not run as root: as root, run its commands as nobody (from a directory nobody may enter).
server() {
  if ((EUID == 0)); then (cd "$DIR" && runuser -u nobody -- "$@"); else (cd "$DIR" && "$@"); fi
}

running() {
  [[ -f "$DATA/postmaster.pid" ]] && server "$PG_BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}

free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 20000))
    ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return 0; }
  done
  lbx_die "no free TCP port found for Postgres"
}

start_server() {
  server "$PG_BIN/pg_ctl" start -D "$DATA" -l "$DIR/postgres.log" -w -t 60 >/dev/null ||
    { tail -20 "$DIR/postgres.log" >&2; lbx_die "Postgres did not start (log: $DIR/postgres.log)"; }
}

stop_server() {
  running && server "$PG_BIN/pg_ctl" stop -D "$DATA" -m fast -w -t 60 >/dev/null
  return 0
}

url() {
  [[ -f "$DIR/url" ]] && running || { lbx_log "no Postgres of hack/postgres.sh runs (in $DIR)"; return 1; }
  cat "$DIR/url"
}

start() {
  if running; then url; return; fi
  [[ -x "$PG_BIN/initdb" ]] || lbx_die "no PostgreSQL 15 in $PG_BIN (hack/toolchain/debian.sh installs postgresql-15)"
  rm -rf "$DIR"
  mkdir -p "$DIR" "$SOCKETS"
  chmod 700 "$DIR"
  ((EUID == 0)) && chown -R nobody:nogroup "$DIR"
  lbx_log "starting a throw-away Postgres in $DIR"
  server "$PG_BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 ||
    { cat "$DIR/initdb.log" >&2; lbx_die "initdb failed"; }
  local port password
  port="$(free_port)"
  password="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
  # Test settings: durability traded for speed (a fast shutdown still writes everything), room
  # for several application contexts with their pools at once.
  server tee -a "$DATA/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$SOCKETS'
max_connections = 200
fsync = off
full_page_writes = off
CONF
  start_server
  # Over the unix socket as the superuser (local trust; only nobody and root can reach $DIR).
  server "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKETS" -p "$port" -U postgres -d postgres >/dev/null <<SQL
CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE $ROLE OWNER $ROLE;
SQL
  echo "jdbc:postgresql://127.0.0.1:$port/$ROLE?user=$ROLE&password=$password" | server tee "$DIR/url" >/dev/null
  url
}

case "${1:-}" in
  start) start ;;
  url) url ;;
  restart)
    running || lbx_die "no Postgres of hack/postgres.sh runs (in $DIR)"
    stop_server
    start_server ;;
  stop)
    stop_server
    rm -rf "$DIR" ;;
  *) sed -n '2,12s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
