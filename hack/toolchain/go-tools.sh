#!/usr/bin/env bash
# Builds every Go program the test bed needs, each at its pinned version, from the module proxy.
# Everything goes through the wrapper module of hack/lib/gowrap.sh: it carries the replaces some
# modules need, and it avoids `go install pkg@version`, which also asks the proxy for the
# module's version list (refused here for several modules). Skips tools already built.
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/lib/gowrap.sh"

# tool NAME VERSION MODULE PKG [LDFLAGS]
tool() {
  local name="$1" version="$2" module="$3" pkg="$4"
  local out="$LBX_CACHE/$name/$version"
  [[ -x "$out/$name" ]] && return 0
  GOWRAP_LDFLAGS="${5:-}" gowrap_build "$out" "$module" "$version" "$version" "$name=$pkg"
}

tool helm "$HELM_VERSION" helm.sh/helm/v3 helm.sh/helm/v3/cmd/helm \
  "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
tool ct "$CHART_TESTING_VERSION" github.com/helm/chart-testing/v3 github.com/helm/chart-testing/v3/ct \
  "-X github.com/helm/chart-testing/v3/ct/cmd.Version=$CHART_TESTING_VERSION"
tool untt "$HELM_UNITTEST_VERSION" github.com/helm-unittest/helm-unittest \
  github.com/helm-unittest/helm-unittest/cmd/helm-unittest
# crictl 1.34.0 requires Kubernetes 0.34.0-rc.2 libraries, which the checksum database here
# does not know; build it against the libraries of the cluster's own release instead.
k8s_libs=""
for m in api apimachinery client-go cri-api cri-client kubectl kubelet cli-runtime component-base; do
  k8s_libs+=" k8s.io/$m@v0.${KUBERNETES_VERSION#v1.}"
done
GOWRAP_REQUIRES="$k8s_libs" tool crictl "$CRICTL_VERSION" sigs.k8s.io/cri-tools sigs.k8s.io/cri-tools/cmd/crictl
tool etcd "$ETCD_VERSION" go.etcd.io/etcd/server/v3 go.etcd.io/etcd/server/v3
tool coredns "$COREDNS_VERSION" github.com/coredns/coredns github.com/coredns/coredns
tool kube-router "$KUBE_ROUTER_VERSION" github.com/cloudnativelabs/kube-router/v2 \
  github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
tool local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION" github.com/rancher/local-path-provisioner \
  github.com/rancher/local-path-provisioner
# The sandbox runtime the test bed offers beside runc (RuntimeClass gvisor): both binaries from one
# module version, so the shim and the runtime it drives always agree.
#
# One build-time change to a copy of the module (never kept, none of its code lives here): the
# shim sets its own oom_score_adj to -999, which needs CAP_SYS_RESOURCE, and this VM withholds that
# capability from root (the reason for restrict_oom_score_adj in containerd.toml), so every pod
# would fail with "failed to set OOM Score on shim: permission denied". The copy keeps the shim
# at its parent's score instead (0). Go refuses -overlay for files in the module cache, hence
# the copy and a replace in the wrapper module.
if [[ ! -x "$LBX_CACHE/gvisor/$GVISOR_VERSION/containerd-shim-runsc-v1" ]]; then
  gvisor_src="$(go mod download -json "gvisor.dev/gvisor@$GVISOR_VERSION" | jq -r .Dir)"
  gvisor_copy="$LBX_CACHE/gvisor/$GVISOR_VERSION.src"
  rm -rf "$gvisor_copy"; mkdir -p "${gvisor_copy%/*}"; cp -r "$gvisor_src" "$gvisor_copy"; chmod -R u+w "$gvisor_copy"
  manager="$gvisor_copy/pkg/shim/v1/manager.go"
  grep -qxF $'\toomScoreMax = -999' "$manager" || lbx_die "gVisor $GVISOR_VERSION: the shim's oomScoreMax line moved; revisit this change"
  sed -i 's/^\toomScoreMax = -999$/\toomScoreMax = 0 \/\/ LiteBoxd test bed: no CAP_SYS_RESOURCE here/' "$manager"
  GOWRAP_REPLACES="gvisor.dev/gvisor=>$gvisor_copy" \
    GOWRAP_LDFLAGS="-X gvisor.dev/gvisor/runsc/version.version=$GVISOR_VERSION" gowrap_build \
    "$LBX_CACHE/gvisor/$GVISOR_VERSION" gvisor.dev/gvisor "$GVISOR_VERSION" "$GVISOR_VERSION" \
    runsc=gvisor.dev/gvisor/runsc containerd-shim-runsc-v1=gvisor.dev/gvisor/shim
  rm -rf "$gvisor_copy"
fi
if [[ "${LBX_SKIP_TRAEFIK:-}" != 1 ]]; then
  tool traefik "$TRAEFIK_VERSION" github.com/traefik/traefik/v3 github.com/traefik/traefik/v3/cmd/traefik
fi
