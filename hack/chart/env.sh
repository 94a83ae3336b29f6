#!/usr/bin/env bash
# Writes .liteboxd/env for the live install: its URLs, the admin login (from the release's
# Secret), the test bed's sandbox image and KUBECONFIG. Scripts and the walkthrough source it.
# Usage: hack/chart/env.sh KUBECONFIG   (LBX_RELEASE, LBX_NAMESPACE, LBX_PUBLIC_URL as in hack/chart/lib.sh)
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"
source "$LBX_ROOT/hack/chart/lib.sh"
kubeconfig="$1" url="$LBX_PUBLIC_URL"
secret="$(kubectl --kubeconfig "$kubeconfig" -n "$LBX_NAMESPACE" get secret -l "app.kubernetes.io/instance=$LBX_RELEASE" \
  -o jsonpath='{.items[0].metadata.name}')"
field() { kubectl --kubeconfig "$kubeconfig" -n "$LBX_NAMESPACE" get secret "$secret" -o jsonpath="{.data.$1}" | base64 -d; }
user="$(field ADMIN_USERNAME)"; password="$(field ADMIN_INITIAL_PASSWORD)"

mkdir -p "$LBX_ROOT/.liteboxd"
cat > "$LBX_ROOT/.liteboxd/env" <<ENV
# Written by \`make up\` on $(date -u +%FT%TZ): the live LiteBoxd install. Source it.
export LITEBOXD_API_URL=$url
export LITEBOXD_GATEWAY_URL=$url
export LITEBOXD_ADMIN_USER=$user
export LITEBOXD_ADMIN_PASSWORD=$(printf %q "$password")
export LITEBOXD_SANDBOX_IMAGE=$(image_ref sandbox)
export KUBECONFIG=$kubeconfig
ENV
chmod 600 "$LBX_ROOT/.liteboxd/env"

