#!/usr/bin/env bash
# Stops the test bed and removes everything it put on the host: processes, pod sandboxes and
# their network namespaces and veths, mounts, the bridge, iptables rules and ipsets, cgroups,
# sockets and the state directory. Safe to run when nothing is up. The image caches in
# $LBX_CACHE stay, so the next `up` is fast.
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
[[ $EUID -eq 0 ]] || lbx_die "the test bed needs root"

# 0. The installer's test machines (hack/installer/hosts.sh) of an interrupted run: each ends
#    with its pid namespace (a fixture node's kubelet and containerd with it).
if compgen -G "$LBX_STATE/installer-hosts/*/ip" >/dev/null; then
  "$LBX_ROOT/hack/installer/hosts.sh" down >/dev/null 2>&1 || true
fi

# 1. No more restarts: the kubelet goes first, then every pod sandbox through the CRI, so
#    containerd runs CNI DEL (veths, IPAM leases and portmap rules go with it).
stop_daemon kubelet 15
if [[ -S "$CONTAINERD_SOCK" ]] && command -v crictl >/dev/null; then
  crictl_() { timeout 60 crictl --runtime-endpoint "unix://$CONTAINERD_SOCK" --timeout 30s "$@"; }
  crictl_ stopp $(crictl_ pods -q 2>/dev/null) >/dev/null 2>&1 || true
  crictl_ rmp -a -f >/dev/null 2>&1 || true
fi

# 2. The daemons, in reverse start order.
for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do stop_daemon "${DAEMONS[i]}" 15; done

# 3. Anything that escaped: shims of our containerd, processes left in the pods' cgroups.
pkill -KILL -f "containerd-shim.*-address $CONTAINERD_SOCK" 2>/dev/null || true
find /sys/fs/cgroup/*/kubepods* -name tasks -exec cat {} + 2>/dev/null | sort -u \
  | xargs -r kill -KILL 2>/dev/null || true
sleep 0.5

# 4. Mounts under our state dir (volumes, rootfs, shm), pod network namespaces, then cgroups.
{ findmnt -rn -o TARGET | grep -E "^($LBX_STATE|$CONTAINERD_ROOT|/run/netns/cni-)" || true; } | sort -r \
  | while read -r m; do umount -l "$m" 2>/dev/null || true; done
rm -f /run/netns/cni-* 2>/dev/null || true
for hierarchy in /sys/fs/cgroup/*/; do
  for top in "$hierarchy"kubepods* "$hierarchy"kube-proxy* "$hierarchy"k3s-fixture-* ; do
    [[ -d "$top" ]] && find "$top" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
done

# 5. Network: veths on our bridge, the bridge, then every rule and set Kubernetes,
#    the CNI plugins and kube-router created (their chains all carry these prefixes).
for veth in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
  ip link del "$veth" 2>/dev/null || true
done
ip link del "$BRIDGE" 2>/dev/null || true
"$LBX_ROOT/hack/cluster/firewall-clean.sh"

# 6. Files: state (etcd, PKI, kubelet, logs), kubelet's container log links, stale sockets.
rm -rf "$LBX_STATE"
# containerd's shims always put their sockets under /run/containerd/s; drop the dirs if empty.
rmdir /run/containerd/s /run/containerd/runc/k8s.io /run/containerd/runc /run/containerd 2>/dev/null || true
find /var/log/containers -maxdepth 1 -type l -lname "$LBX_STATE/*" -delete 2>/dev/null || true
lbx_log "test bed down"
