#!/bin/sh
# k3s-killall.sh of the installer's k3s test fixture: stops the k3s services and everything they
# started, then undoes their mounts and cgroups (what k3s's own killall script does).
set -u
for unit in k3s k3s-agent; do
  [ -f "/etc/systemd/system/$unit.service" ] && systemctl stop "$unit"
done
pkill -f containerd-shim-runc-v2 2>/dev/null
for m in $(awk '$2 ~ "^/(var/lib/kubelet|run/k3s|var/lib/rancher/k3s)" { print $2 }' /proc/self/mounts | sort -r); do
  umount -l "$m" 2>/dev/null
done
# The cgroup hierarchies are the real machine's, shared by every test machine: only this one's.
# What still runs in them (the pods' processes outlive their shims) is killed first; a cgroup
# with a process in it cannot be removed.
cgroup_root="$(cat /run/k3s/cgroup-root 2>/dev/null)"
if [ -n "$cgroup_root" ] && [ -d "/sys/fs/cgroup/pids$cgroup_root" ]; then
  i=0
  while :; do
    pids="$(find "/sys/fs/cgroup/pids$cgroup_root" -name cgroup.procs -exec cat {} + 2>/dev/null)"
    [ -n "$pids" ] || break
    kill -KILL $pids 2>/dev/null
    i=$((i + 1)); [ "$i" -lt 50 ] || { echo "k3s-killall: processes left in $cgroup_root: $pids" >&2; break; }
    sleep 0.1
  done
  for hierarchy in /sys/fs/cgroup/*/; do
    [ -d "$hierarchy$cgroup_root" ] && find "$hierarchy$cgroup_root" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
fi
ip link delete cni0 2>/dev/null
exit 0
