#!/usr/bin/env bash
# Compares what each LiteBoxd service account may do on the live cluster with the matrix in
# docs/rbac.md, both ways: a missing grant and an extra one both fail.
# Usage: test/chart/rbac.sh [RELEASE_NAMESPACE] [SANDBOX_NAMESPACE] [FULLNAME]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
release_ns="${1:-liteboxd-system}" sandbox_ns="${2:-liteboxd-sandbox}" fullname="${3:-liteboxd}"
lease="${LEASE_NAME:-liteboxd-controller}"

# can-i --list for a subject in a namespace, as "resource|names|verb" lines (one per verb).
grants() {
  kubectl auth can-i --list --as="system:serviceaccount:$release_ns:$1" -n "$2" | tail -n +2 | python3 -c '
import re, sys
for line in sys.stdin:
    cols = re.findall(r"\[[^\]]*\]|\S+", line)
    if not cols or cols[0].startswith("["):
        continue  # non-resource URLs
    resource, _urls, names, verbs = cols[0], cols[1], cols[2], cols[3]
    for verb in verbs.strip("[]").split():
        print(f"{resource}|{names[1:-1]}|{verb}")' | sort -u
}

# The matrix rows for an account and a namespace placeholder, in the same form.
expected() {
  sed -n '/rbac-matrix:begin/,/rbac-matrix:end/p' "$root/docs/rbac.md" | python3 -c '
import sys
account, ns, lease = sys.argv[1:]
for line in sys.stdin:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) < 5 or cells[0] != account or cells[1].strip("`") not in (ns, "<cluster>"):
        continue
    names = cells[3].replace("`<lease>`", lease)
    for verb in cells[4].split():
        print(f"{cells[2]}|{names}|{verb}")' "$1" "$2" "$lease" | sort -u
}

failed=0
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for account in api gateway controller; do
  for pair in "<release-ns>:$release_ns" "<sandbox-ns>:$sandbox_ns" "<none>:default"; do
    placeholder="${pair%%:*}" ns="${pair#*:}"
    # What any service account may do there (discovery, self reviews) is not ours to check.
    grants "liteboxd-rbac-nobody" "$ns" > "$tmp/baseline"
    grants "$fullname-$account" "$ns" > "$tmp/granted"
    grep -q 'selfsubjectaccessreviews' "$tmp/baseline" || { echo "not ok - rbac: no baseline from can-i"; exit 1; }
    actual="$(comm -23 "$tmp/granted" "$tmp/baseline")"
    want="$(expected "$account" "$placeholder")"
    if [[ "$actual" == "$want" ]]; then
      echo "ok - rbac $account in $ns ($(grep -c . <<<"$want" || true) grants)"
    else
      failed=1
      echo "not ok - rbac $account in $ns"
      diff <(echo "$want") <(echo "$actual") | sed -n 's/^</  missing:/p; s/^>/  extra:  /p'
    fi
  done
done

# The sandbox write policy (charts/liteboxd/templates/sandbox-write-policy.yaml): RBAC lets the
# gateway and the controller patch sandbox Deployments; the policy narrows what a patch may change.
# Each probe sends one merge patch with the account's own token straight to the API server
# (kubectl patch would need `get`, which neither account has) and expects 200 or 422 (denied).
if kubectl get validatingadmissionpolicy "$fullname-sandbox-writes" >/dev/null 2>&1; then
  probe=liteboxd-write-policy-probe
  kubectl -n "$sandbox_ns" apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $probe, labels: {app: $probe}}
spec:
  replicas: 0
  selector: {matchLabels: {app: $probe}}
  template:
    metadata: {labels: {app: $probe}}
    spec: {containers: [{name: main, image: registry.invalid/none:0}]}
