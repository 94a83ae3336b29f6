#!/usr/bin/env bash
# Latency the gateway adds in front of a sandbox's HTTP server: wrk against the pod directly and
# through the gateway, alternating, at concurrency 1, 10 and 50; then the same through the
# gateway with the credential handling at work (a browser's control-plane cookies and an API
# key stripped on the way in) in path mode and in host mode; writes bench/gateway.md.
# Usage: bench/gateway.sh (as root; brings the test bed up).
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"

"$LBX_ROOT/hack/toolchain/debian.sh"
"$LBX_ROOT/hack/cluster.sh" up >/dev/null
export KUBECONFIG="$KUBECONFIG_ADMIN"
eval "$("$LBX_ROOT/hack/toolchain/java.sh")"
mvn -B -ntp -q -f "$LBX_ROOT/pom.xml" -DskipTests package
jar="$LBX_ROOT/services/gateway/target/liteboxd-gateway-0.1.0-SNAPSHOT.jar"

ns=lbx-bench-gateway id=be0c0001 token="bench-$(date +%s)"
kc delete namespace "$ns" --ignore-not-found --wait >/dev/null
kc create namespace "$ns" >/dev/null
data="$(mktemp -d)"
gw_pid=""
trap 'kill "$gw_pid" 2>/dev/null; wait "$gw_pid" 2>/dev/null; kc delete namespace "$ns" --wait=false >/dev/null; rm -rf "$data"' EXIT

python3 - "$ns" "$id" "$token" "$(image_ref sandbox)" "$LBX_ROOT/services/gateway/src/test/resources/sandbox-server.py" \
  > "$data/pod.json" <<'PY'
import hashlib, json, sys
ns, sid, token, image, script = sys.argv[1:]
print(json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {
    "name": f"sandbox-{sid}", "namespace": ns,
    "labels": {"app": "liteboxd", "sandbox-id": sid},
    "annotations": {"liteboxd.io/access-token-sha256": hashlib.sha256(token.encode()).hexdigest()}},
  "spec": {"automountServiceAccountToken": False, "containers": [{"name": "main", "image": image,
    "imagePullPolicy": "IfNotPresent", "command": ["python3", "-c", open(script).read()],
    "resources": {"requests": {"cpu": "500m"}, "limits": {"cpu": "1"}},
    "readinessProbe": {"tcpSocket": {"port": 8765}, "periodSeconds": 1}}]}}))
PY
kc apply -f "$data/pod.json" >/dev/null
kc -n "$ns" wait --for=condition=Ready "pod/sandbox-$id" --timeout=120s >/dev/null
pod_ip="$(kc -n "$ns" get pod "sandbox-$id" -o jsonpath='{.status.podIP}')"

SANDBOX_NAMESPACE="$ns" GATEWAY_SANDBOX_DOMAIN=sbx.bench PORT=18081 java -jar "$jar" >"$data/gateway.log" 2>&1 &
gw_pid=$!
wait_for "the gateway" 60 curl -fsS http://127.0.0.1:18081/readyz
direct="http://$pod_ip:8080/hello"
via="http://127.0.0.1:18081/api/v1/sandbox/$id/port/8080/hello"
wait_for "the gateway to admit the sandbox" 30 curl -fsS -H "X-Access-Token: $token" "$via"
# The second table measures stripping: make sure it happens (the pod sees the app's cookie only).
seen="$(curl -fsS -H "X-Access-Token: $token" -H "Cookie: liteboxd_session=x; app=1" -H "Authorization: Bearer lbxk_x" \
  "http://127.0.0.1:18081/api/v1/sandbox/$id/port/8080/headers")"
jq -e '.headers.cookie == "app=1" and .headers.authorization == null' <<<"$seen" >/dev/null ||
  lbx_die "the gateway forwarded control-plane credentials: $seen"

# wrk prints e.g. "50%  635.00us": convert to milliseconds.
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
run() { # concurrency url [header...] -> "p50 p99 rps"
  local c="$1" url="$2" headers=() h; shift 2
  for h in "$@"; do headers+=(-H "$h"); done
  local out; out="$(wrk -t "$(( c < 2 ? 1 : 2 ))" -c "$c" -d 15s --latency "${headers[@]}" "$url")"
  echo "$(ms "$(awk '$1=="50%"{print $2}' <<<"$out")") $(ms "$(awk '$1=="99%"{print $2}' <<<"$out")") $(awk '/Requests\/sec/{printf "%d", $2}' <<<"$out")"
}
rss_peak=0
sample_rss() { while kill -0 "$gw_pid" 2>/dev/null; do
  r="$(awk '/VmRSS/{print $2}' "/proc/$gw_pid/status" 2>/dev/null)"; echo "${r:-0}"; sleep 0.5; done; }
