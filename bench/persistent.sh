#!/usr/bin/env bash
# Persistent sandboxes (issue 16): stop → start → running through the API, and a suspended
# sandbox's first proxied byte through the gateway (the controller suspends it on its idle
# timeout; the gateway wakes it and holds the request until the pod is Ready), on the release
# `make up` installed, used as it is. Writes bench/persistent.md (the "Reading" section is
# written by hand after a run; a new run drops it).
# Usage: bench/persistent.sh
#   LBX_BENCH_CYCLES: counted cycles of each (20); LBX_BENCH_IDLE_TIMEOUT: the idle timeout, s (5)
source "$(dirname "$0")/../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}"
[[ -f "$LBX_ROOT/.liteboxd/env" ]] || lbx_die "no release: run make up first"
source "$LBX_ROOT/.liteboxd/env"
launcher="$(kubectl -n liteboxd-system get configmap -l app.kubernetes.io/component=api -o json |
  jq -r '[.items[].data.SANDBOX_LAUNCHER_IMAGE // empty][0] // empty')"
storage="$(kubectl get storageclass -o jsonpath='{.items[?(@.metadata.annotations.storageclass\.kubernetes\.io/is-default-class=="true")].metadata.name}')"
report="$LBX_ROOT/bench/persistent.md"
started="$(date +%s)"
{
  echo "# Persistent sandboxes: start and wake"
  echo
  echo "Reproduce: \`make up && bench/persistent.sh\`. Machine: 2 vCPU, 24 GiB, Debian 12 VM, kernel 6.18;"
  echo "the test bed (one node: the control plane, the services and the sandboxes share its 2 CPUs),"
  echo "storage class \`${storage:-?}\`${launcher:+, launcher image \`$launcher\`}. Requests through the Traefik Ingress."
  echo "One template: image \`$LITEBOXD_SANDBOX_IMAGE\`, \`python3 -m http.server 8080\`,"
  echo "readiness probe \`curl\` every 1 s, 250m CPU, 128Mi, persistence 1Gi; two sandboxes from it,"
  echo "each seeded by its first start (not counted). Each figure: ${LBX_BENCH_CYCLES:-20} cycles after one uncounted."
  echo
  echo "- stop → start → running (API): POST stop, GET until \`stopped\`, wait until the pod is gone"
  echo "  (a stopped sandbox has none; a pod still in its 5 s grace period would hold the Recreate"
  echo "  Deployment's new pod back), then POST start and the time until GET (polled every 50 ms) says \`running\`."
  echo "- suspended → first proxied byte (gateway): the second sandbox has \`overrides.idleTimeout\`"
  echo "  ${LBX_BENCH_IDLE_TIMEOUT:-5} s; the controller suspends it (reason \`idle for …\`), then, once its pod is"
  echo "  gone, one \`GET /port/8080/\` through the gateway, timed from sending it to the first byte of"
  echo "  the answer (a 200). The gateway writes the wake request, the controller scales the Deployment to 1,"
  echo "  the gateway holds the request until the new pod is Ready, then proxies it."
  echo
  echo "Run of $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start:"
  echo
  python3 "$LBX_ROOT/bench/persistent.py"
  echo
  echo "Whole run: $(( $(date +%s) - started )) s."
} > "$report.partial"
mv "$report.partial" "$report"
cat "$report"
