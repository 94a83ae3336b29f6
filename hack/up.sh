#!/usr/bin/env bash
# `make up`: the local test bed (unless KUBECONFIG already points at a cluster), then shows it
# working. LiteBoxd's own services are installed here once they exist (see the README).
source "$(dirname "$0")/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"

if [[ -n "${KUBECONFIG:-}" && "$KUBECONFIG" != "$KUBECONFIG_ADMIN" ]]; then
  lbx_log "using the cluster in KUBECONFIG=$KUBECONFIG"
  "$LBX_ROOT/hack/toolchain/install.sh" >/dev/null
  kubectl get nodes
  exit 0
fi
"$LBX_ROOT/hack/cluster.sh" up >/dev/null
"$LBX_ROOT/hack/cluster.sh" status
echo
"$LBX_ROOT/hack/cluster.sh" env
