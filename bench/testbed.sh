#!/usr/bin/env bash
# Measures the test bed: `up` time with a warm cache, smoke-suite time, `down` time, memory
# once up (host daemons' RSS + everything in the kubepods cgroup), and that `down` leaves
# nothing behind, over N cycles (default 2). Prints a Markdown table; bench/testbed.md keeps
# the last recorded run. Usage: bench/testbed.sh [CYCLES]
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"

cycles="${1:-2}"
ms() { date +%s%3N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
"$LBX_ROOT/hack/toolchain/install.sh" >/dev/null
"$LBX_ROOT/hack/images/build.sh"
"$LBX_ROOT/hack/cluster.sh" down

echo "| cycle | up (s) | smoke (s) | smoke result | down (s) | daemons RSS (MiB) | pods (MiB) | host used Δ (MiB) | leftovers |"
echo "|---|---|---|---|---|---|---|---|---|"
for ((c = 1; c <= cycles; c++)); do
  used_before="$(free -m | awk '/^Mem:/ {print $3}')"
  t0="$(ms)"; "$LBX_ROOT/hack/cluster/up.sh" >/dev/null; t1="$(ms)"
  daemons_kib=0
  for d in "${DAEMONS[@]}"; do
    pid="$(cat "$RUN/$d.pid")"
    daemons_kib=$((daemons_kib + $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")))
  done
  pods_bytes="$(cat /sys/fs/cgroup/memory/kubepods/memory.usage_in_bytes)"
  used_after="$(free -m | awk '/^Mem:/ {print $3}')"
  result="$("$LBX_ROOT/test/smoke/run.sh" | tail -1)"; t2="$(ms)"
  "$LBX_ROOT/hack/cluster/down.sh" 2>/dev/null; t3="$(ms)"
  if "$LBX_ROOT/hack/cluster/leftovers.sh" >/dev/null; then clean=none; else clean=FOUND; fi
  printf '| %d | %s | %s | %s | %s | %d | %d | %d | %s |\n' "$c" "$(secs "$t0" "$t1")" \
    "$(secs "$t1" "$t2")" "${result#smoke: }" "$(secs "$t2" "$t3")" $((daemons_kib / 1024)) \
    $((pods_bytes / 1048576)) $((used_after - used_before)) "$clean"
done
