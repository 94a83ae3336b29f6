#!/usr/bin/env bash
# `make down`: undoes `make up`. On the test bed that is the whole cluster (nothing is left on
# the host); on a cluster named by KUBECONFIG it is the Helm release.
source "$(dirname "$0")/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
if [[ -n "${KUBECONFIG:-}" && "$KUBECONFIG" != "$KUBECONFIG_ADMIN" ]]; then
  helm uninstall "${LBX_RELEASE:-liteboxd}" --namespace "${LBX_NAMESPACE:-liteboxd-system}" --wait
else
  "$LBX_ROOT/hack/cluster.sh" down
fi
rm -f "$LBX_ROOT/.liteboxd/env"
