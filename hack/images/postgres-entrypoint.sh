#!/bin/sh
# Entrypoint of the postgres image (hack/images/build.sh): Debian's PostgreSQL 15 for the chart's
# bundled database (database.postgres.bundled). Runs as the image's postgres user (uid 999).
#   POSTGRES_USER           the role the application logs in as (default liteboxd); never a superuser
#   POSTGRES_DB             its database (default: POSTGRES_USER), owned by it
#   POSTGRES_PASSWORD_FILE  a file holding the role's password (or POSTGRES_PASSWORD)
#   PGDATA                  the data directory (default /var/lib/postgresql/data/pgdata), below a
#                           volume's mount point so a fresh volume's lost+found does not stop initdb
# Arguments are passed on to postgres, e.g. `-c max_connections=200`.
#
# An empty PGDATA is initialised (UTF-8, C.UTF-8 collation). On every start the role and database
# are created when missing and the role's password is set from the file, so the Secret behind it is
# what counts. The superuser `postgres` has no password: it logs in only on the Unix socket, as the
# OS user postgres (`kubectl exec … -- psql -U postgres`). Every other login is scram-sha-256.
# SIGTERM (and SIGINT) shut Postgres down fast: sessions are cut, one checkpoint is written and the
# server exits cleanly. (Postgres' own SIGTERM waits for every client to leave, which a connection
# pool never does, until the kubelet's SIGKILL forces crash recovery on the next start.)
set -eu
# PID 1 ignores signals it has no handler for: until Postgres runs, SIGTERM just ends the script.
trap 'exit 143' TERM INT

bin=/usr/lib/postgresql/15/bin
PGDATA="${PGDATA:-/var/lib/postgresql/data/pgdata}"
user="${POSTGRES_USER:-liteboxd}"
db="${POSTGRES_DB:-$user}"
export PGDATA

log() { echo "postgres-entrypoint: $*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" != 0 ] || die "runs as the postgres user (uid 999), not root"
[ "$user" != postgres ] || die "POSTGRES_USER must not be postgres: that is the superuser, which has no password"
if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
  [ -r "$POSTGRES_PASSWORD_FILE" ] || die "cannot read POSTGRES_PASSWORD_FILE $POSTGRES_PASSWORD_FILE"
  password="$(cat "$POSTGRES_PASSWORD_FILE")"
else
  password="${POSTGRES_PASSWORD:-}"
fi
[ -n "$password" ] || die "no password: set POSTGRES_PASSWORD_FILE or POSTGRES_PASSWORD"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  log "initialising $PGDATA"
  mkdir -p "$PGDATA"
  # The rules initdb writes are replaced below.
  "$bin/initdb" --pgdata="$PGDATA" --username=postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=reject >/dev/null
fi
# Postgres refuses a data directory others can enter; a volume's fsGroup may have opened it.
chmod 0700 "$PGDATA"
# The image's access rules, rewritten on every start: the superuser on the socket as the OS user
# postgres, everyone else with a password, from anywhere (the chart's NetworkPolicy decides who).
cat > "$PGDATA/pg_hba.conf" <<'HBA'
# TYPE  DATABASE  USER      ADDRESS  METHOD     (written by the image's entrypoint at every start)
local   all       postgres           peer
local   all       all                scram-sha-256
host    all       postgres  all      reject
host    all       all       all      scram-sha-256
HBA

# The role and the database, on a server that listens on a private socket only: the probes
# (TCP) and the application see nothing until the real server below is up.
setup="$(mktemp -d /tmp/postgres-setup.XXXXXX)"
stop_setup() { "$bin/pg_ctl" --silent --wait --mode=fast stop 2>/dev/null || true; }
trap 'stop_setup; exit 143' TERM INT
"$bin/pg_ctl" --silent --wait --timeout=600 --log="$setup/log" \
  -o "-c listen_addresses='' -c unix_socket_directories='$setup'" start \
  || { cat "$setup/log" >&2; die "the setup server did not start"; }
PGPASSWORD_NEW="$password" "$bin/psql" --no-psqlrc --quiet --host="$setup" --username=postgres --dbname=postgres \
  --set=ON_ERROR_STOP=1 --set=user="$user" --set=db="$db" >/dev/null <<'SQL' || { stop_setup; die "setting up role $user and database $db failed"; }
\getenv password PGPASSWORD_NEW
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') AS create_role \gset
\if :create_role
CREATE ROLE :"user" LOGIN;
\endif
ALTER ROLE :"user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SELECT NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') AS create_db \gset
\if :create_db
CREATE DATABASE :"db" OWNER :"user";
\endif
SQL
stop_setup
trap - TERM INT
rm -rf "$setup"
unset password POSTGRES_PASSWORD

"$bin/postgres" -c listen_addresses='*' "$@" &
pid=$!
# SIGTERM from the kubelet becomes Postgres' fast shutdown (SIGINT).
trap 'kill -INT "$pid" 2>/dev/null || true' TERM INT
while :; do
  status=0
  wait "$pid" || status=$?
  # A trapped signal only interrupts `wait`; go on waiting until Postgres has exited.
  kill -0 "$pid" 2>/dev/null || break
done
exit "$status"