sample_rss > "$data/rss" &
sampler=$!

report="$LBX_ROOT/bench/gateway.md"
{
  echo "# Gateway benchmark"
  echo
  echo "Reproduce: \`bench/gateway.sh\`. Machine: 2 vCPU, 24 GiB, Debian 12 VM, kernel 6.18, cgroup v1;"
  echo "the test bed of hack/cluster.sh (Kubernetes $KUBERNETES_VERSION). The sandbox runs"
  echo "services/gateway/src/test/resources/sandbox-server.py (Python's ThreadingHTTPServer, 1 CPU);"
  echo "the gateway is the packaged jar (Java 25, default heap) on the host, like wrk. \`GET /hello\`"
  echo "(a 14-byte JSON body), 15 s per run with wrk $(wrk --version 2>&1 | awk 'NR==1{print $2}'), direct to the pod IP and through the gateway,"
  echo "one after the other at each concurrency. Everything shares the same 2 cores, so at high"
  echo "concurrency the gateway also competes with wrk and the pod for CPU. Latencies in ms."
  echo
  echo "Run of $(date -u +%Y-%m-%dT%H:%MZ):"
  echo
  echo "| concurrency | direct p50 | gateway p50 | added p50 | direct p99 | gateway p99 | added p99 | direct req/s | gateway req/s |"
  echo "|---|---|---|---|---|---|---|---|---|"
  run 10 "$via" "X-Access-Token: $token" >/dev/null # warm-up: JIT, connection pool
  for c in 1 10 50; do
    read -r d50 d99 drps <<<"$(run "$c" "$direct")"
    read -r g50 g99 grps <<<"$(run "$c" "$via" "X-Access-Token: $token")"
    echo "| $c | $d50 | $g50 | $(awk -v a="$g50" -v b="$d50" 'BEGIN{printf "%+.2f", a-b}') | $d99 | $g99 | $(awk -v a="$g99" -v b="$d99" 'BEGIN{printf "%+.2f", a-b}') | $drps | $grps |"
  done
  echo
  echo "With the credential handling at work: each request also carries"
  echo "\`Cookie: liteboxd_session=<64 hex>; app=1; liteboxd_sandbox_token=<64 hex>\` and"
  echo "\`Authorization: Bearer lbxk_<64 hex>\`, which the gateway strips (the pod sees \`app=1\` only)."
  echo "Path mode also adds the CSP header; host mode routes by \`Host: 8080-$id.sbx.bench\`. Added = over direct, same run."
  echo
  echo "| concurrency | direct p50 | path mode p50 | added p50 | host mode p50 | added p50 | direct p99 | path mode p99 | host mode p99 | path req/s | host req/s |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  secret="$(printf '%064d' 7)"
  creds=("Cookie: liteboxd_session=$secret; app=1; liteboxd_sandbox_token=$secret" "Authorization: Bearer lbxk_$secret")
  host_url="http://127.0.0.1:18081/hello"
  run 10 "$host_url" "Host: 8080-$id.sbx.bench" "X-Access-Token: $token" "${creds[@]}" >/dev/null # warm-up
  for c in 1 10 50; do
    read -r d50 d99 drps <<<"$(run "$c" "$direct")"
    read -r p50 p99 prps <<<"$(run "$c" "$via" "X-Access-Token: $token" "${creds[@]}")"
    read -r h50 h99 hrps <<<"$(run "$c" "$host_url" "Host: 8080-$id.sbx.bench" "X-Access-Token: $token" "${creds[@]}")"
    echo "| $c | $d50 | $p50 | $(awk -v a="$p50" -v b="$d50" 'BEGIN{printf "%+.2f", a-b}') | $h50 | $(awk -v a="$h50" -v b="$d50" 'BEGIN{printf "%+.2f", a-b}') | $d99 | $p99 | $h99 | $prps | $hrps |"
  done
  kill "$sampler" 2>/dev/null
  echo
  echo "Before the credential handling (round 1, run of 2026-11-22T01:41Z, same script's first table):"
  echo "added p50 +0.11 / +0.27 / +1.29 ms and gateway req/s 4253 / 6910 / 7512 at concurrency 1 / 10 / 50."
  echo
  echo "Gateway resident memory during the runs: peak $(sort -n "$data/rss" | tail -1 | awk '{printf "%d MiB", $1/1024}')."
} > "$report.partial"
mv "$report.partial" "$report"
cat "$report"
