#!/usr/bin/env bash
# Start-up of the three service images before and after the JVM AOT cache and the container-sized
# JVM flags (issue 15 item 4), in one run: time from container start to the first /readyz 200
# (and to the pod's Ready condition), memory 10 s after that. Writes bench/starts.md.
# Usage: bench/starts.sh [RUNS]   (default 5 starts per image; before and after alternate)
#   LBX_STARTS_BASE: the revision whose images are "before" (default: the last one without the cache)
#   LBX_STARTS_MODE: pod  - pods on the running test bed (the default when it is up; never started here)
#                    runc - containers on the host under runc, with the pods' limits and security
#   LBX_STARTS_REPORT: where the report goes (default bench/starts.md)
# Both builds go through `jib:buildTar` and hack/images/aot.sh ("before" with LBX_AOT=0, which
# only repackages Jib's image), so they differ in exactly what the revisions change. Never starts
# the test bed; in pod mode it uses only the namespace lbx-starts (deleted at the end) and the
# tags starts-before and starts-after. The report's "Reading" section is written by hand after a
# run; a new run drops it.
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"

runs="${1:-5}"
base="${LBX_STARTS_BASE:-3ec1ba6348b8}"
report="${LBX_STARTS_REPORT:-$LBX_ROOT/bench/starts.md}"
ns=lbx-starts
services=(api gateway controller)
declare -A port=([api]=8080 [gateway]=8081 [controller]=8082)
declare -A memory=([api]=768 [gateway]=512 [controller]=384)   # hack/chart/testbed-values.yaml
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}" CONTAINERD_SOCK CRICTL="$LBX_CACHE/bin/crictl"
if [[ -z "${LBX_STARTS_MODE:-}" ]]; then
  if [[ -f "$KUBECONFIG" ]] && kubectl get --raw /readyz >/dev/null 2>&1; then LBX_STARTS_MODE=pod; else LBX_STARTS_MODE=runc; fi
fi
mode="$LBX_STARTS_MODE"
work="$(mktemp -d /tmp/lbx-starts.XXXXXX)"
fakekube_pid=""
cleanup() {
  [[ -n "$fakekube_pid" ]] && kill "$fakekube_pid" 2>/dev/null
  [[ "$mode" == pod ]] && kubectl delete namespace "$ns" --ignore-not-found --wait=false >/dev/null 2>&1
  [[ -n "${LBX_STARTS_KEEP:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT
starts() { python3 "$LBX_ROOT/bench/starts.py" "$@"; }

# --- the images -------------------------------------------------------------------------------
eval "$("$LBX_ROOT/hack/toolchain/java.sh")"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
offline=()
curl -fsS "http://$LBX_REGISTRY/v2/" >/dev/null 2>&1 || offline=(-o)  # Jib's cache has the JRE image
# build LABEL TREE: the three images of the source tree TREE as OCI layouts $work/images/LABEL-SERVICE
build() {
  local label="$1" tree="$2" aot=1 service
  [[ "$label" == before ]] && aot=0
  lbx_log "building the $label images"
  mvn -B -ntp -q "${offline[@]}" -f "$tree/pom.xml" -DskipTests package com.google.cloud.tools:jib-maven-plugin:buildTar \
    -Dliteboxd.image.registry="$LBX_REGISTRY" -Dliteboxd.image.tag="starts-$label" -Dliteboxd.shade.skip=true \
    -Dliteboxd.image.base="$(image_ref jre)" -Djib.allowInsecureRegistries=true 2> >(grep -v '^SLF4J(W)' >&2)
  for service in "${services[@]}"; do
    LBX_AOT="$aot" "$LBX_ROOT/hack/images/aot.sh" "$service" "$tree/services/$service/target/jib-image.tar" \
      "$work/images/$label-$service" "starts-$label" > "$work/images/$label-$service.digest"
  done
}
mkdir -p "$work/before" "$work/images" "$work/runs"
git -C "$LBX_ROOT" archive "$base" | tar -x -C "$work/before"
build before "$work/before"
build after "$LBX_ROOT"

# --- a stand-in Kubernetes API (runc mode; the API's pods in pod mode), HTTPS like the real one --
# fakekube ADDRESS: starts it on ADDRESS, writes $work/sa (token, ca.crt, namespace), sets fk_port.
fakekube() {
  mkdir -p "$work/sa"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=fakekube \
    -addext "subjectAltName=IP:$1" -keyout "$work/fakekube.key" -out "$work/sa/ca.crt" 2>/dev/null
  echo starts > "$work/sa/token"; echo "$ns" > "$work/sa/namespace"; chmod -R a+rX "$work/sa"
  python3 "$LBX_ROOT/hack/images/fakekube.py" "$work/fakekube.port" "$work/sa/ca.crt" "$work/fakekube.key" "$1" &
  fakekube_pid=$!
  wait_for fakekube 10 test -s "$work/fakekube.port"
  fk_port="$(cat "$work/fakekube.port")"
}
# What every service gets besides its chart settings: the bench's namespace for everything.
common_env=(SANDBOX_NAMESPACE="$ns" CONTROL_NAMESPACE="$ns")

if [[ "$mode" == pod ]]; then
  lbx_log "pushing the images as $LBX_REGISTRY/liteboxd/liteboxd-*:starts-{before,after}"
  declare -A image
  for label in before after; do
    for service in "${services[@]}"; do
      ref="$LBX_REGISTRY/liteboxd/liteboxd-$service:starts-$label"
      skopeo copy --quiet --dest-tls-verify=false --preserve-digests "oci:$work/images/$label-$service:starts-$label" "docker://$ref"
      image[$label-$service]="${ref%:*}@$(cat "$work/images/$label-$service.digest")"
    done
  done
  kubectl delete namespace "$ns" --ignore-not-found --wait=true >/dev/null
  kubectl create namespace "$ns" >/dev/null
  # The gateway and the controller use the real API server with a namespaced grant of what the
  # chart grants them (docs/rbac.md), everything in this one namespace. The API needs a
  # cluster-wide grant (RuntimeClasses) that this bench does not create: it talks to fakekube,
  # through the same in-cluster configuration (token and CA files, HTTPS).
  kubectl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: List
items:
  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: starts-liteboxd-api, namespace: $ns}}
  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: starts-liteboxd-gateway, namespace: $ns}}
  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: starts-liteboxd-controller, namespace: $ns}}
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata: {name: starts, namespace: $ns}
    rules:
      - {apiGroups: [""], resources: [pods], verbs: [list, watch, delete, patch]}
      - {apiGroups: [""], resources: [events], verbs: [create]}
      - {apiGroups: [apps], resources: [daemonsets], verbs: [list, watch, delete, patch]}
      - {apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get, create, update]}
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata: {name: starts, namespace: $ns}
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: starts}
    subjects:
      - {kind: ServiceAccount, name: starts-liteboxd-gateway, namespace: $ns}
      - {kind: ServiceAccount, name: starts-liteboxd-controller, namespace: $ns}
