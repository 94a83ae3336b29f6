#!/usr/bin/env bash
# Runs bench/api-sandboxes.py against the API jar on the test bed and writes the report to
# bench/api-sandboxes.md. Usage: bench/api-sandboxes.sh (as root; brings the test bed up).
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"

"$LBX_ROOT/hack/cluster.sh" up >/dev/null
export KUBECONFIG="$KUBECONFIG_ADMIN" LBX_SANDBOX_IMAGE; LBX_SANDBOX_IMAGE="$(image_ref sandbox)"
kc get namespace liteboxd-sandbox >/dev/null 2>&1 || kc create namespace liteboxd-sandbox >/dev/null
eval "$("$LBX_ROOT/hack/toolchain/java.sh")"
mvn -B -ntp -q -f "$LBX_ROOT/pom.xml" -DskipTests package

data="$(mktemp -d)"
export ADMIN_PASSWORD="bench-$(date +%s)"
api_pid=""
token_key="$(head -c 32 /dev/urandom | base64)"
start_api() {  # start_api [ENV=VALUE...]: the API jar, with these variables added (the database mode)
  env "$@" DATA_DIR="$data" PORT=18080 SANDBOX_TOKEN_ENCRYPTION_KEY="$token_key" \
    java --enable-native-access=ALL-UNNAMED -jar "$LBX_ROOT/services/api/target/liteboxd-api-0.1.0-SNAPSHOT.jar" \
    >"$data/api.log" 2>&1 &
  api_pid=$!
  wait_for "the API" 60 curl -fsS http://127.0.0.1:18080/readyz
}
stop_api() { kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; }
# Postgres mode: a throw-away server of hack/postgres.sh (stopped at the end if started here).
pg_started=0
pg_url="$("$LBX_ROOT/hack/postgres.sh" url 2>/dev/null)" || { pg_url="$("$LBX_ROOT/hack/postgres.sh" start)"; pg_started=1; }
pg_user="$(sed -n 's/.*[?&]user=\([^&]*\).*/\1/p' <<<"$pg_url")"
pg_password="$(sed -n 's/.*[?&]password=\([^&]*\).*/\1/p' <<<"$pg_url")"
pg_db="bench_$(date +%s)"
PGPASSWORD="$pg_password" psql -q -h 127.0.0.1 -p "$(sed -E 's#.*:([0-9]+)/.*#\1#' <<<"$pg_url")" -U "$pg_user" -d liteboxd \
  -c "CREATE DATABASE $pg_db"
pg_jdbc="$(sed -E "s#/liteboxd\?#/$pg_db?#" <<<"$pg_url")"
postgres_env=(LITEBOXD_DATABASE=postgres "DATABASE_URL=${pg_jdbc%%\?*}" "DATABASE_USERNAME=$pg_user" "DATABASE_PASSWORD=$pg_password")
trap 'kill "$api_pid" 2>/dev/null || true; rm -rf "$data"; ((pg_started)) && "$LBX_ROOT/hack/postgres.sh" stop >/dev/null' EXIT

report="$LBX_ROOT/bench/api-sandboxes.md"
{
  echo "# API sandbox benchmark"
  echo
  echo "Reproduce: \`bench/api-sandboxes.sh\`. Machine: 2 vCPU, 24 GiB, Debian 12 VM, kernel 6.18,"
  echo "cgroup v1; the test bed of hack/cluster.sh (Kubernetes $KUBERNETES_VERSION, containerd 1.6);"
  echo "sandbox image \`$LBX_SANDBOX_IMAGE\` already in containerd's store; the API as a local JVM"
  echo "process (Java 25) with SQLite in a temporary directory, then with Debian's PostgreSQL 15 on the same"
  echo "machine (hack/postgres.sh). Latencies in milliseconds,"
  echo "measured by the client (Python urllib; the API is polled every 20 ms for \`running\`)."
  echo
  echo "Run of $(date -u +%Y-%m-%dT%H:%MZ):"
  echo
  echo "| what | n | p50 | p99 | min | max |"
  echo "|---|---|---|---|---|---|"
  start_api
  python3 "$LBX_ROOT/bench/api-sandboxes.py" create
  stop_api
  python3 "$LBX_ROOT/bench/api-sandboxes.py" seed "$data/liteboxd.db"
  start_api
  python3 "$LBX_ROOT/bench/api-sandboxes.py" read SQLite
  stop_api
  # The same reads in Postgres mode: the API migrates a fresh database, then gets the same rows.
  start_api "${postgres_env[@]}"
  stop_api
  python3 "$LBX_ROOT/bench/api-sandboxes.py" seed-postgres "$pg_jdbc"
  start_api "${postgres_env[@]}"
  python3 "$LBX_ROOT/bench/api-sandboxes.py" read "PostgreSQL 15"
} > "$report.partial"
mv "$report.partial" "$report"
cat "$report"
