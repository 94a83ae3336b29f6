# The test-bed cluster's layout: where its state, sockets, logs and certificates live, its
# addresses, and helpers to run its daemons. Sourced by hack/cluster/*.sh after common.sh.

LBX_STATE="${LBX_STATE:-/var/lib/liteboxd-testbed}"  # wiped by `down`
RUN="$LBX_STATE/run"; LOGS="$LBX_STATE/log"; PKI="$LBX_STATE/pki"; CONF="$LBX_STATE/conf"
CONTAINERD_SOCK="$RUN/containerd.sock"
# Image content survives `down` so the next `up` does not pull everything again.
CONTAINERD_ROOT="$LBX_CACHE/containerd-root"
REGISTRY_DATA="$LBX_CACHE/registry"

# The node's address is the gateway of its own pod bridge: reachable from every pod and from
# the host, and owned by the test bed (no host interface is involved).
NODE_NAME="lbx-node"
BRIDGE="lbx0"
NODE_IP="10.244.0.1"
POD_CIDR="10.244.0.0/24"
SERVICE_CIDR="10.96.0.0/16"
KUBERNETES_SERVICE_IP="10.96.0.1"
DNS_SERVICE_IP="10.96.0.10"
CLUSTER_DOMAIN="cluster.local"
APISERVER_PORT=6443
TRAEFIK_HTTP_NODEPORT=30080
TRAEFIK_HTTPS_NODEPORT=30443
KUBECONFIG_ADMIN="$LBX_STATE/admin.kubeconfig"

export PATH="$LBX_CACHE/bin:$PATH"

# The daemons, in start order; `down` stops them in reverse.
DAEMONS=(registry containerd etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

# start_daemon NAME CMD...: runs CMD in its own session with output in $LOGS/NAME.log.
start_daemon() {
  local name="$1"; shift
  if daemon_running "$name"; then return 0; fi
  mkdir -p "$RUN" "$LOGS"
  setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
}

daemon_running() {
  local pid; pid="$(cat "$RUN/$1.pid" 2>/dev/null)" || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

# stop_daemon NAME [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default 10).
stop_daemon() {
  local name="$1" wait="${2:-10}" pid
  pid="$(cat "$RUN/$name.pid" 2>/dev/null)" || return 0
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    lbx_wait_exit "$pid" "$wait" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/$name.pid"
}

# wait_for DESCRIPTION SECONDS CMD...: retries CMD every half second until it succeeds.
wait_for() {
  local what="$1" secs="$2"; shift 2
  local i; for ((i = 0; i < secs * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  lbx_die "timed out after ${secs}s waiting for $what"
}

kc() { kubectl --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

# render FILE: prints FILE with ${VAR} references replaced from the environment.
render() { perl -pe 's/\$\{([A-Z_][A-Z0-9_]*)\}/exists $ENV{$1} ? $ENV{$1} : die("unset: $1\n")/ge' "$1"; }
