#!/usr/bin/env bash
# Lists what the test bed may leave on the host: its processes, mounts, network namespaces,
# links, iptables rules, ipsets, cgroups and sockets. Prints nothing and exits 0 when clean.
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"

found=0
report() { [[ -z "$2" ]] && return 0; found=1; printf '%s:\n%s\n' "$1" "$2" | sed '2,$s/^/  /'; }

report processes "$(pgrep -a -f "$LBX_CACHE/|$LBX_STATE|containerd-shim.*$CONTAINERD_SOCK|docker-registry serve" || true)"
report mounts "$(findmnt -rn -o TARGET | grep -E "^($LBX_STATE|$CONTAINERD_ROOT|/run/netns/cni-)" || true)"
report netns "$(ls /run/netns 2>/dev/null | grep -E '^(cni-|lbx-)' || true)"
report links "$(ip -o link show | awk -F': ' '{print $2}' | grep -E "^($BRIDGE|veth|lbx-inst0|lbxh)" || true)"
report iptables "$( { iptables-save; ip6tables-save; } 2>/dev/null | grep -E 'KUBE-|CNI-|kube-router' || true)"
report ipsets "$(ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router|inet6:KUBE-)' || true)"
report cgroups "$(ls -d /sys/fs/cgroup/*/kubepods* /sys/fs/cgroup/*/k3s-fixture-* 2>/dev/null || true)"
report state "$(ls -d "$LBX_STATE" 2>/dev/null || true)"
exit "$found"
