#!/usr/bin/env bash
# Sessions (issue 20): reattach latency and the helper's memory per idle session, on the release
# `make up` installed, used as it is. Writes bench/sessions.md (the "Reading" section is written
# by hand after a run; a new run drops it).
# Usage: bench/sessions.sh   (LBX_BENCH_REATTACHES, default 50)
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}"
[[ -f "$LBX_ROOT/.liteboxd/env" ]] || lbx_die "no release: run make up first"
source "$LBX_ROOT/.liteboxd/env"
report="$LBX_ROOT/bench/sessions.md"
{
  echo "# Sessions: reattach latency and memory per idle session"
  echo
  echo "Reproduce: \`make up && bench/sessions.sh\`. Machine: 2 vCPU, 24 GiB, Debian 12 VM; the test bed"
  echo "(one node). Requests from this host through the Traefik Ingress, one API replica (SQLite mode)."
  echo
  echo "Run of $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start:"
  echo
  "$LBX_CACHE/python/aiohttp-$AIOHTTP_VERSION/bin/python" "$LBX_ROOT/bench/sessions.py"
} > "$report.partial"
mv "$report.partial" "$report"
cat "$report"
