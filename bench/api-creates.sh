#!/usr/bin/env bash
# Sandbox creates per second at concurrency 10 with 1 and 2 API replicas (issue 15), on the
# release `make up` installed; Postgres mode is what runs several replicas, so by default the
# release is switched to it first (LBX_DATABASE=postgres hack/chart/install.sh; set
# LBX_BENCH_KEEP_RELEASE=1 to use the release as it is). Writes bench/api-creates.md.
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}"
[[ -f "$LBX_ROOT/.liteboxd/env" ]] || lbx_die "no release: run make up first"
if [[ "${LBX_BENCH_KEEP_RELEASE:-0}" != 1 ]]; then
  LBX_DATABASE=postgres LBX_IMAGES_FILE="$LBX_ROOT/.liteboxd/images" "$LBX_ROOT/hack/chart/install.sh"
fi
source "$LBX_ROOT/.liteboxd/env"
mode="$(kubectl -n liteboxd-system get deployment liteboxd-api -o jsonpath='{.spec.template.spec.containers[0].env[?(@.name=="LITEBOXD_DATABASE")].value}')"
report="$LBX_ROOT/bench/api-creates.md"
{
  echo "# Sandbox creates per second by API replicas"
  echo
  echo "Reproduce: \`make up && bench/api-creates.sh\`. Machine: 2 vCPU, 24 GiB, Debian 12 VM, kernel 6.18;"
  echo "the test bed (one node: the control plane, the API pods, Postgres and the sandboxes share its"
  echo "2 CPUs); database mode \`${mode:-sqlite}\`; requests through the Traefik Ingress. Per round: 60 creates"
  echo "from 10 threads, from the first request to the last 201 (a 201 means the row is written and the"
  echo "pod object created); then all deleted. One uncounted warm-up round first."
  echo
  echo "Run of $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start:"
  echo
  echo "| API replicas | creates | concurrency | creates/s | p50 ms | p99 ms |"
  echo "|---|---|---|---|---|---|"
  python3 "$LBX_ROOT/bench/api-creates.py" 1 2
} > "$report.partial"
mv "$report.partial" "$report"
cat "$report"