EOF
  fakekube "$NODE_IP"
  kubectl -n "$ns" create configmap starts-fake-sa --from-file="$work/sa" >/dev/null
  # Each tree's own chart renders the pods (probes, security context, limits of the test bed).
  for label in before after; do
    tree="$LBX_ROOT"; [[ "$label" == before ]] && tree="$work/before"
    for service in "${services[@]}"; do
      shown=(--show-only "templates/$service-deployment.yaml" --show-only "templates/$service-configmap.yaml")
      [[ "$service" == api ]] && shown+=(--show-only templates/secret.yaml)
      helm template starts "$tree/charts/liteboxd" -n "$ns" -f "$tree/hack/chart/testbed-values.yaml" \
        --kube-version "${KUBERNETES_VERSION#v}" "${shown[@]}" \
        | kubectl create --dry-run=client -o json -f - | jq -s . > "$work/render-$label-$service.json"
      extra=()
      [[ "$service" == api ]] && extra=(--env "KUBERNETES_SERVICE_HOST=$NODE_IP" --env "KUBERNETES_SERVICE_PORT=$fk_port"
                                        --service-account-configmap starts-fake-sa)
      starts make-pod --deployment "$work/render-$label-$service.json" --image "${image[$label-$service]}" \
        --service "$service" --label "$label" "${common_env[@]/#/--env=}" "${extra[@]}" > "$work/pod-$label-$service.json"
    done
  done
  # one LABEL SERVICE RUN: one start, one JSON line
  one() {
    jq '{apiVersion: "v1", kind: "List", items: [.[] | select(.kind != "Deployment")]}' "$work/render-$1-$2.json" | kubectl apply -f - >/dev/null
    local restart=(); [[ "$2" == api ]] && restart=(--restart)
    starts pod --manifest "$work/pod-$1-$2.json" --service "$2" --label "$1" --run "$3" --work "$work/runs" "${restart[@]}"
  }
else
  fakekube 127.0.0.1
  for label in before after; do
    for service in "${services[@]}"; do starts unpack "$work/images/$label-$service" "$work/rootfs/$label-$service"; done
  done
  one() {
    local env=("${common_env[@]}" KUBERNETES_SERVICE_HOST=127.0.0.1 "KUBERNETES_SERVICE_PORT=$fk_port"
               "PORT=${port[$2]}" "POD_NAME=starts-$2" LOG_LEVEL=INFO DRAIN_TIMEOUT=10s)
    local restart=()
    [[ "$2" == api ]] && env+=(DATA_DIR=/data ADMIN_INITIAL_PASSWORD=starts-bench-password
                               "SANDBOX_TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)") && restart=(--restart)
    starts runc --image-dir "$work/rootfs/$1-$2" --service "$2" --label "$1" --run "$3" --port "${port[$2]}" \
      --memory-mib "${memory[$2]}" --work "$work/runs" "${env[@]/#/--env=}" "${restart[@]}" \
      --mount "/var/run/secrets/kubernetes.io/serviceaccount=$work/sa"
  }
