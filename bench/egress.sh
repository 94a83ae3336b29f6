#!/usr/bin/env bash
# Domain allowlists (issue 21): what the egress proxy costs a sandbox, against the same sandbox
# going out directly, in one run (bench/egress.py), on the release `make up` installed, with the
# servers of test/egress/fixture.sh (which turns the release's egress proxy on). Writes
# bench/egress.md (the "Reading" section is written by hand after a run; a new run drops it).
# Usage: bench/egress.sh   LBX_BENCH_REQUESTS (100), LBX_BENCH_MIB (256)
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}"
[[ -f "$LBX_ROOT/.liteboxd/env" ]] || lbx_die "no release: run make up first"
source "$LBX_ROOT/.liteboxd/env"
source "$LBX_ROOT/test/egress/fixture.sh"
egress_fixture_up
report="$LBX_ROOT/bench/egress.md"
started="$(date +%s)"
{
  echo "# Egress proxy: added latency and throughput"
  echo
  echo "Reproduce: \`make up && bench/egress.sh\`. Machine: 2 vCPU, 24 GiB, Debian 12 VM; the test bed"
  echo "(one node: the control plane, the services, both proxy replicas and the sandboxes share its 2 CPUs)."
  echo "Two sandboxes (image \`$LITEBOXD_SANDBOX_IMAGE\`, 1 CPU, 256Mi): one behind the egress proxy"
  echo "(allowlist \`allowed.egress.test\`), one with open internet access going out directly. Both fetch"
  echo "from test/egress's servers on the node (198.18.0.10, Python's http.server: the same server on both"
  echo "ways, so the difference is the proxy's), with curl inside the sandbox."
  echo
  echo "Run of $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start:"
  echo
  "$egress_python" "$LBX_ROOT/bench/egress.py"
  echo
  echo "Whole run: $(( $(date +%s) - started )) s."
} > "$report.partial"
mv "$report.partial" "$report"
cat "$report"
