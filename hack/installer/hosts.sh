#!/usr/bin/env bash
# Test "machines" for liteboxd-installer: each one a network namespace on a bridge, its own Debian
# root filesystem and its own OpenSSH server with password login, so the installer's SSH client
# and phases run against real sshd + sudo without VMs or Docker.
#
#   hosts.sh up NAME...          create/start machines (idempotent)
#   hosts.sh stop-sshd NAME      stop the machine's sshd (listener and sessions); the machine and
#                                what runs on it (a k3s node) stay
#   hosts.sh start-sshd NAME     start it again
#   hosts.sh drop-ssh NAME       the machine silently drops packets to port 22 (a connect times out)
#   hosts.sh undrop-ssh NAME     and stops doing so
#   hosts.sh new-host-keys NAME [TYPE]  regenerate the machine's SSH host keys, all of them or only
#                                one TYPE (ed25519: a server offering no other; sshd restarted if running)
#   hosts.sh down [NAME...]      stop and delete machines (all when none given)
#   hosts.sh ip NAME             print the machine's address
#   hosts.sh list                NAME IP running|halted sshd-up|sshd-down, one a line
#   hosts.sh exec NAME SCRIPT    SCRIPT as root inside the machine (the tests' console)
#   hosts.sh bridge              only make sure the bridge (10.77.0.1) exists
#   hosts.sh rootfs              only build the cached root filesystem tar
#
# Layout: one bridge lbx-inst0 (10.77.0.1/24) in the root namespace; machine NAME is netns lbx-NAME
# with eth0 = 10.77.0.<N> (N = 11, 12, ... the lowest free one when the machine is first created,
# recorded in its dir), a veth lbxh<N> on the bridge. Its files live in
# /var/lib/liteboxd-testbed/installer-hosts/NAME/: rootfs/, ip, machine.pid, init.log (sshd logs
# to the machine's /var/log/sshd.log).
#
# The root filesystem is unpacked per machine from one cached mmdebstrap tar rather than an overlayfs
# over a shared copy: the k3s fixture will later run containerd inside these machines, and
# containerd's overlayfs snapshotter cannot use an overlayfs as its backing filesystem; unpacking
# minbase takes about a second.
#
# A machine runs as: nsenter --net=lbx-NAME unshare --mount --uts --pid --fork --kill-child chroot
# ROOT bash (its pid 1, which reaps orphans); sshd is a daemon started inside it. All the machine's
# mounts (/proc, /sys with the VM's cgroup hierarchies, /dev, /dev/pts, /run, /tmp) are made inside
# that private mount namespace, so they vanish with it and nothing is ever mounted on the host;
# SIGKILL to its pid 1 (down) ends every process of the machine.
source "$(dirname "$0")/../lib/common.sh"

STATE=/var/lib/liteboxd-testbed/installer-hosts
BRIDGE=lbx-inst0
SUBNET=10.77.0
SUITE=bookworm
PACKAGES=openssh-server,sudo,iproute2,procps,ca-certificates,curl
# Bump when the customize hooks below change, so the cache key changes with them.
RECIPE=1
PASSWORD="${LBX_HOST_PASSWORD:-lbx-test-password}"

[[ $EUID -eq 0 ]] || lbx_die "hosts.sh needs root (network namespaces, chroot)"

# The machine's own Debian mirror, as deb lines for mmdebstrap: every deb822 stanza and one-line
# entry in /etc/apt/sources.list{,.d/*.sources,.d/*.list} for the suite (and -updates, -security).
mirror_lines() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk -v suite="$SUITE" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && uris != "") {
          n = split(suites, s, " "); split(uris, u, " ")
          for (i = 1; i <= n; i++) if (s[i] ~ "^" suite "(-|$)") for (j in u) print "deb " u[j] " " s[i] " " comps
        }
        types = uris = suites = comps = ""
      }
      /^[[:space:]]*$/ { flush(); next }
      /^#/ { next }
      /^Types:/ { sub(/^Types:[[:space:]]*/, ""); types = $0 }
      /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
      /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
      /^Components:/ { sub(/^Components:[[:space:]]*/, ""); comps = $0 }
      END { flush() }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    awk -v suite="$SUITE" '$1 == "deb" && $0 !~ /\[/ && $3 ~ "^" suite "(-|$)"' "$f"
  done
}

