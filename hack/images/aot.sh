#!/usr/bin/env bash
# Gives a service image a JVM AOT cache (JEP 483/514/515: classes loaded and linked, method
# profiles) and writes it as an OCI layout for `skopeo copy`. Prints the image's digest.
# Usage: hack/images/aot.sh SERVICE JIB_TAR OUT_DIR TAG
#   JIB_TAR: the image as `jib:buildTar` wrote it (hack/images/services.sh)
#   LBX_AOT=0: no cache, the image as Jib built it (same OCI layout form)
#
# A cache only works with the JVM build that wrote it and the exact jars (paths, sizes, mtimes)
# of the class path, so it is trained inside the image itself: its layers are unpacked, and its
# entrypoint runs in a chroot (user 65532, a private network and PID namespace) with an in-cluster
# configuration (service account token and CA, HTTPS) pointing at hack/images/fakekube.py, until
# /readyz answers 200 and a few requests went through; then SIGTERM, and a second run assembles
# the cache from what the first recorded. The cache becomes one more layer, /app/aot/SERVICE.aot,
# and the entrypoint gets -XX:AOTCache. Trained with the image's own JVM flags (and -XX:MaxRAM=1g,
# so the heap keeps compressed oops as in a pod); a JVM that cannot use the cache says so on
# stderr and starts without it. Needs root (chroot, namespaces), like the test bed.
#
# Training takes about 20 s per service, so the cache layer is kept under $LBX_CACHE/aot (with
# the training's log), keyed on the image's layers and entrypoint and on this recipe: an
# unchanged build reuses it and keeps its digest.
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/lib/oci.sh"

service="$1" jib_tar="$2" out="$3" tag="$4"
aot_path="/app/aot/$service.aot"

rm -rf "$out"
mkdir -p "$out/jib" "$out/blobs/sha256"
tar -xf "$jib_tar" -C "$out/jib"
config_json="$(cat "$out/jib/config.json")"
mapfile -t layer_files < <(jq -r '.[0].Layers[]' "$out/jib/manifest.json")
for f in "${layer_files[@]}"; do mv "$out/jib/$f" "$out/blobs/sha256/${f%.tar.gz}"; done

layers="[]"
for f in "${layer_files[@]}"; do
  digest="${f%.tar.gz}"
  layers="$(jq -c --arg d "sha256:$digest" --argjson s "$(stat -c %s "$out/blobs/sha256/$digest")" \
    '. + [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}]' <<<"$layers")"
done

# train ROOTFS WORKDIR: writes WORKDIR/SERVICE.aot from the image unpacked in ROOTFS.
train() {
  local rootfs="$1" work="$2" entrypoint
  entrypoint="$(jq -c '.config.Entrypoint' <<<"$config_json")"
  [[ "$(jq -r '.[0]' <<<"$entrypoint")" == java ]] || lbx_die "$service: entrypoint does not start with java: $entrypoint"
  # The service's own environment, plus what each service needs to start (none of it reaches the image).
  local env_args=()
  mapfile -t env_args < <(jq -r '.config.Env[]?' <<<"$config_json")
  env_args+=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/aot-training
    PORT=8080 MICRONAUT_SERVER_PORT=8080 DRAIN_TIMEOUT=5s DATA_DIR=/aot-training/data POD_NAME=aot-training
    SANDBOX_NAMESPACE=aot-training CONTROL_NAMESPACE=aot-training
    ADMIN_INITIAL_PASSWORD=aot-training-password "SANDBOX_TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)"
    KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT=PORT_OF_FAKEKUBE)
  # In-cluster configuration, as in a pod: a service account's token and CA, HTTPS to the API.
  local sa="$rootfs/run/secrets/kubernetes.io/serviceaccount"
  mkdir -p "$sa"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=fakekube \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/fakekube.key" -out "$sa/ca.crt" 2>/dev/null
  echo aot-training-token > "$sa/token"
  echo aot-training > "$sa/namespace"
  chmod -R a+rX "$rootfs/run/secrets"
  # java FLAGS... -cp CLASSPATH MAIN: the AOT options go right after "java".
  local java_args=()
  mapfile -t java_args < <(jq -r '.[1:][]' <<<"$entrypoint")
  printf '%s\n' "${env_args[@]}" > "$work/env"
  printf '%s\n' "${java_args[@]}" > "$work/java-args"
  mkdir -p "$rootfs/aot-training/data"
  chown -R 65532:65532 "$rootfs/aot-training"
  cp "$LBX_ROOT/hack/images/fakekube.py" "$work/fakekube.py"
  cat > "$work/train.sh" <<'TRAINING'
set -euo pipefail
rootfs="$1" work="$2" service="$3"
ip link set lo up
mount -t proc proc "$rootfs/proc"
mount --rbind /dev "$rootfs/dev"
mount -t tmpfs -o mode=1777 tmpfs "$rootfs/tmp"
python3 "$work/fakekube.py" "$work/fakekube.port" "$rootfs/run/secrets/kubernetes.io/serviceaccount/ca.crt" \
  "$work/fakekube.key" < /dev/null &
