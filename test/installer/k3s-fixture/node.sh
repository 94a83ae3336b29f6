# node.sh server|agent [flags]: the long-running part of the fixture's k3s (see k3s.sh). The
# fixture's service manager runs it; it stays in the foreground while the node runs.
set -eu
role="$1"; shift
data="$(dirname "$(readlink -f "$0")")"
. "$data/fixture.env"

node_ip="" node_name="${K3S_NODE_NAME:-$(hostname)}" server_url="${K3S_URL:-}" token="${K3S_TOKEN:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --node-ip=*) node_ip="${1#*=}" ;;
    --node-ip) node_ip="$2"; shift ;;
    --node-name=*) node_name="${1#*=}" ;;
    --node-name) node_name="$2"; shift ;;
    --server=*|-s=*) server_url="${1#*=}" ;;
    --server|-s) server_url="$2"; shift ;;
    --token=*|-t=*) token="${1#*=}" ;;
    --token|-t) token="$2"; shift ;;
    --tls-san|--disable|--flannel-backend|--cluster-cidr|--service-cidr|--data-dir) shift ;;  # real k3s flags the fixture accepts and ignores
    *) ;;
  esac
  shift
done
[ -n "$node_ip" ] || node_ip="$(ip -4 -o addr show scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')"
log() { echo "[k3s-fixture $role] $*"; }

server_dir=/var/lib/rancher/k3s/server
agent_dir=/var/lib/rancher/k3s/agent
run_dir=/run/k3s
mkdir -p "$agent_dir" "$run_dir" /etc/rancher/k3s

if [ "$role" = server ]; then
  # The server of this fixture is the test bed's control plane. What k3s's server would write
  # for its users is written here: a node token that lets agents join (a Kubernetes bootstrap
  # token, one per server install) and k3s.yaml. https://<this machine>:6443 reaches the
  # control plane through lbx-forward, as it would reach k3s's own.
  mkdir -p "$server_dir"; chmod 0700 "$server_dir"
  if [ ! -s "$server_dir/node-token" ]; then
    id="$(tr -dc 'a-z0-9' < /dev/urandom | head -c 6)"; secret="$(tr -dc 'a-z0-9' < /dev/urandom | head -c 16)"
    (umask 077; echo "$id.$secret" > "$server_dir/node-token.new"); mv "$server_dir/node-token.new" "$server_dir/node-token"
  fi
  token="$(cat "$server_dir/node-token")"
  KUBECONFIG="$data/admin.kubeconfig" kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Secret
metadata: {name: bootstrap-token-${token%%.*}, namespace: kube-system, labels: {liteboxd.io/k3s-fixture: "true"}}
type: bootstrap.kubernetes.io/token
stringData:
  token-id: "${token%%.*}"
  token-secret: "${token#*.}"
  usage-bootstrap-authentication: "true"
  auth-extra-groups: system:bootstrappers:k3s-fixture
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: k3s-fixture-node-bootstrapper, labels: {liteboxd.io/k3s-fixture: "true"}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:node-bootstrapper"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:bootstrappers:k3s-fixture"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: k3s-fixture-node-client-approve, labels: {liteboxd.io/k3s-fixture: "true"}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:certificates.k8s.io:certificatesigningrequests:nodeclient"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:bootstrappers:k3s-fixture"}]
YAML
  # k3s.yaml as k3s writes it (server on 127.0.0.1, root only); the test bed's certificate names
  # "kubernetes", not this machine's address, hence tls-server-name.
  (umask 077; sed -e "s#server: .*#server: https://127.0.0.1:6443\n    tls-server-name: kubernetes#" \
    "$data/admin.kubeconfig" > /etc/rancher/k3s/k3s.yaml.new)
  mv /etc/rancher/k3s/k3s.yaml.new /etc/rancher/k3s/k3s.yaml
  lbx-forward 0.0.0.0:6443 "${APISERVER#https://}" &
  server_url="https://127.0.0.1:6443"
fi

[ -n "$server_url" ] || { log "K3S_URL or --server is required"; exit 1; }
[ -n "$token" ] || { log "K3S_TOKEN or --token is required"; exit 1; }
# An agent joins through the server's address: it must answer before anything starts.
i=0
until curl -sk -m 5 -o /dev/null "$server_url/healthz"; do
  i=$((i + 1)); [ "$i" -lt 60 ] || { log "server $server_url does not answer"; exit 1; }
  sleep 1
done

