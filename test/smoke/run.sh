#!/usr/bin/env bash
# Smoke suite for the test-bed cluster: proves the parts LiteBoxd relies on work for real.
# Needs a running test bed (hack/cluster.sh up). Ends with "N passed, N failed".
source "$(dirname "$0")/../../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"

ns="smoke-$$"
passed=0; failed=0
k() { kc -n "$ns" "$@"; }
check() {  # check NAME CMD...: runs CMD, records ok / not ok
  local name="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then passed=$((passed + 1)); echo "ok - $name"
  else failed=$((failed + 1)); echo "not ok - $name"; uniq <<<"$out" | tail -6 | sed 's/^/    # /'; fi
}
# eventually SECONDS CMD...: NetworkPolicy and endpoint changes are asynchronous; poll.
eventually() {
  local secs="$1"; shift
  local i; for ((i = 0; i < secs; i++)); do "$@" && return 0; sleep 1; done
  "$@"
}
from_client() { k exec client -- curl -sS -m 2 "$@"; }
reaches() { [[ "$(from_client "http://$1:$2/")" == "port $2" ]]; }
blocked() { ! from_client -o /dev/null "http://$1:$2/" 2>/dev/null; }
cleanup() { kc delete namespace "$ns" --wait=false >/dev/null 2>&1 || true; }
trap cleanup EXIT

# --- tests ----------------------------------------------------------------------------------
node_ready() {
  [[ "$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}
workloads_run() {
  kc create namespace "$ns" >/dev/null
  SANDBOX_IMAGE="$(image_ref sandbox)" render "$LBX_ROOT/test/smoke/manifests.yaml" | k apply -f - >/dev/null
  k wait --for=condition=Ready pod/web pod/fenced pod/client pod/writer pod/gvisor --timeout=120s
}
# gVisor's kernel answers for the pod: its own version string, its boot message in the logs, and
# exec through the runsc shim.
gvisor_runs() {
  local version; version="$(k exec gvisor -- cat /proc/version)"
  [[ "$version" == *gvisor* ]] || { echo "/proc/version: $version"; return 1; }
  k logs gvisor | grep -q 'Starting gVisor'
}
pulled_from_local_registry() {
  [[ "$(k get pod web -o jsonpath='{.status.containerStatuses[0].imageID}')" == "$LBX_REGISTRY/"* ]]
}
exec_works() {
  local out rc=0
  out="$(k exec web -- sh -c 'echo from-the-pod; exit 3')" || rc=$?
  [[ "$out" == from-the-pod && $rc -eq 3 ]] || { echo "out=$out rc=$rc"; return 1; }
}
logs_work() { k logs web | grep -q 'listening on 8080'; }
dns_resolves() {
  local ip
  ip="$(k exec client -- python3 -c 'import socket; print(socket.gethostbyname("kubernetes.default"))')"
  [[ "$ip" == "$KUBERNETES_SERVICE_IP" ]] || { echo "kubernetes.default -> $ip"; return 1; }
}
service_answers() { [[ "$(from_client "http://web.$ns.svc.$CLUSTER_DOMAIN/")" == "port 8080" ]]; }
# kube-proxy programs a new Service on its next sync; under load (namespaces being deleted) that
# has taken over 20 s here, so the bound is generous.
cluster_ip_routes() { eventually 60 service_answers; }
pvc_binds() {
  [[ "$(k get pvc data -o jsonpath='{.status.phase}')" == Bound ]] && [[ "$(k exec writer -- cat /data/proof)" == persisted ]]
}
api_via_service() {
  k exec client -- sh -c 'curl -fsS -m 5 --cacert /var/run/secrets/kubernetes.io/serviceaccount/ca.crt \
    -H "Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)" \
    https://kubernetes.default.svc/api' | grep -q '"versions"'
}
default_deny_blocks() {
  local ip; ip="$(k get pod fenced -o jsonpath='{.status.podIP}')"
  reaches "$ip" 8080 || { echo "fenced pod not reachable before any policy"; return 1; }
  render "$LBX_ROOT/test/smoke/policies.yaml" | awk '/^---/{exit} {print}' | k apply -f - >/dev/null
  eventually 30 blocked "$ip" 8080 && blocked "$ip" 9090
}
end_port_admits_exactly_the_range() {
  local ip; ip="$(k get pod fenced -o jsonpath='{.status.podIP}')"
  k apply -f "$LBX_ROOT/test/smoke/policies.yaml" >/dev/null
  eventually 30 reaches "$ip" 8080 && reaches "$ip" 8081 && blocked "$ip" 8082 && blocked "$ip" 9090
}
traefik_routes_ingress() {
  k apply -f "$LBX_ROOT/test/smoke/ingress.yaml" >/dev/null
  eventually 30 bash -c "[[ \"\$(curl -sS -m 2 -H 'Host: smoke.testbed.local' http://$NODE_IP:$TRAEFIK_HTTP_NODEPORT/)\" == 'port 8080' ]]"
}

check "node $NODE_NAME is Ready" node_ready
check "pods from the local registry run" workloads_run
check "images come from $LBX_REGISTRY" pulled_from_local_registry
check "kubectl exec returns output and exit code" exec_works
check "kubectl logs" logs_work
check "DNS resolves kubernetes.default" dns_resolves
check "a pod with RuntimeClass gvisor runs on gVisor's kernel" gvisor_runs
check "a ClusterIP Service routes" cluster_ip_routes
check "a PVC binds on the default StorageClass and keeps data" pvc_binds
check "a pod reaches the API server through the kubernetes Service" api_via_service
check "a default-deny NetworkPolicy blocks traffic" default_deny_blocks
check "a port+endPort policy admits exactly 8080-8081" end_port_admits_exactly_the_range
if [[ "${LBX_SKIP_TRAEFIK:-}" != 1 ]]; then
  check "Traefik routes an Ingress" traefik_routes_ingress
fi

echo "smoke: $passed passed, $failed failed"
((failed == 0))
