#!/usr/bin/env bash
# Builds the Kubernetes components from the Go module proxy at one pinned release.
# k8s.io/kubernetes replaces every k8s.io/* staging module with a local path, which
# `go install` refuses; the wrapper module maps each to its published v0.x twin instead.
# Prints the directory holding kube-apiserver ... kubectl.
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/lib/gowrap.sh"

out="$LBX_CACHE/kubernetes/$KUBERNETES_VERSION"
if [[ ! -f "$out/.done" ]]; then
  minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
  GOWRAP_LDFLAGS=""
  # Stamp the real version so `kubectl version` and Helm's kubeVersion checks see it.
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    GOWRAP_LDFLAGS+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    GOWRAP_LDFLAGS+=" -X $pkg.gitCommit=$KUBERNETES_COMMIT -X $pkg.gitTreeState=clean"
    GOWRAP_LDFLAGS+=" -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  export GOWRAP_LDFLAGS
  bins=()
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
    bins+=("$c=k8s.io/kubernetes/cmd/$c")
  done
  gowrap_build "$out/bin" k8s.io/kubernetes "$KUBERNETES_VERSION" "v0.${KUBERNETES_VERSION#v1.}" "${bins[@]}"
  touch "$out/.done"
fi
echo "$out/bin"