# containerd: its own socket and state, cgroupfs, native snapshots (the machine's root may be an
# overlay), mirrors from registries.yaml as k3s renders them into a hosts directory.
hosts_dir="$agent_dir/etc/containerd/certs.d"
rm -rf "$hosts_dir"; mkdir -p "$hosts_dir" "$agent_dir/etc/cni/net.d"
if [ -s /etc/rancher/k3s/registries.yaml ]; then
  awk -v dir="$hosts_dir" '
    /^mirrors:/ { in_m = 1; next }
    /^[^ ]/ { in_m = 0 }
    in_m && /^  [^ ].*:[ ]*$/ { reg = $1; sub(/:$/, "", reg); gsub(/["\047]/, "", reg); next }
    in_m && reg != "" && /- / { ep = $0; sub(/.*- */, "", ep); gsub(/["\047]/, "", ep)
      f = dir "/" reg "/hosts.toml"; system("mkdir -p \"" dir "/" reg "\"")
      printf "[host.\"%s\"]\n  capabilities = [\"pull\", \"resolve\"]\n", ep >> f }' /etc/rancher/k3s/registries.yaml
fi
cat > "$agent_dir/etc/containerd/config.toml" <<TOML
version = 2
root = "$agent_dir/containerd"
state = "$run_dir/containerd"
[grpc]
  address = "$run_dir/containerd/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${PAUSE_IMAGE}"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$data/cni"
    conf_dir = "$agent_dir/etc/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$hosts_dir"
TOML
# Pods get a /24 of 10.78.0.0/16 named by the node address's last octet (one machine, one range).
cat > "$agent_dir/etc/cni/net.d/10-fixture.conflist" <<JSON
{"cniVersion": "1.0.0", "name": "k3s-fixture", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.78.${node_ip##*.}.0/24"}]], "dataDir": "$agent_dir/cni-ipam"}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
JSON

# The kubelet: TLS bootstrap with the node token, its own cgroup root so that several machines'
# kubelets share the host's cgroup hierarchies without meeting.
cgroup_root="/k3s-fixture-$node_name"
echo "$cgroup_root" > "$run_dir/cgroup-root"   # for k3s-killall.sh: this machine's cgroups only
for hierarchy in /sys/fs/cgroup/*/; do
  case "$hierarchy" in */unified/) ;; *) mkdir -p "$hierarchy$cgroup_root" ;; esac
done
kubelet_dir="$agent_dir/kubelet"; mkdir -p "$kubelet_dir" /var/lib/kubelet
(umask 077; cat > "$kubelet_dir/bootstrap.kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters: [{name: k3s, cluster: {server: "$APISERVER", certificate-authority: "$data/ca.crt"}}]
users: [{name: bootstrap, user: {token: "$token"}}]
contexts: [{name: default, context: {cluster: k3s, user: bootstrap}}]
current-context: default
KCFG
)
cat > "$kubelet_dir/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: "$data/ca.crt"}}
authorization: {mode: Webhook}
containerRuntimeEndpoint: "unix://$run_dir/containerd/containerd.sock"
cgroupDriver: cgroupfs
failCgroupV1: false
cgroupRoot: "$cgroup_root"
failSwapOn: false
readOnlyPort: 0
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%"}
shutdownGracePeriod: 0s
YAML

containerd --config "$agent_dir/etc/containerd/config.toml" > /var/log/k3s-containerd.log 2>&1 &
i=0
until [ -S "$run_dir/containerd/containerd.sock" ]; do
  i=$((i + 1)); [ "$i" -lt 100 ] || { log "containerd did not start (/var/log/k3s-containerd.log)"; exit 1; }
  sleep 0.2
done
log "node $node_name ($node_ip) joining $server_url"
# Ready as k3s reports it to systemd (Type=notify): the server's files are written and its port
# forwarded, containerd runs and the kubelet starts next.
[ -z "${NOTIFY_FILE:-}" ] || touch "$NOTIFY_FILE"
exec kubelet --config="$kubelet_dir/config.yaml" --bootstrap-kubeconfig="$kubelet_dir/bootstrap.kubeconfig" \
  --kubeconfig="$kubelet_dir/kubelet.kubeconfig" --cert-dir="$kubelet_dir/pki" --root-dir=/var/lib/kubelet \
  --hostname-override="$node_name" --node-ip="$node_ip" --node-labels="node.liteboxd.io/k3s-fixture=true" \
  --register-with-taints="node.liteboxd.io/k3s-fixture=true:NoSchedule" --v=1
