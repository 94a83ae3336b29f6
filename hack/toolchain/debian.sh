#!/usr/bin/env bash
# Installs the Debian packages the test bed runs on (container runtime, CNI plugins, firewall
# tools, the local registry, daemonless image tooling). Skips apt entirely when all are present.
source "$(dirname "$0")/../lib/common.sh"

packages=(
  containerd runc containernetworking-plugins   # container runtime + bridge/host-local/portmap CNI
  iptables ipset conntrack iproute2 ethtool     # kube-proxy and NetworkPolicy enforcement
  openssl                                       # cluster PKI
  docker-registry skopeo mmdebstrap             # local registry, push without Docker, root filesystems
  jq curl socat gcc libc6-dev git perl          # scripting, the pause binary, ct needs git
  wrk                                           # HTTP load for bench/gateway.sh
  chromium chromium-driver                      # the real-browser security test (test/browser)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  lbx_log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
