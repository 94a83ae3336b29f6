#!/usr/bin/env bash
# Brings the single-node test-bed cluster up (idempotent): local registry, containerd, etcd,
# control plane, kubelet, kube-proxy, then the in-cluster add-ons. Needs the toolchain
# (hack/toolchain/install.sh) and images (hack/images/build.sh) built first.
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"
[[ $EUID -eq 0 ]] || lbx_die "the test bed needs root (containerd, iptables, mounts)"

started=$(date +%s)
mkdir -p "$RUN" "$LOGS" "$CONF" "$LBX_STATE/cni" "$LBX_STATE/pod-logs" "$REGISTRY_DATA"
export LBX_STATE RUN PKI CONTAINERD_SOCK CONTAINERD_ROOT REGISTRY_DATA LBX_REGISTRY BRIDGE NODE_IP \
  NODE_NAME POD_CIDR CLUSTER_DOMAIN DNS_SERVICE_IP
export PAUSE_IMAGE; PAUSE_IMAGE="$(image_ref pause)"
export CONTAINERD_LOG_LEVEL="${CONTAINERD_LOG_LEVEL:-info}"
export RUNSC_BINARY="$LBX_CACHE/gvisor/$GVISOR_VERSION/runsc"
export RUNSC_SHIM="$LBX_CACHE/gvisor/$GVISOR_VERSION/containerd-shim-runsc-v1"
# A file is only rewritten when its content changes: kube-proxy exits on any write to its config
# file, and `make up` on a running test bed must leave the running daemons alone.
changed=()
for f in containerd.toml runsc.toml cni.conflist kubelet.yaml kube-proxy.yaml audit-policy.yaml registry.yml; do
  render "$LBX_ROOT/hack/cluster/config/$f" > "$CONF/$f.new"
  if cmp -s "$CONF/$f.new" "$CONF/$f"; then rm "$CONF/$f.new"; else mv "$CONF/$f.new" "$CONF/$f"; changed+=("$f"); fi
done
# containerd reads its runtimes once; a running one is restarted to take a changed list (its
# shims, and so the running containers, carry on without it).
if [[ " ${changed[*]} " == *" containerd.toml "* ]] && daemon_running containerd; then
  lbx_log "containerd's configuration changed: restarting it"
  stop_daemon containerd 20
fi
cp "$CONF/cni.conflist" "$LBX_STATE/cni/10-lbx.conflist"
echo "nameserver $DNS_SERVICE_IP" > "$LBX_STATE/resolv.conf"

# /run/netns as its own shared mount before the first pod's network namespace is made there, as
# `ip netns add` would make it: done later (the installer's test machines use ip netns), that bind
# mount would hide every pod netns mounted before it, and down.sh could no longer unmount them.
mkdir -p /run/netns
if ! mountpoint -q /run/netns; then mount --bind /run/netns /run/netns; fi
mount --make-shared /run/netns

# Kernel settings for bridged pod traffic to pass through iptables (Services, NetworkPolicies).
sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
  ip link add "$BRIDGE" type bridge
  ip addr add "$NODE_IP/${POD_CIDR#*/}" dev "$BRIDGE"
fi
ip link set "$BRIDGE" up

lbx_log "local registry on $LBX_REGISTRY"
start_daemon registry docker-registry serve "$CONF/registry.yml"
wait_for "registry" 20 curl -fsS "http://$LBX_REGISTRY/v2/"
"$LBX_ROOT/hack/images/push.sh"

mkdir -p "$LBX_STATE/containerd-hosts/$LBX_REGISTRY"
cat > "$LBX_STATE/containerd-hosts/$LBX_REGISTRY/hosts.toml" <<TOML
server = "http://$LBX_REGISTRY"
[host."http://$LBX_REGISTRY"]
  capabilities = ["pull", "resolve"]
TOML
# containerd looks up runtime shims on its PATH: gVisor's goes through our adapter.
mkdir -p "$LBX_STATE/shims"
render "$LBX_ROOT/hack/cluster/config/containerd-shim-runsc-v1" > "$LBX_STATE/shims/containerd-shim-runsc-v1"
chmod 0755 "$LBX_STATE/shims/containerd-shim-runsc-v1"
PATH="$LBX_STATE/shims:$PATH" start_daemon containerd containerd --config "$CONF/containerd.toml"
wait_for "containerd" 20 test -S "$CONTAINERD_SOCK"

"$LBX_ROOT/hack/cluster/pki.sh"

lbx_log "etcd and control plane"
start_daemon etcd etcd --data-dir "$LBX_STATE/etcd" --name lbx \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster lbx=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
  --quota-backend-bytes 2147483648 --log-level warn
wait_for "etcd" 30 curl -fsS http://127.0.0.1:2381/health

start_daemon kube-apiserver kube-apiserver \
  --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=0.0.0.0 --secure-port="$APISERVER_PORT" --advertise-address="$NODE_IP" \
  --service-cluster-ip-range="$SERVICE_CIDR" --allow-privileged=true --kubelet-preferred-address-types=InternalIP \
  --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction,PodSecurity \
  --client-ca-file="$PKI/ca.crt" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" \
  --kubelet-client-key="$PKI/apiserver-kubelet-client.key" --kubelet-certificate-authority="$PKI/ca.crt" \
  --service-account-issuer="https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
  --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
  --audit-policy-file="$CONF/audit-policy.yaml" --audit-log-path="$LOGS/audit.log" \
  --audit-log-maxsize=100 --audit-log-maxbackup=1 \
  --enable-bootstrap-token-auth=true --enable-priority-and-fairness=false --profiling=false
wait_for "kube-apiserver" 60 kc get --raw /readyz

start_daemon kube-controller-manager kube-controller-manager \
  --kubeconfig="$LBX_STATE/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig="$LBX_STATE/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig="$LBX_STATE/kube-controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
  --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
  --root-ca-file="$PKI/ca.crt" --service-account-private-key-file="$PKI/sa.key" \
  --service-cluster-ip-range="$SERVICE_CIDR" --controllers='*,bootstrapsigner,tokencleaner' \
  --profiling=false
start_daemon kube-scheduler kube-scheduler \
  --kubeconfig="$LBX_STATE/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig="$LBX_STATE/kube-scheduler.kubeconfig" \
  --authorization-kubeconfig="$LBX_STATE/kube-scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false --profiling=false

lbx_log "kubelet and kube-proxy"
start_daemon kubelet kubelet --config="$CONF/kubelet.yaml" --kubeconfig="$LBX_STATE/kubelet.kubeconfig" \
  --root-dir="$LBX_STATE/kubelet" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --v=1
start_daemon kube-proxy kube-proxy --config="$CONF/kube-proxy.yaml"
wait_for "node $NODE_NAME to register" 60 kc get node "$NODE_NAME"
kc wait --for=condition=Ready "node/$NODE_NAME" --timeout=60s >/dev/null

"$LBX_ROOT/hack/cluster/addons.sh"
lbx_log "test bed up in $(( $(date +%s) - started ))s; registry $LBX_REGISTRY"
echo "export KUBECONFIG=$KUBECONFIG_ADMIN"
