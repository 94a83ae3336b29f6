#!/usr/bin/env bash
# `make up`: toolchain, the local test bed (unless KUBECONFIG points at another cluster), the
# service images, `helm upgrade --install liteboxd charts/liteboxd`; then shows LiteBoxd working
# and writes .liteboxd/env for scripts. Run it again after a change to upgrade in place.
source "$(dirname "$0")/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"

"$LBX_ROOT/hack/toolchain/install.sh" >/dev/null
if [[ -n "${KUBECONFIG:-}" && "$KUBECONFIG" != "$KUBECONFIG_ADMIN" ]]; then
  # Another cluster: its nodes must pull our images from a registry this machine pushes to,
  # and clients reach it through its own ingress address.
  [[ -n "${LBX_REGISTRY_EXTERNAL:-}" && -n "${LBX_PUBLIC_URL:-}" ]] || lbx_die \
    "KUBECONFIG=$KUBECONFIG is not the test bed: set LBX_REGISTRY_EXTERNAL (a registry its nodes pull from and this machine pushes to) and LBX_PUBLIC_URL (its ingress URL)"
  export LBX_REGISTRY="$LBX_REGISTRY_EXTERNAL" LBX_PUBLIC_URL
  kubeconfig="$KUBECONFIG"
else
  "$LBX_ROOT/hack/cluster.sh" up >/dev/null
  kubeconfig="$KUBECONFIG_ADMIN"
fi
source "$LBX_ROOT/hack/chart/lib.sh"   # LBX_RELEASE, LBX_NAMESPACE (after the check above: it defaults LBX_PUBLIC_URL)
# The generated admin password is shown once: by the first install (later runs point at .liteboxd/env).
first_install=0
"$LBX_CACHE/bin/helm" --kubeconfig "$kubeconfig" status "$LBX_RELEASE" -n "$LBX_NAMESPACE" >/dev/null 2>&1 || first_install=1
KUBECONFIG="$kubeconfig" "$LBX_ROOT/hack/chart/install.sh"
"$LBX_ROOT/hack/chart/env.sh" "$kubeconfig"
source "$LBX_ROOT/.liteboxd/env"
url="$LITEBOXD_API_URL" user="$LITEBOXD_ADMIN_USER" password="$LITEBOXD_ADMIN_PASSWORD"

# Shown working: through the Ingress, a login and an authenticated call.
login="$(jq -n --arg u "$user" --arg p "$password" '{username: $u, password: $p}')"
jar="$(mktemp)"; trap 'rm -f "$jar"' EXIT
wait_for "the API through the Ingress at $url" 90 \
  curl -fsS -o /dev/null -c "$jar" -H 'Content-Type: application/json' -d "$login" "$url/api/v1/auth/login"
templates="$(curl -fsS -b "$jar" "$url/api/v1/templates" | jq '.items | length')"
# The console is the API's / (console.enabled); shown only when the Ingress really serves it.
console="(off: console.enabled=false)"
curl -fsS "$url/" 2>/dev/null | grep -q '<div id="app">' && console="$url/"
version="$(kubectl --kubeconfig "$kubeconfig" -n "$LBX_NAMESPACE" get deploy -l app.kubernetes.io/instance="$LBX_RELEASE" \
  -o jsonpath='{range .items[*]}{.metadata.name}={.status.readyReplicas}/{.spec.replicas} {end}')"
cat <<MSG

LiteBoxd is up ($version).
  Console:  $console
  API:      $url/api/v1        (logged in as $user: $templates templates)
  Gateway:  $url/api/v1/sandbox/<id>/port/<port>/
  Login:    user $user, $( ((first_install)) && echo "password $password (generated for this install; shown once, kept in .liteboxd/env)" || echo "password in .liteboxd/env (LITEBOXD_ADMIN_PASSWORD)")
  Try it:   source .liteboxd/env, then the walkthrough in README.md
  Stop it:  make down
MSG
