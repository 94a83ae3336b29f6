#!/usr/bin/env bash
# Installs the whole pinned toolchain (idempotent, cached under $LBX_CACHE by version) and
# exposes it as one bin directory: $LBX_CACHE/bin. Prints that directory.
source "$(dirname "$0")/../lib/common.sh"
here="$LBX_ROOT/hack/toolchain"

"$here/debian.sh"
k8s_bin="$("$here/kubernetes.sh")"
"$here/go-tools.sh"
py_bin="$("$here/python.sh")"

bin="$LBX_CACHE/bin"
mkdir -p "$bin"
link() { ln -sfn "$1" "$bin/$(basename "${2:-$1}")"; }
for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do link "$k8s_bin/$c"; done
link "$LBX_CACHE/etcd/$ETCD_VERSION/etcd"
link "$LBX_CACHE/crictl/$CRICTL_VERSION/crictl"
link "$LBX_CACHE/helm/$HELM_VERSION/helm"
link "$LBX_CACHE/ct/$CHART_TESTING_VERSION/ct"
link "$py_bin/yamllint"; link "$py_bin/yamale"
link "$LBX_CACHE/gvisor/$GVISOR_VERSION/runsc"  # containerd gets the shim through hack/cluster/up.sh

# ct reads its lint rules and Chart.yaml schema from these files of its own module.
ct_etc="$LBX_CACHE/ct/$CHART_TESTING_VERSION/etc"
if [[ ! -f "$ct_etc/lintconf.yaml" ]]; then
  mkdir -p "$ct_etc"
  src="$(go mod download -json "github.com/helm/chart-testing/v3@$CHART_TESTING_VERSION" | jq -r .Dir)"
  cp "$src/etc/chart_schema.yaml" "$src/etc/lintconf.yaml" "$ct_etc/"
fi
ln -sfn "$ct_etc" "$LBX_CACHE/ct/etc"

# helm-unittest as a Helm plugin whose binary we built (its installer would download one).
plugin="$LBX_CACHE/helm/plugins/unittest"
mkdir -p "$plugin"
ln -sfn "$LBX_CACHE/untt/$HELM_UNITTEST_VERSION/untt" "$plugin/untt"
cat > "$plugin/plugin.yaml" <<YAML
name: "unittest"
version: "${HELM_UNITTEST_VERSION#v}"
usage: "unittest for helm charts"
description: "helm-unittest built from the Go module proxy by hack/toolchain/go-tools.sh"
ignoreFlags: false
command: "\$HELM_PLUGIN_DIR/untt"
YAML
echo "$bin"
