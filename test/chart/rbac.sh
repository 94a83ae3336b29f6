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
exit "$failed"
