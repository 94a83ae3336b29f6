#!/usr/bin/env bash
# Builds the service images, pushes them to the test bed's registry and installs or upgrades
# LiteBoxd with charts/liteboxd (`helm upgrade --install --wait`). A second run after a code
# change upgrades in place; images whose build did not change keep their digest, so their pods
# are left alone. Environment:
#   LBX_RELEASE (liteboxd), LBX_NAMESPACE (liteboxd-system), LBX_TAG (dev): release, namespace, image tag
#   LBX_IMAGES_FILE: install these images (hack/images/services.sh output) instead of building
#   LBX_HELM_ARGS: extra arguments for helm (e.g. "--set gateway.replicas=3")
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"
source "$LBX_ROOT/hack/chart/lib.sh"
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}" HELM_PLUGINS="$LBX_CACHE/helm/plugins"

images="${LBX_IMAGES_FILE:-}"
if [[ -z "$images" ]]; then
  mkdir -p "$LBX_ROOT/.liteboxd"
  images="$LBX_ROOT/.liteboxd/images"
  "$LBX_ROOT/hack/images/services.sh" "${LBX_TAG:-dev}" > "$images.new"
  mv "$images.new" "$images"
fi

lbx_log "helm upgrade --install $LBX_RELEASE (namespace $LBX_NAMESPACE)"
mapfile -t args < <(chart_args; image_args "$images")
# shellcheck disable=SC2086  # LBX_HELM_ARGS is a list of arguments
helm upgrade --install "$LBX_RELEASE" "${args[@]}" --create-namespace ${LBX_HELM_ARGS:-} \
  --wait --timeout 10m >/dev/null