for _ in $(seq 50); do [[ -s "$work/fakekube.port" ]] && break; sleep 0.1; done
mapfile -t env_args < <(sed "s/PORT_OF_FAKEKUBE/$(cat "$work/fakekube.port")/" "$work/env")
mapfile -t java_args < "$work/java-args"
# chroot execs env, env execs java: one process, the one $! names.
java=(chroot --userspec=65532:65532 "$rootfs" /usr/bin/env -i "${env_args[@]}" java -XX:MaxRAM=1g)

echo "== record"
"${java[@]}" -XX:AOTMode=record -XX:AOTConfiguration=/aot-training/$service.aotconf "${java_args[@]}" < /dev/null &
pid=$!
for _ in $(seq 1200); do
  curl -fsS -o /dev/null http://127.0.0.1:8080/readyz 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "the service exited before it was ready"; exit 1; }
  sleep 0.1
done
curl -fsS -o /dev/null http://127.0.0.1:8080/readyz
# A little traffic, so request handling is in the cache too (what fails is fine: it ran).
for path in /readyz /health /management/prometheus /openapi/liteboxd-api.yml /api/v1/templates \
    /api/v1/sandbox/none/port/80/ /no-such-path; do
  for _ in 1 2 3; do curl -s -o /dev/null "http://127.0.0.1:8080$path" || true; done
done
kill -TERM "$pid"
wait "$pid" || true
[[ -s "$rootfs/aot-training/$service.aotconf" ]] || { echo "no AOT configuration recorded"; exit 1; }
echo "== create"
"${java[@]}" -XX:AOTMode=create -XX:AOTConfiguration=/aot-training/$service.aotconf \
  -XX:AOTCache=/aot-training/$service.aot "${java_args[@]}"
echo "== check"
# AOTMode=on: the JVM refuses to start unless it can use the cache (as the image will run it).
args=("${java_args[@]}"); unset 'args[${#args[@]}-1]'
"${java[@]}" -XX:AOTMode=on -XX:AOTCache=/aot-training/$service.aot "${args[@]}" -version
TRAINING
  # PID, mount and network namespace of its own: ports, processes and mounts vanish with it.
  unshare --pid --mount --net --fork --kill-child bash "$work/train.sh" "$rootfs" "$work" "$service" \
    < /dev/null > "$work/training.log" 2>&1 \
    || { tail -n 40 "$work/training.log" >&2; lbx_die "$service: AOT training failed (LBX_AOT=0 builds without a cache)"; }
  mv "$rootfs/aot-training/$service.aot" "$work/$service.aot"
}

if [[ "${LBX_AOT:-1}" != 0 ]]; then
  key="$( { jq -c '[.rootfs.diff_ids, .config.Entrypoint]' <<<"$config_json"
            cat "$LBX_ROOT/hack/images/aot.sh" "$LBX_ROOT/hack/images/fakekube.py"; } | sha256sum | cut -c1-16)"
  cached="$LBX_CACHE/aot/$service-$key.tar.gz"
  if [[ ! -f "$cached" ]]; then
    lbx_log "$service: training its AOT cache"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    mkdir "$work/rootfs"
    for f in "${layer_files[@]}"; do
      tar --warning=no-unknown-keyword -xzf "$out/blobs/sha256/${f%.tar.gz}" -C "$work/rootfs"
    done
    train "$work/rootfs" "$work"
    mkdir -p "$work/layer${aot_path%/*}"
    install -m 0644 "$work/$service.aot" "$work/layer$aot_path"
    oci_layer_from_dir "$work/layer" "$work/layer.tar"
    mkdir -p "$LBX_CACHE/aot"
    gzip -1 -n -c "$work/layer.tar" > "$cached.partial"
    cp "$work/training.log" "${cached%.tar.gz}.log"
    mv "$cached.partial" "$cached"
    # Keep the three newest caches of each service (and their training logs).
    ls -t "$LBX_CACHE/aot/$service-"*.tar.gz | tail -n +4 | sed 's/\.tar\.gz$//' \
      | while read -r old; do rm -f "$old.tar.gz" "$old.log"; done
    rm -rf "$work"; trap - EXIT
  fi
  digest="$(sha256sum "$cached" | cut -d' ' -f1)"
  diff_id="sha256:$(gzip -dc "$cached" | sha256sum | cut -d' ' -f1)"
  cp "$cached" "$out/blobs/sha256/$digest"
  layers="$(jq -c --arg d "sha256:$digest" --argjson s "$(stat -c %s "$cached")" \
    '. + [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}]' <<<"$layers")"
  config_json="$(jq -c --arg id "$diff_id" --arg flag "-XX:AOTCache=$aot_path" '
    .rootfs.diff_ids += [$id]
    | .history += [{created: "1970-01-01T00:00:00Z", created_by: "hack/images/aot.sh", comment: "JVM AOT cache"}]
    | .config.Entrypoint = [.config.Entrypoint[0], $flag] + .config.Entrypoint[1:]' <<<"$config_json")"
fi

rm -rf "$out/jib"
oci_finish "$out" "$tag" "$config_json" "$layers"
echo "$_OCI_DIGEST"
