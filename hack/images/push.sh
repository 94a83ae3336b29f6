#!/usr/bin/env bash
# Copies the built OCI layouts into the local registry (skopeo skips blobs already there).
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/images/list.sh"

for name in "${@:-${LBX_IMAGES[@]}}"; do
  ref="$(image_ref "$name")"
  skopeo copy --quiet --dest-tls-verify=false "oci:$LBX_CACHE/images/$name/${ref##*:}" "docker://$ref"
done
