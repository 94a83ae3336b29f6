#!/usr/bin/env bash
# Builds the service images, pushes them to the test bed's registry and installs or upgrades
# LiteBoxd with charts/liteboxd (`helm upgrade --install --wait`). A second run after a code
# change upgrades in place; images whose build did not change keep their digest, so their pods
# are left alone. Environment:
#   LBX_RELEASE (liteboxd), LBX_NAMESPACE (liteboxd-system), LBX_TAG (dev): release, namespace, image tag
#   LBX_HELM_ARGS: extra arguments for helm (e.g. "--set gateway.replicas=3")
#   LBX_SKIP_IMAGES=1: reuse the digests of the last build (.liteboxd/images)
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}" HELM_PLUGINS="$LBX_CACHE/helm/plugins"

release="${LBX_RELEASE:-liteboxd}"
namespace="${LBX_NAMESPACE:-liteboxd-system}"
state="$LBX_ROOT/.liteboxd"
mkdir -p "$state"

if [[ "${LBX_SKIP_IMAGES:-}" != 1 || ! -s "$state/images" ]]; then
  "$LBX_ROOT/hack/images/services.sh" "${LBX_TAG:-dev}" > "$state/images.new"
  mv "$state/images.new" "$state/images"
fi
set_args=()
while read -r service ref digest; do
  set_args+=(--set "$service.image.tag=${ref##*:}" --set "$service.image.digest=$digest")
done < "$state/images"

lbx_log "helm upgrade --install $release (namespace $namespace)"
# shellcheck disable=SC2086  # LBX_HELM_ARGS is a list of arguments
helm upgrade --install "$release" "$LBX_ROOT/charts/liteboxd" --namespace "$namespace" --create-namespace \
  --values "$LBX_ROOT/hack/chart/testbed-values.yaml" \
  --set-string "image.registry=$LBX_REGISTRY/liteboxd" \
  --set "gatewayUrl=http://$NODE_IP:$TRAEFIK_HTTP_NODEPORT" \
  "${set_args[@]}" ${LBX_HELM_ARGS:-} \
  --wait --timeout 10m >/dev/null
