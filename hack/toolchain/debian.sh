#!/usr/bin/env bash
# Installs the Debian packages the test bed runs on (container runtime, CNI plugins, firewall
# tools, the local registry, daemonless image tooling, PostgreSQL for the API's tests). Skips apt
# entirely when all are present.
source "$(dirname "$0")/../lib/common.sh"

packages=(
  containerd runc containernetworking-plugins   # container runtime + bridge/host-local/portmap CNI
  iptables ipset conntrack iproute2 ethtool     # kube-proxy and NetworkPolicy enforcement
  openssl                                       # cluster PKI
  docker-registry skopeo mmdebstrap             # local registry, push without Docker, root filesystems
  jq curl socat gcc libc6-dev git perl          # scripting, the pause binary, ct needs git
  wrk                                           # HTTP load for bench/gateway.sh
  chromium chromium-driver                      # the real-browser security test (test/browser)
  postgresql-15                                 # the API's Postgres-mode tests (hack/postgres.sh)
)
# The web console's build (web/build.sh) needs Node.js ≥ 18 with npm; Debian's when the machine has none.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  lbx_log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # hack/postgres.sh starts throw-away servers of its own: no system-wide cluster on port 5432.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/liteboxd.conf
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
