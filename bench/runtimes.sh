#!/usr/bin/env bash
# Runs bench/runtimes.py (runc against gVisor sandboxes) against the API jar on the test bed and
# writes the report to bench/runtimes.md. Usage: [BENCH_N=30] bench/runtimes.sh (as root).
# The report's "Reading" section is written by hand after a run; a new run drops it.
# The API runs on its own port and sandbox namespace, so an install of LiteBoxd on the same test
# bed is left alone; the namespace is deleted at the end.
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"

API_PORT=18090
NAMESPACE=lbx-bench-rt
RUNTIME_CLASS=gvisor
API_JAR="$LBX_ROOT/services/api/target/liteboxd-api-0.1.0-SNAPSHOT.jar"

# `up` only when the test bed does not answer: on a running one it may still restart containerd
# (when its rendered configuration differs from this checkout's) and re-push the images.
kc get nodes >/dev/null 2>&1 || "$LBX_ROOT/hack/cluster.sh" up >/dev/null
export KUBECONFIG="$KUBECONFIG_ADMIN" LBX_SANDBOX_IMAGE LBX_BENCH_NAMESPACE="$NAMESPACE" \
  LBX_BENCH_API="http://127.0.0.1:$API_PORT"
LBX_SANDBOX_IMAGE="$(image_ref sandbox)"
kc get runtimeclass "$RUNTIME_CLASS" >/dev/null || lbx_die "the test bed has no RuntimeClass $RUNTIME_CLASS"
eval "$("$LBX_ROOT/hack/toolchain/java.sh")"
# Offline first (the local repository usually has everything); online on a fresh machine.
mvn -B -ntp -q -o -f "$LBX_ROOT/pom.xml" -DskipTests package || mvn -B -ntp -q -f "$LBX_ROOT/pom.xml" -DskipTests package

report="$LBX_ROOT/bench/runtimes.md"
data="$(mktemp -d)"
api_pid=""
cleanup() {
  if [[ -n "$api_pid" ]]; then kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; fi
  kc delete namespace "$NAMESPACE" --ignore-not-found --timeout=120s >/dev/null || true
  rm -rf "$data" "$report.partial"
}
trap cleanup EXIT
# Pod Security as on the chart's sandbox namespace, so sandbox pods are admitted as they are there.
kc get namespace "$NAMESPACE" >/dev/null 2>&1 || kc create namespace "$NAMESPACE" >/dev/null
kc label --overwrite namespace "$NAMESPACE" pod-security.kubernetes.io/enforce=baseline >/dev/null

export ADMIN_PASSWORD="bench-$(date +%s)"
DATA_DIR="$data" PORT="$API_PORT" SANDBOX_NAMESPACE="$NAMESPACE" \
  SANDBOX_TOKEN_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" \
  java --enable-native-access=ALL-UNNAMED -jar "$API_JAR" >"$data/api.log" 2>&1 &
api_pid=$!
wait_for "the API" 60 curl -fsS "$LBX_BENCH_API/readyz"

cgroup=v1; [[ "$(stat -fc %T /sys/fs/cgroup)" == cgroup2fs ]] && cgroup=v2
{
  echo "# Sandbox runtimes: runc and gVisor"
  echo
  echo "Reproduce: \`bench/runtimes.sh\` (\`BENCH_N\` creates per runtime, default 30). Machine: $(nproc) vCPU,"
  echo "$(free -g | awk '/^Mem:/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME") VM, kernel $(uname -r), cgroup $cgroup;"
  echo "the test bed of hack/cluster.sh (Kubernetes $KUBERNETES_VERSION, $(containerd --version | awk '{print "containerd " $3}'),"
  echo "runc $(runc --version | awk 'NR == 1 {print $3}'), gVisor runsc $GVISOR_VERSION on the systrap platform as"
  echo "RuntimeClass \`$RUNTIME_CLASS\`); sandbox image \`$LBX_SANDBOX_IMAGE\` already in containerd's"
  echo "store; the API as a local JVM process (Java 25) with SQLite in a temporary directory and its"
  echo "own sandbox namespace. One sandbox or pod at a time, each deleted (and gone) before the next;"
  echo "runc and gVisor alternate within each round. Latencies in milliseconds, measured by the client"
  echo "(Python urllib, or around the kubectl process; the API is polled every 20 ms for \`running\`)."
  echo
  echo "Run of $(date -u +%Y-%m-%dT%H:%MZ):"
  echo
  echo "| what | n | p50 | p99 | min | max |"
  echo "|---|---|---|---|---|---|"
  python3 "$LBX_ROOT/bench/runtimes.py"
} > "$report.partial"
mv "$report.partial" "$report"
cat "$report"
