#!/usr/bin/env bash
# Controller figures (bench/ControllerBench.java): TTL lateness, failover and hand-over times,
# pre-pull time against a plain crictl pull of the same image; writes bench/controller.md.
# Usage: bench/controller.sh (as root; brings the test bed up).
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"

"$LBX_ROOT/hack/cluster.sh" up >/dev/null
export KUBECONFIG="$KUBECONFIG_ADMIN"
eval "$("$LBX_ROOT/hack/toolchain/java.sh")"
mvn -B -ntp -q -f "$LBX_ROOT/pom.xml" -DskipTests package
jar="$LBX_ROOT/services/controller/target/liteboxd-controller-0.1.0-SNAPSHOT.jar"
crictl=(crictl --runtime-endpoint "unix://$CONTAINERD_SOCK" --image-endpoint "unix://$CONTAINERD_SOCK")
pull_image="$(image_ref jre)"

ns=lbx-bench-controller
kc delete namespace "$ns" --ignore-not-found --wait >/dev/null
kc create namespace "$ns" >/dev/null
data="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; kc delete namespace "$ns" --wait=false >/dev/null; rm -rf "$data"' EXIT
spec=""
port=18090
for id in bench-a bench-b bench-c; do
  SANDBOX_NAMESPACE="$ns" CONTROL_NAMESPACE="$ns" POD_NAME="$id" PORT="$port" \
    java -jar "$jar" >"$data/$id.log" 2>&1 &
  pids+=($!)
  spec+="${spec:+,}$id=$!"
  wait_for "controller $id" 60 curl -fsS "http://127.0.0.1:$port/readyz"
  port=$((port + 1))
done

"${crictl[@]}" rmi "$pull_image" >/dev/null 2>&1 || true
size="$(du -sh "$LBX_CACHE/images/jre" | cut -f1)"
report="$LBX_ROOT/bench/controller.md"
{
  echo "# Controller benchmark"
  echo
  echo "Reproduce: \`bench/controller.sh\`. Machine: 2 vCPU, 24 GiB, Debian 12 VM, kernel 6.18, cgroup v1;"
  echo "the test bed of hack/cluster.sh (Kubernetes $KUBERNETES_VERSION, containerd 1.6, registry on"
  echo "127.0.0.1:5000). Three controller processes (the packaged jar, default Lease timings: duration"
  echo "15 s, renew deadline 10 s, retry 2 s) on the host; measurements by bench/ControllerBench.java."
  echo
  echo "Run of $(date -u +%Y-%m-%dT%H:%MZ):"
  echo
  echo "| what | result |"
  echo "|---|---|"
  java -cp "$jar" "$LBX_ROOT/bench/ControllerBench.java" "$ns" "$(image_ref sandbox)" "$pull_image" "$(image_ref pause)" "$spec"
  "${crictl[@]}" rmi "$pull_image" >/dev/null
  start=$(date +%s%N)
  "${crictl[@]}" pull "$pull_image" >/dev/null
  echo "| floor: \`crictl pull\` of the same image ($size on disk in the cache), straight from the registry | $(( ($(date +%s%N) - start) / 1000000 )) ms |"
} > "$report.partial"
mv "$report.partial" "$report"
cat "$report"
