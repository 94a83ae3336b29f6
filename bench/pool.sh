#!/usr/bin/env bash
# Warm pools (issue 17): POST /sandboxes → running from a pool, cold, and in a burst larger than
# the pool, on the release `make up` installed, used as it is. Writes bench/pool.md (the
# "Reading" section is written by hand after a run; a new run drops it).
# Usage: bench/pool.sh
#   LBX_BENCH_CREATES (100), LBX_BENCH_COLD (30), LBX_BENCH_POOL (3), LBX_BENCH_BURST (20),
#   LBX_BENCH_POOL_BURST (6)
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}"
[[ -f "$LBX_ROOT/.liteboxd/env" ]] || lbx_die "no release: run make up first"
source "$LBX_ROOT/.liteboxd/env"
report="$LBX_ROOT/bench/pool.md"
started="$(date +%s)"
{
  echo "# Warm pools: create → running"
  echo
  echo "Reproduce: \`make up && bench/pool.sh\`. Machine: 2 vCPU, 24 GiB, Debian 12 VM; the test bed"
  echo "(one node: the control plane, the services and the sandboxes share its 2 CPUs). Requests from"
  echo "this host through the Traefik Ingress, one API replica (SQLite mode, \`make up\`'s default)."
  echo "One template: image \`$LITEBOXD_SANDBOX_IMAGE\`, \`sleep infinity\`, 100m CPU, 64Mi. Each figure is"
  echo "the time from sending \`POST /sandboxes\` to the sandbox being \`running\` (the POST's own answer"
  echo "for a claim; else GET polled every 50 ms); every sandbox is deleted once measured."
  echo
  echo "Run of $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start:"
  echo
  python3 "$LBX_ROOT/bench/pool.py"
  echo
  echo "Whole run: $(( $(date +%s) - started )) s."
} > "$report.partial"
mv "$report.partial" "$report"
cat "$report"