fi

# --- the starts ---------------------------------------------------------------------------------
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
lbx_log "warm-up: one start of each image (not counted)"
for label in before after; do for service in "${services[@]}"; do one "$label" "$service" 0 >/dev/null; done; done
lbx_log "$runs starts of each image ($mode)"
for ((r = 1; r <= runs; r++)); do
  order=(before after); (( r % 2 == 0 )) && order=(after before)
  for label in "${order[@]}"; do
    for service in "${services[@]}"; do one "$label" "$service" "$r" | tee -a "$work/results.jsonl" >&2; done
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- the report ---------------------------------------------------------------------------------
# manifest|config LABEL-SERVICE: the OCI layout's manifest or config (for the report)
manifest() { cat "$work/images/$1/blobs/sha256/$(jq -r '.manifests[0].digest' "$work/images/$1/index.json" | cut -d: -f2)"; }
config() { cat "$work/images/$1/blobs/sha256/$(manifest "$1" | jq -r .config.digest | cut -d: -f2)"; }
jre="$(tar --warning=no-unknown-keyword -xzOf "$work/images/after-api/blobs/sha256/$(manifest after-api | jq -r '.layers[0].digest' | cut -d: -f2)" \
  ./usr/lib/jvm/java-25-openjdk-amd64/release | sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p')"
{
  echo "# Service start-up: JVM AOT cache and container-sized flags"
  echo
  echo "Reproduce: \`bench/starts.sh [RUNS]\` (mode \`$mode\`). Machine: $(nproc) vCPU, $(free -g | awk '/^Mem:/ {print $2}') GiB,"
  echo "$(. /etc/os-release; echo "$PRETTY_NAME") VM, kernel $(uname -r), cgroup v1. Images: Jib onto"
  echo "\`$(image_ref jre)\` (Debian's OpenJDK $jre). \"before\": revision"
  echo "\`$base\`; \"after\": this tree, with the AOT cache trained when the image is built"
  echo "(hack/images/aot.sh). Entrypoints (the API's; the others differ in the main class and cache):"
  echo
  echo "- before: \`$(config before-api | jq -r '.config.Entrypoint | join(" ")')\`"
  echo "- after: \`$(config after-api | jq -r '.config.Entrypoint | join(" ")')\`"
  echo
  if [[ "$mode" == pod ]]; then
    echo "Pods on the test bed (Kubernetes $KUBERNETES_VERSION, containerd 1.6, runc), one at a time, each"
    echo "rendered by its revision's chart with \`hack/chart/testbed-values.yaml\` (probes, security"
    echo "context, memory limits 768/512/384 MiB, no CPU limit; before's chart runs the startup probe every"
    echo "2 s, after's every 1 s) in namespace \`$ns\`. Gateway and controller use the API server with a"
    echo "namespaced grant; the API, whose grant would be cluster-wide, an in-cluster configuration (token,"
    echo "CA, HTTPS) pointing at hack/images/fakekube.py. \`ready\`: container start (containerd's"
    echo "startedAt) to the first \`/readyz\` 200, polled from the node every 20 ms; \`pod Ready\`: to the"
    echo "kubelet's Ready condition, as a watch saw it. \"api, first start\": a new pod, whose API creates"
    echo "its database and the admin account (one bcrypt hash); \"api, restart\": after SIGTERM the kubelet"
    echo "restarts the container in the same pod, which finds its database (as a rollout's new pod does)."
  else
    echo "No test bed was up: containers under runc on the host, as the kubelet would run them (the"
    echo "image's entrypoint and user, read-only root, memory limits 768/512/384 MiB, no CPU limit, all"
    echo "capabilities dropped), with an in-cluster configuration (token, CA, HTTPS) pointing at"
    echo "hack/images/fakekube.py (empty lists, idle watches). \`ready\`: \`runc run\` to the first"
    echo "\`/readyz\` 200, polled every 20 ms. \"api, first start\": a new data directory, so the API"
    echo "creates its database and the admin account (one bcrypt hash); \"api, restart\": a second"
    echo "container on the same directories after the first exited on SIGTERM."
  fi
  echo "Memory 10 s after ready: the JVM's RSS (anonymous + file-backed; the AOT cache is a mapped"
  echo "file) and the container cgroup's working set. Median of $runs starts (min-max), before and after"
  echo "alternating, after one uncounted start of each image. Load average $load_before at the start,"
  echo "$load_after at the end."
  echo
  echo "Run of $(date -u +%Y-%m-%dT%H:%MZ):"
  echo
  starts summarize "$work/results.jsonl"
} > "$report"
cat "$report"
