#!/usr/bin/env bash
# The postgres image's entrypoint without a cluster: the built OCI layout (hack/images/build.sh
# postgres) unpacked and run as uid 999, PID 1 of its own PID namespace, in a private network and
# mount namespace, with a read-only root and only the chart's writable mounts (data, socket
# directory, /tmp). Checks initdb, the API role's login over TCP (scram), the superuser's refusal
# over TCP and its peer login on the socket, pg_isready as another uid (the chart's
# wait-for-postgres), that SIGTERM shuts down fast with a session open, a second start on the
# same data, and that a changed password file wins. Needs root (namespaces, chroot).
source "$(dirname "$0")/../../hack/lib/common.sh"
source "$LBX_ROOT/hack/images/list.sh"
[[ $EUID -eq 0 ]] || lbx_die "needs root (unshare, chroot)"
if [[ "${1:-}" != --inside ]]; then
  exec unshare --mount --net --propagation private "$0" --inside
fi

ref="$(image_ref postgres)"
layout="$LBX_CACHE/images/postgres/${ref##*:}"
[[ -f "$layout/index.json" ]] || lbx_die "no image at $layout: run hack/images/build.sh postgres"
work="$(mktemp -d /tmp/lbx-postgres-test.XXXXXX)"
root="$work/root"
server_pid=""
# The mounts go with this mount namespace; the server and the files do not.
cleanup() {
  [[ -z "$server_pid" ]] || kill -KILL "$server_pid" 2>/dev/null || true
  umount -R "$root" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$root"
manifest="$(jq -r '.manifests[0].digest' "$layout/index.json")"
for layer in $(jq -r '.layers[].digest' "$layout/blobs/sha256/${manifest#sha256:}"); do
  tar -xzf "$layout/blobs/sha256/${layer#sha256:}" -C "$root"
done
config="$(jq -r '.config.digest' "$layout/blobs/sha256/${manifest#sha256:}")"
entrypoint="$(jq -r '.config.Entrypoint[0]' "$layout/blobs/sha256/${config#sha256:}")"
image_path="$(jq -r '.config.Env[] | select(startswith("PATH=")) | sub("^PATH="; "")' "$layout/blobs/sha256/${config#sha256:}")"

ip link set lo up
# Read-only root; then what the chart mounts writable: the volume (as fsGroup 999 leaves a fresh
# one: group 999, setgid, group-writable), the socket directory, /tmp; the password file.
mount --bind "$root" "$root"
mkdir -p "$work/data" "$work/secret"
chgrp 999 "$work/data"; chmod 2775 "$work/data"
echo -n first-password > "$work/secret/password"; chgrp 999 "$work/secret/password"; chmod 0440 "$work/secret/password"
mkdir -p "$root/var/lib/postgresql/data" "$root/run/postgresql" "$root/etc/liteboxd-postgres"
mount --bind "$work/data" "$root/var/lib/postgresql/data"
mount -t tmpfs -o mode=1777 tmpfs "$root/run/postgresql"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mount --bind "$work/secret" "$root/etc/liteboxd-postgres"
mount --rbind /dev "$root/dev"
mount -o remount,bind,ro "$root"

failed=0
check() {  # check NAME SHELL-CODE
  local out
  if out="$(eval "$2" 2>&1)"; then echo "ok - postgres image: $1"; else failed=1; echo "not ok - postgres image: $1"; sed 's/^/    /' <<<"$out"; fi
}
# run UID CMD...: a command in the image as UID (the proc mount of the server's namespace is not ours).
run() {
  local uid="$1"; shift
  chroot --userspec="$uid:$uid" "$root" /usr/bin/env -i PATH="$image_path" HOME=/tmp "$@"
}
launch() {
  unshare --pid --fork --mount-proc="$root/proc" chroot --userspec=999:999 "$root" /usr/bin/env -i \
    PATH="$image_path" POSTGRES_USER=liteboxd POSTGRES_DB=liteboxd \
    POSTGRES_PASSWORD_FILE=/etc/liteboxd-postgres/password PGDATA=/var/lib/postgresql/data/pgdata \
    "$entrypoint" -c max_connections=30 >>"$work/server.log" 2>&1 &
  local unshare_pid=$!
  for _ in $(seq 100); do
    server_pid="$(pgrep -P "$unshare_pid" | head -1 || true)"
    [[ -n "$server_pid" ]] && break; sleep 0.1
  done
}
start() {
  launch
  for _ in $(seq 120); do
    run 999 pg_isready -q -h 127.0.0.1 -p 5432 -U liteboxd -d liteboxd && return 0
    sleep 1
  done
  cat "$work/server.log" >&2; lbx_die "the server did not become ready"
}
psql_as() {  # psql_as USER PASSWORD SQL: over TCP, as the API connects
  run 65532 sh -c 'PGPASSWORD="$1" psql -X -q -t -A -h 127.0.0.1 -p 5432 -U "$2" -d liteboxd -c "$3"' sh "$2" "$1" "$3"
}

ms() { echo $(( $(date +%s%N) / 1000000 )); }
started=$(ms)
start
echo "first start (initdb, setup, start): $(( $(ms) - started )) ms"
check "pg_isready as another uid without a passwd entry, with -U (wait-for-postgres)" \
  'run 65532 pg_isready -h 127.0.0.1 -p 5432 -U liteboxd -d liteboxd'
check "the liveness command (exit 0 or 1 = alive)" "run 999 sh -c 'pg_isready -q -h 127.0.0.1 -p 5432 -U liteboxd -d liteboxd; [ \$? -le 1 ]'"
check "the probes (pg_isready as the API role) leave nothing in the server's log" '! grep -q FATAL "$work/server.log"'
check "initdb made the data directory 0700, owned by 999" '[[ "$(stat -c "%a %u" "$work/data/pgdata")" == "700 999" ]]'
check "the API role logs in over TCP with the password and owns its database" \
  '[[ "$(psql_as liteboxd first-password "CREATE TABLE t (x int); INSERT INTO t VALUES (42); SELECT x FROM t")" == 42 ]]'
check "a wrong password is refused" '! psql_as liteboxd wrong "SELECT 1"'
check "the API role is no superuser" \
  '[[ "$(psql_as liteboxd first-password "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")" == f ]]'
check "the superuser is refused over TCP" '! psql_as postgres first-password "SELECT 1"'
check "the superuser logs in on the socket as the OS user postgres (kubectl exec)" \
  '[[ "$(run 999 psql -X -t -A -U postgres -c "SELECT current_user")" == postgres ]]'
check "max_connections from the arguments" '[[ "$(psql_as liteboxd first-password "SHOW max_connections")" == 30 ]]'
check "the root filesystem is read-only" '! run 999 touch /usr/local/bin/x'

# A session stays open (as a connection pool's do): Postgres' own SIGTERM would wait for it.
psql_as liteboxd first-password 'SELECT pg_sleep(300)' >/dev/null 2>&1 &
session=$!
for _ in $(seq 100); do
  [[ "$(psql_as liteboxd first-password "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'")" == 1 ]] && break
  sleep 0.1
done
stopped=$(ms)
kill -TERM "$server_pid"
lbx_wait_exit "$server_pid" 30 || true
took=$(( $(ms) - stopped ))
echo "SIGTERM with an open session: stopped in $took ms"
check "SIGTERM stops the server within 10 s with a session open" '! kill -0 "$server_pid" 2>/dev/null && (( took < 10000 ))'
check "it was a fast, clean shutdown" 'grep -q "received fast shutdown request" "$work/server.log" && grep -q "database system is shut down" "$work/server.log"'
wait "$session" 2>/dev/null || true

echo -n second-password > "$work/secret/password"
# As a kubelet's recursive fsGroup pass would leave it (the chart asks for OnRootMismatch).
chgrp -R 999 "$work/data/pgdata"; chmod 2770 "$work/data/pgdata"
started=$(ms)
start
echo "second start (setup on existing data): $(( $(ms) - started )) ms"
check "a group-opened data directory is closed to the group again (u=rwx only; setgid may stay)" '[[ "$(stat -c "%a" "$work/data/pgdata")" == *700 ]]'
check "the data survived the restart" '[[ "$(psql_as liteboxd second-password "SELECT x FROM t")" == 42 ]]'
check "the password file wins over the old password" '! psql_as liteboxd first-password "SELECT 1"'
check "no crash recovery was needed" '! grep -q "was not properly shut down" "$work/server.log"'
kill -TERM "$server_pid"
lbx_wait_exit "$server_pid" 30 || true

# SIGTERM while the entrypoint still sets up (its private server runs): stops that server and exits.
: > "$work/server.log"
launch
for _ in $(seq 200); do pgrep -f "unix_socket_directories=/tmp/postgres-setup" >/dev/null && break; sleep 0.02; done
check "the setup server was caught running" 'pgrep -f "unix_socket_directories=/tmp/postgres-setup" >/dev/null'
stopped=$(ms)
kill -TERM "$server_pid"
lbx_wait_exit "$server_pid" 30 || true
took=$(( $(ms) - stopped ))
echo "SIGTERM during the setup: stopped in $took ms"
check "SIGTERM during the setup stops it within 10 s" '! kill -0 "$server_pid" 2>/dev/null && (( took < 10000 ))'
check "and leaves no server behind" '! pgrep -f "unix_socket_directories=/tmp/postgres-setup" >/dev/null && ! pgrep -f "bin/postgres -c listen_addresses" >/dev/null'
start
check "a start after that needs no crash recovery" '! grep -q "was not properly shut down" "$work/server.log"'
kill -TERM "$server_pid"
lbx_wait_exit "$server_pid" 30 || true

server_pid=""
[[ -z "${LBX_VERBOSE:-}" ]] || { echo "server log (last start):"; sed 's/^/    /' "$work/server.log"; }
if (( failed )); then echo "server log:"; sed 's/^/    /' "$work/server.log"; fi
exit "$failed"