# Prints the path of the cached root filesystem tar, building it on first use.
rootfs_tar() {
  local key dir tar lines
  key="$(printf '%s\n' "$SUITE" minbase "$PACKAGES" "$RECIPE" | sha256sum | cut -c1-16)"
  dir="$LBX_CACHE/installer"
  tar="$dir/rootfs-$SUITE-$key.tar"
  if [[ ! -f $tar ]]; then
    mkdir -p "$dir"
    mapfile -t lines < <(mirror_lines)
    ((${#lines[@]})) || lbx_die "no $SUITE entry in /etc/apt/sources.list*"
    lbx_log "building the test host root filesystem with mmdebstrap ($PACKAGES) from ${lines[0]}"
    local started=$SECONDS
    # Host keys and machine-id are per machine: removed here, made when a machine is created.
    mmdebstrap --variant=minbase --format=tar --include="$PACKAGES" \
      --customize-hook='rm -f "$1"/etc/ssh/ssh_host_*_key* "$1"/etc/machine-id' \
      --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*_Packages' \
      "$SUITE" "$dir/partial-$key.tar" "${lines[@]}" >&2
    mv "$dir/partial-$key.tar" "$tar"
    lbx_log "root filesystem ready in $((SECONDS - started)) s: $tar"
  fi
  echo "$tar"
}

host_dir() { echo "$STATE/$1"; }
host_exists() { [[ -f "$(host_dir "$1")/ip" ]]; }
host_ip() { cat "$(host_dir "$1")/ip"; }
machine_pid() { local f; f="$(host_dir "$1")/machine.pid"; [[ -f $f ]] && cat "$f"; }
machine_running() {
  local pid; pid="$(machine_pid "$1")" || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && grep -q unshare "/proc/$pid/comm" 2>/dev/null
}
# machine_init NAME: pid of the machine's pid 1, or nothing (never a failure: callers assign it
# under set -e while the machine may still be starting).
machine_init() { local pid; pid="$(machine_pid "$1")" || return 0; pgrep -P "$pid" | head -1 || true; }
sshd_running() { machine_running "$1" && in_machine "$1" pgrep -x sshd >/dev/null; }
check_name() { [[ $1 =~ ^[a-z0-9][a-z0-9-]{0,20}$ ]] || lbx_die "bad host name '$1' (a-z, 0-9, -; up to 21)"; }

ensure_bridge() {
  # Under the state dir's lock: two hosts.sh may bring machines up at once (make test does).
  mkdir -p "$STATE"
  (
    flock 9
    if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
      ip link add "$BRIDGE" type bridge
      ip addr add "$SUBNET.1/24" dev "$BRIDGE"
    fi
    ip link set "$BRIDGE" up
  ) 9>"$STATE/.lock"
}

next_ip() {
  local n used
  used="$(cat "$STATE"/*/ip 2>/dev/null || true)"
  for ((n = 11; n < 250; n++)); do
    grep -qx "$SUBNET.$n" <<<"$used" || { echo "$SUBNET.$n"; return; }
  done
  lbx_die "no free address in $SUBNET.0/24"
}

ensure_netns() {
  local name=$1 ip octet veth
  ip="$(host_ip "$name")"; octet="${ip##*.}"; veth="lbxh$octet"
  ensure_bridge
  if ! ip netns list | awk '{print $1}' | grep -qx "lbx-$name"; then
    ip netns add "lbx-$name"
  fi
  if ! ip link show "$veth" >/dev/null 2>&1; then
    ip link add "$veth" type veth peer name eth0 netns "lbx-$name"
    ip link set "$veth" master "$BRIDGE" up
    ip -n "lbx-$name" link set lo up
    ip -n "lbx-$name" addr add "$ip/24" dev eth0
    ip -n "lbx-$name" link set eth0 up
    ip -n "lbx-$name" route add default via "$SUBNET.1"
  fi
}

# First creation: address, root filesystem, user, sshd settings, host keys.
create_host() {
  local name=$1 dir root tar
  dir="$(host_dir "$name")"; root="$dir/rootfs"
  tar="$(rootfs_tar)"
  mkdir -p "$STATE"
  rm -rf "$dir.partial"; mkdir -p "$dir.partial/rootfs"
  tar -xf "$tar" -C "$dir.partial/rootfs"
  root="$dir.partial/rootfs"
  echo "$name" >"$root/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$name" >"$root/etc/hosts"
  : >"$root/etc/resolv.conf"
  tr -d - </proc/sys/kernel/random/uuid >"$root/etc/machine-id"
  chroot "$root" useradd --create-home --shell /bin/bash --groups sudo lbx
  printf 'lbx:%s\n' "$PASSWORD" | chroot "$root" chpasswd
  chroot "$root" passwd --lock root >/dev/null
  cat >"$root/etc/ssh/sshd_config.d/liteboxd-testbed.conf" <<'EOF'
PermitRootLogin no
PasswordAuthentication yes
KbdInteractiveAuthentication no
UseDNS no
EOF
  # No systemd/logind here: a session must not fail on pam_loginuid.
  sed -i 's/^session\s\+required\s\+pam_loginuid.so/session optional pam_loginuid.so/' "$root/etc/pam.d/sshd"
  chroot "$root" ssh-keygen -A >/dev/null
  # Claim an address under the lock of the state dir, then publish the machine.
  (
    flock 9
    next_ip >"$dir.partial/ip"
    mv "$dir.partial" "$dir"
  ) 9>"$STATE/.lock"
  lbx_log "$name: created, $(host_ip "$name")"
}

wait_port() {
  local ip=$1 i
  for ((i = 0; i < 100; i++)); do
    timeout 1 bash -c ">/dev/tcp/$ip/22" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# The machine: pid 1 of its own pid namespace (a chroot'ed bash that only reaps orphans), with
# its mounts in its private mount namespace. Entered with nsenter --net, not `ip netns exec`,
# which would remount /sys and hide the VM's cgroup hierarchies the fixture's kubelet needs.
boot_machine() {
  local name=$1 dir root
  dir="$(host_dir "$name")"; root="$dir/rootfs"
  machine_running "$name" && return 0
  ensure_netns "$name"
  # shellcheck disable=SC2016
  setsid nsenter --net="/run/netns/lbx-$name" unshare --mount --uts --pid --fork --kill-child=SIGKILL \
    --propagation private bash -c '
      set -e
      root=$1; name=$2
      hostname "$name"
      mount --bind "$root" "$root"              # a mount point, as a machine root is (kubelet looks)
      mount -t proc proc "$root/proc"
      mount -t sysfs sysfs "$root/sys"
      mount --rbind /sys/fs/cgroup "$root/sys/fs/cgroup"
      mount --bind /dev "$root/dev"
      mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666,mode=0620,gid=5
      mount --bind "$root/dev/pts/ptmx" "$root/dev/ptmx"
      mount -t tmpfs tmpfs "$root/dev/shm" -o mode=1777,nosuid,nodev
      mount -t tmpfs tmpfs "$root/run" -o mode=0755,nosuid,nodev
      mount -t tmpfs tmpfs "$root/tmp" -o mode=1777,nosuid,nodev
      mkdir -p "$root/run/sshd" "$root/run/lock"
      exec chroot "$root" /bin/bash -c "while :; do wait; sleep 1; done"
    ' machine-init "$root" "$name" </dev/null >>"$dir/init.log" 2>&1 &
  echo $! >"$dir/machine.pid"
  # Booted once pid 1 has mounted everything and entered its root (before that, nsenter --root
  # would land in the VM's root and see the VM's processes).
  local i init
  for ((i = 0; i < 50; i++)); do
    init="$(machine_init "$name")"
    [[ -n $init && "$(readlink "/proc/$init/root")" == "$root" ]] && return 0
    sleep 0.1
  done
  lbx_die "$name: the machine did not start (see $dir/init.log)"
}

# halt_machine NAME: SIGKILL to the machine's pid 1 ends its pid namespace, every process in it.
halt_machine() {
  local name=$1 pid init
  pid="$(machine_pid "$name")" || return 0
  if [[ -n $pid ]] && machine_running "$name"; then
    # unshare ignores SIGTERM while it waits; SIGKILL to the machine's pid 1 is how a pid
    # namespace ends: the kernel kills every other process in it, then unshare exits.
    init="$(machine_init "$name")"
    [[ -n $init ]] && kill -KILL "$init" 2>/dev/null
    lbx_wait_exit "$pid" 10 || { kill -KILL "$pid" 2>/dev/null || true; lbx_wait_exit "$pid" 5 || lbx_die "$name: unshare $pid did not exit"; }
  fi
  rm -f "$(host_dir "$name")/machine.pid"
  # No process of the machine may be left in its network namespace.
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -z "$(ip netns pids "lbx-$name" 2>/dev/null)" ]] && return 0
    sleep 0.1
  done
  lbx_die "$name: processes left in netns lbx-$name: $(ip netns pids "lbx-$name" | tr '\n' ' ')"
}

# in_machine NAME CMD...: CMD as root inside the machine (its namespaces and root), like its console.
in_machine() {
  local name=$1 init; shift
  init="$(machine_init "$name")"; [[ -n $init ]] || lbx_die "$name: the machine is not running"
  nsenter --target "$init" --mount --uts --ipc --net --pid --root --wd -- "$@"
}

# sshd is a daemon of the machine (its listener and every session): stopping it leaves the rest
# of the machine (a k3s node, say) running, as `systemctl stop ssh` would.
start_sshd() {
  local name=$1 ip
  ip="$(host_ip "$name")"
  boot_machine "$name"
  sshd_running "$name" && return 0
  local root; root="$(host_dir "$name")/rootfs"
  in_machine "$name" /usr/sbin/sshd -E /var/log/sshd.log ||
    lbx_die "$name: sshd did not start: $(tail -n 3 "$root/var/log/sshd.log" 2>/dev/null | tr '\n' ' ')"
  wait_port "$ip" || lbx_die "$name: sshd did not listen on $ip:22: $(tail -n 3 "$root/var/log/sshd.log" | tr '\n' ' ')"
  lbx_log "$name: sshd up on $ip:22"
}

stop_sshd() {
  local name=$1 i
  machine_running "$name" || return 0
  in_machine "$name" pkill -KILL -x sshd || true
  for ((i = 0; i < 50; i++)); do
    in_machine "$name" pgrep -x sshd >/dev/null || return 0
    sleep 0.1
  done
  lbx_die "$name: sshd did not stop"
}

cmd_up() {
  local name
  (($#)) || lbx_die "usage: hosts.sh up NAME..."
  for name in "$@"; do
    check_name "$name"
    host_exists "$name" || create_host "$name"
    start_sshd "$name"
  done
}

cmd_down() {
  local names=("$@") name dir
  if ((${#names[@]} == 0)); then
    for dir in "$STATE"/*/; do [[ -f $dir/ip ]] && names+=("$(basename "$dir")"); done
  fi
  for name in "${names[@]}"; do
    check_name "$name"
    dir="$(host_dir "$name")"
    halt_machine "$name"
    if [[ -f $dir/ip ]]; then ip link del "lbxh$(host_ip "$name" | cut -d. -f4)" 2>/dev/null || true; fi
    ip netns del "lbx-$name" 2>/dev/null || true
    if findmnt -rn -o TARGET | grep -q "^$dir/"; then lbx_die "$name: still mounted under $dir"; fi
    rm -rf "$dir" "$dir.partial"
    lbx_log "$name: deleted"
  done
  if ! compgen -G "$STATE/*/ip" >/dev/null; then
    ip link del "$BRIDGE" 2>/dev/null || true
  fi
}

cmd_list() {
  local dir name
  for dir in "$STATE"/*/; do
    [[ -f $dir/ip ]] || continue
    name="$(basename "$dir")"
    printf '%s %s %s %s\n' "$name" "$(host_ip "$name")" "$(machine_running "$name" && echo running || echo halted)" \
      "$(sshd_running "$name" && echo sshd-up || echo sshd-down)"
  done
}

need_host() { check_name "$1"; host_exists "$1" || lbx_die "no test host '$1' (hosts.sh up $1)"; }

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  stop-sshd) [[ $# -eq 2 ]] || lbx_die "usage: hosts.sh stop-sshd NAME"; need_host "$2"; stop_sshd "$2"; lbx_log "$2: sshd stopped" ;;
  start-sshd) [[ $# -eq 2 ]] || lbx_die "usage: hosts.sh start-sshd NAME"; need_host "$2"; start_sshd "$2" ;;
  ip) [[ $# -eq 2 ]] || lbx_die "usage: hosts.sh ip NAME"; need_host "$2"; host_ip "$2" ;;
  drop-ssh | undrop-ssh)
    [[ $# -eq 2 ]] || lbx_die "usage: hosts.sh $1 NAME"; need_host "$2"
    if [[ $1 == drop-ssh ]]; then
      ip netns exec "lbx-$2" iptables -C INPUT -p tcp --dport 22 -j DROP 2>/dev/null ||
        ip netns exec "lbx-$2" iptables -I INPUT -p tcp --dport 22 -j DROP
    else
      while ip netns exec "lbx-$2" iptables -D INPUT -p tcp --dport 22 -j DROP 2>/dev/null; do :; done
    fi
    ;;
  new-host-keys)
    [[ $# -eq 2 || $# -eq 3 ]] || lbx_die "usage: hosts.sh new-host-keys NAME [TYPE]"; need_host "$2"
    was_running=false; sshd_running "$2" && was_running=true
    stop_sshd "$2"
    rm -f "$(host_dir "$2")"/rootfs/etc/ssh/ssh_host_*_key*
    if [[ $# -eq 3 ]]; then
      # sshd skips the default HostKey files that are missing and offers the one left.
      chroot "$(host_dir "$2")/rootfs" ssh-keygen -q -t "$3" -N '' -f "/etc/ssh/ssh_host_$3_key"
    else
      chroot "$(host_dir "$2")/rootfs" ssh-keygen -A >/dev/null
    fi
    lbx_log "$2: new host keys ${3:-(all types)}"
    if $was_running; then start_sshd "$2"; fi
    ;;
  list) cmd_list ;;
  exec) [[ $# -ge 3 ]] || lbx_die "usage: hosts.sh exec NAME SCRIPT"; need_host "$2"; in_machine "$2" sh -c "$3" ;;
  bridge) ensure_bridge ;;
  rootfs) rootfs_tar ;;
  *) lbx_die "usage: hosts.sh up|down|stop-sshd|start-sshd|ip|list|rootfs [NAME...]" ;;
esac
