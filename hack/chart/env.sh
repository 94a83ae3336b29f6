#!/usr/bin/env bash
# Writes .liteboxd/env for the live install: its URLs, the admin login (from the release's
# Secret), the test bed's sandbox image and KUBECONFIG. Scripts and the walkthrough source it.
# Usage: hack/chart/env.sh KUBECONFIG URL   (LBX_RELEASE, LBX_NAMESPACE as for install.sh)
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/images/list.sh"
kubeconfig="$1" url="$2"
namespace="${LBX_NAMESPACE:-liteboxd-system}"
release="${LBX_RELEASE:-liteboxd}"
secret="$("$LBX_CACHE/bin/kubectl" --kubeconfig "$kubeconfig" -n "$namespace" get secret -l "app.kubernetes.io/instance=$release" \
  -o jsonpath='{.items[0].metadata.name}')"
field() { "$LBX_CACHE/bin/kubectl" --kubeconfig "$kubeconfig" -n "$namespace" get secret "$secret" -o jsonpath="{.data.$1}" | base64 -d; }
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

