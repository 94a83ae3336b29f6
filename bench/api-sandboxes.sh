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
start_api() {
  DATA_DIR="$data" PORT=18080 SANDBOX_TOKEN_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" \
    java --enable-native-access=ALL-UNNAMED -jar "$LBX_ROOT/services/api/target/liteboxd-api-0.1.0-SNAPSHOT.jar" \
    >"$data/api.log" 2>&1 &
  api_pid=$!
  wait_for "the API" 60 curl -fsS http://127.0.0.1:18080/readyz
}
stop_api() { kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; }
trap 'kill "$api_pid" 2>/dev/null || true; rm -rf "$data"' EXIT

report="$LBX_ROOT/bench/api-sandboxes.md"
{
  echo "# API sandbox benchmark"
  echo
  echo "Reproduce: \`bench/api-sandboxes.sh\`. Machine: 2 vCPU, 24 GiB, Debian 12 VM, kernel 6.18,"
  echo "cgroup v1; the test bed of hack/cluster.sh (Kubernetes $KUBERNETES_VERSION, containerd 1.6);"
  echo "sandbox image \`$LBX_SANDBOX_IMAGE\` already in containerd's store; the API as a local JVM"
  echo "process (Java 25) with SQLite in a temporary directory. Latencies in milliseconds,"
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
  python3 "$LBX_ROOT/bench/api-sandboxes.py" read
} > "$report.partial"
mv "$report.partial" "$report"
cat "$report"