YAML
  trap 'kubectl -n "$sandbox_ns" delete deployment "$probe" --ignore-not-found >/dev/null; rm -rf "$tmp"' EXIT
  server="$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')"
  ca="$tmp/ca.crt"
  kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d > "$ca"
  [[ -s "$ca" ]] || cp "$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.certificate-authority}')" "$ca"
  declare -A token
  for account in gateway controller; do
    token[$account]="$(kubectl -n "$release_ns" create token "$fullname-$account" --duration=10m)"
  done
  write() {  # ACCOUNT WANT PATCH WHAT
    local code
    code="$(curl -sS --cacert "$ca" -o "$tmp/write.out" -w '%{http_code}' -X PATCH \
      -H "Authorization: Bearer ${token[$1]}" -H 'Content-Type: application/merge-patch+json' \
      --data "$3" "$server/apis/apps/v1/namespaces/$sandbox_ns/deployments/$probe")" || code=error
    if [[ "$code" == "$2" ]]; then
      echo "ok - write policy: $1 $4 ($code)"
    else
      failed=1
      echo "not ok - write policy: $1 $4: $code, want $2 $(head -c 300 "$tmp/write.out")"
    fi
  }
  write gateway 200 '{"metadata":{"annotations":{"liteboxd.io/wake-requested-at":"2026-11-30T17:00:00Z"}}}' "may ask for a wake"
  write gateway 200 '{"metadata":{"annotations":{"liteboxd.io/last-activity":"2026-11-30T17:00:00Z"}}}' "may mark activity"
  write gateway 422 '{"metadata":{"annotations":{"liteboxd.io/expires-at":"2099-01-01T00:00:00Z"}}}' "may not move an expiry"
  write gateway 422 '{"spec":{"replicas":1}}' "may not scale"
  write gateway 422 '{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"evil:1"}]}}}}' "may not change the pod template"
  write controller 200 '{"spec":{"replicas":0},"metadata":{"annotations":{"liteboxd.io/stopped-at":"2026-11-30T17:00:00Z"}}}' "may scale and annotate"
  write controller 422 '{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"evil:1"}]}}}}' "may not change the pod template"
  write controller 422 '{"metadata":{"labels":{"app":"other"}}}' "may not change labels"
  # Pod creates, as dry runs (admission runs, nothing is stored): only pool pods for the controller.
  create_pod() {  # ACCOUNT WANT POD_JSON WHAT
    local code
    code="$(curl -sS --cacert "$ca" -o "$tmp/write.out" -w '%{http_code}' -X POST \
      -H "Authorization: Bearer ${token[$1]}" -H 'Content-Type: application/json' \
      --data "$3" "$server/api/v1/namespaces/$sandbox_ns/pods?dryRun=All")" || code=error
    if [[ "$code" == "$2" ]]; then
      echo "ok - pool pod policy: $1 $4 ($code)"
    else
      failed=1
      echo "not ok - pool pod policy: $1 $4: $code, want $2 $(head -c 300 "$tmp/write.out")"
    fi
  }
  pod() {  # LABELS_JSON EXTRA_SPEC_JSON
    echo '{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"pool-probe-","labels":'"$1"'},"spec":{"automountServiceAccountToken":false,"containers":[{"name":"main","image":"registry.invalid/none:0"}]'"$2"'}}'
  }
  pool='{"app":"liteboxd","liteboxd.io/pool":"probe","liteboxd.io/pool-hash":"0"}'
  create_pod controller 201 "$(pod "$pool" '')" "may create a pool pod"
  create_pod controller 422 "$(pod '{"app":"liteboxd"}' '')" "may not create a pod outside a pool"
  create_pod controller 422 "$(pod '{"app":"liteboxd","liteboxd.io/pool":"probe","sandbox-id":"0000aaaa"}' '')" "may not create a sandbox pod"
  create_pod controller 422 "$(pod "$pool" ',"volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"sandbox-data-0000aaaa"}}]')" "may not mount a claim"
  create_pod gateway 403 "$(pod "$pool" '')" "may not create pods at all"
elif kubectl api-resources --api-group=admissionregistration.k8s.io -o name | grep -qx 'validatingadmissionpolicies.admissionregistration.k8s.io'; then
  failed=1
  echo "not ok - write policy: the cluster serves ValidatingAdmissionPolicy but $fullname-sandbox-writes is not installed"
else
  echo "# the cluster has no ValidatingAdmissionPolicy (Kubernetes before 1.30): write probes skipped"
fi
exit "$failed"
