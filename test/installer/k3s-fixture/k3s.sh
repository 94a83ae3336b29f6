#!/bin/sh
# The k3s of the installer's test fixture (README.md in this directory): NOT k3s. It honours the
# host contract liteboxd-installer relies on (k3s server|agent, k3s kubectl, node-token,
# /etc/rancher/k3s/k3s.yaml, registries.yaml) and makes this machine a real node of the test
# bed's cluster: containerd and a kubelet joined with a bootstrap token. Its binaries ride behind
# the line __PAYLOAD__ as a gzipped tar, unpacked once per build into
# /var/lib/rancher/k3s/data/<build>/ as real k3s does.
set -eu
self="$(readlink -f "$0")"
build="@BUILD@"
version="@VERSION@"   # the Kubernetes version of the bundled kubelet, as k3s names its releases
data="/var/lib/rancher/k3s/data/$build"
if [ ! -x "$data/bin/kubelet" ]; then
  mkdir -p "$data.tmp"
  line="$(awk '/^__PAYLOAD__$/ { print NR + 1; exit }' "$self")"
  tail -n +"$line" "$self" | tar -xzf - -C "$data.tmp"
  rm -rf "$data"; mv "$data.tmp" "$data"
fi
PATH="$data/bin:$PATH"; export PATH
. "$data/fixture.env"   # APISERVER (the test bed's kube-apiserver), BUILD

usage() { echo "usage: k3s server|agent [flags] | kubectl ARGS | --version" >&2; exit 2; }
[ $# -gt 0 ] || usage
cmd="$1"; shift
case "$cmd" in
  --version|-v) echo "k3s version $version (liteboxd test fixture $build)"; exit 0 ;;
  fixture-data-dir) echo "$data"; exit 0 ;;  # where install.sh finds the fixture's scripts
  kubectl) KUBECONFIG="${KUBECONFIG:-/etc/rancher/k3s/k3s.yaml}" exec kubectl "$@" ;;
  server|agent) exec sh "$data/node.sh" "$cmd" "$@" ;;
  *) usage ;;
esac
exit 0
