#!/usr/bin/env bash
# Exec round trip and file throughput through the API against the official client's direct exec
# (bench/ExecBench.java); writes bench/exec.md. Usage: bench/exec.sh (as root; brings the test bed up).
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"

"$LBX_ROOT/hack/cluster.sh" up >/dev/null
export KUBECONFIG="$KUBECONFIG_ADMIN"
kc get namespace liteboxd-sandbox >/dev/null 2>&1 || kc create namespace liteboxd-sandbox >/dev/null
eval "$("$LBX_ROOT/hack/toolchain/java.sh")"
mvn -B -ntp -q -f "$LBX_ROOT/pom.xml" -DskipTests package
jar="$LBX_ROOT/services/api/target/liteboxd-api-0.1.0-SNAPSHOT.jar"

data="$(mktemp -d)"
export ADMIN_PASSWORD="bench-$(date +%s)"
DATA_DIR="$data" PORT=18080 SANDBOX_TOKEN_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" \
  java --enable-native-access=ALL-UNNAMED -jar "$jar" >"$data/api.log" 2>&1 &
api_pid=$!
trap 'kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null; rm -rf "$data"' EXIT
wait_for "the API" 60 curl -fsS http://127.0.0.1:18080/readyz

api=http://127.0.0.1:18080
cookie="$(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "$api/api/v1/auth/login" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')"
key="$(curl -fsS -H "Cookie: $cookie" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
  "$api/api/v1/auth/api-keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
auth=(-H "Authorization: Bearer $key" -H 'Content-Type: application/json')
curl -fsS "${auth[@]}" -d "{\"name\":\"bench-exec\",\"spec\":{\"image\":\"$(image_ref sandbox)\",\
\"command\":[\"sleep\",\"infinity\"],\"resources\":{\"cpu\":\"1\",\"memory\":\"512Mi\"}}}" \
  "$api/api/v1/templates" >/dev/null
id="$(curl -fsS "${auth[@]}" -d '{"template":"bench-exec"}' "$api/api/v1/sandboxes" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
wait_for "sandbox $id" 120 sh -c "curl -fsS -H 'Authorization: Bearer $key' $api/api/v1/sandboxes/$id | grep -q '\"status\":\"running\"'"

report="$LBX_ROOT/bench/exec.md"
{
  echo "# Exec and file-transfer benchmark"
  echo
  echo "Reproduce: \`bench/exec.sh\`. Machine: 2 vCPU, 24 GiB, Debian 12 VM, kernel 6.18, cgroup v1;"
  echo "the test bed of hack/cluster.sh (Kubernetes $KUBERNETES_VERSION, containerd 1.6); the API as a"
  echo "local JVM process (Java 25), one sandbox (1 CPU). Exec: $(grep -o 'CALLS = [0-9]*' "$LBX_ROOT/bench/ExecBench.java" | cut -d' ' -f3) calls each after 20 warm-up calls,"
  echo "alternating the API (JDK HttpClient, keep-alive) and the floor, client-java's \`Exec\` against the"
  echo "API server directly, in the same run. Latencies in milliseconds, measured by the client."
  echo
  echo "Run of $(date -u +%Y-%m-%dT%H:%MZ):"
  echo
  echo "| what | n | p50 | p99 | min | max |"
  echo "|---|---|---|---|---|---|"
  java --enable-native-access=ALL-UNNAMED -cp "$jar" "$LBX_ROOT/bench/ExecBench.java" "$api" "$key" "$id" liteboxd-sandbox \
    2> "$data/bench.err" || { cat "$data/bench.err" >&2; exit 1; }
} > "$report.partial"
curl -fsS -X DELETE -H "Authorization: Bearer $key" "$api/api/v1/sandboxes/$id" >/dev/null
mv "$report.partial" "$report"
cat "$report"
