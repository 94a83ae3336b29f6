#!/usr/bin/env bash
# Installs the in-cluster add-ons as real workloads from the local registry: CoreDNS,
# kube-router (NetworkPolicy), local-path storage (default StorageClass), the gvisor
# RuntimeClass and Traefik.
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"

export CLUSTER_DOMAIN DNS_SERVICE_IP LBX_STATE TRAEFIK_HTTP_NODEPORT TRAEFIK_HTTPS_NODEPORT
export COREDNS_IMAGE KUBE_ROUTER_IMAGE LOCAL_PATH_IMAGE HELPER_IMAGE TRAEFIK_IMAGE
COREDNS_IMAGE="$(image_ref coredns)"
KUBE_ROUTER_IMAGE="$(image_ref kube-router)"
LOCAL_PATH_IMAGE="$(image_ref local-path-provisioner)"
HELPER_IMAGE="$(image_ref sandbox)"
addons=(coredns kube-router local-path runtimeclass)

if [[ "${LBX_SKIP_TRAEFIK:-}" != 1 ]]; then
  TRAEFIK_IMAGE="$(image_ref traefik)"
  # Traefik's CRDs and their RBAC ship in its module; apply them from the module cache.
  traefik_src="$(go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" | jq -r .Dir)"
  crd_dir="$traefik_src/docs/content/reference/dynamic-configuration"
  kc apply --server-side -f "$crd_dir/kubernetes-crd-definition-v1.yml" >/dev/null
  kc apply -f "$crd_dir/kubernetes-crd-rbac.yml" >/dev/null
  addons+=(traefik)
fi

for a in "${addons[@]}"; do
  render "$LBX_ROOT/hack/cluster/addons/$a.yaml" | kc apply -f - >/dev/null
done
lbx_log "waiting for add-ons: ${addons[*]}"
kc -n kube-system rollout status deployment/coredns --timeout=120s >/dev/null
kc -n kube-system rollout status daemonset/kube-router --timeout=120s >/dev/null
kc -n local-path-storage rollout status deployment/local-path-provisioner --timeout=120s >/dev/null
if [[ " ${addons[*]} " == *" traefik "* ]]; then
  kc -n kube-system rollout status deployment/traefik --timeout=120s >/dev/null
fi
