#!/bin/sh
# @UNIT@'s uninstall script (the installer's k3s test fixture): stop everything, then remove what
# install.sh and the node put on this machine, this script included.
set -u
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
# A server's node token is a bootstrap token of the test bed: it goes with the server.
if [ -s /var/lib/rancher/k3s/server/node-token ]; then
  token="$(cat /var/lib/rancher/k3s/server/node-token)"
  KUBECONFIG="$(@BIN_DIR@/k3s fixture-data-dir)/admin.kubeconfig" @BIN_DIR@/k3s kubectl -n kube-system \
    delete secret "bootstrap-token-${token%%.*}" --ignore-not-found >/dev/null
fi
@BIN_DIR@/k3s-killall.sh
systemctl disable @UNIT@ >/dev/null 2>&1
rm -f /etc/systemd/system/@UNIT@.service /etc/systemd/system/@UNIT@.service.env
rm -rf /etc/rancher/k3s /var/lib/rancher/k3s /var/lib/kubelet /run/k3s /var/log/k3s-containerd.log
rm -f @BIN_DIR@/kubectl @BIN_DIR@/k3s @BIN_DIR@/k3s-killall.sh
grep -q "k3s test fixture" @BIN_DIR@/systemctl 2>/dev/null && rm -f @BIN_DIR@/systemctl
rm -f "$0"
