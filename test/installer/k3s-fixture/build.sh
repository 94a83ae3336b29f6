#!/usr/bin/env bash
# build.sh OUT_DIR: the air-gap bundle of the installer's k3s test fixture (README.md here), for
# the running test bed: OUT_DIR/install.sh and OUT_DIR/k3s, the two files of k3s's air-gap
# contract that liteboxd-installer uploads. k3s carries the test bed's kubelet and kubectl, the
# machine's containerd, runc and CNI plugins, lbx-forward, and the test bed's CA and admin
# credentials (its "server" is the test bed's control plane): keep OUT_DIR private (0700).
source "$(dirname "$0")/../../../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"
out="${1:?usage: build.sh OUT_DIR}"
here="$LBX_ROOT/test/installer/k3s-fixture"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
payload="$work/payload"
mkdir -p "$payload/bin" "$payload/cni" "$payload/scripts" "$out"
chmod 0700 "$out"

cp "$LBX_CACHE/bin/kubelet" "$LBX_CACHE/bin/kubectl" "$(command -v containerd)" \
  "$(command -v containerd-shim-runc-v2)" "$(command -v runc)" "$payload/bin/"
for plugin in bridge host-local loopback portmap; do cp "/usr/lib/cni/$plugin" "$payload/cni/"; done
(cd "$here/forward" && CGO_ENABLED=0 go build -trimpath -o "$payload/bin/lbx-forward" .)
cp "$PKI/ca.crt" "$payload/ca.crt"
kubectl --kubeconfig "$KUBECONFIG_ADMIN" config view --raw --flatten --minify |
  sed "s#server: .*#server: https://$NODE_IP:$APISERVER_PORT#" > "$payload/admin.kubeconfig"
cat > "$payload/fixture.env" <<ENV
APISERVER=https://$NODE_IP:$APISERVER_PORT
PAUSE_IMAGE=$(image_ref pause)
ENV
cp "$here/node.sh" "$payload/node.sh"
cp "$here/systemctl" "$here/k3s-killall.sh" "$here/k3s-uninstall.sh" "$payload/scripts/"
chmod 0600 "$payload/admin.kubeconfig"

tar -czf "$work/payload.tgz" -C "$payload" .
build="$(sha256sum "$work/payload.tgz" | cut -c1-12)"
version="$("$LBX_CACHE/bin/kubelet" --version | awk '{ print $2 }')+k3s1"
{ sed -e "s/@BUILD@/$build/" -e "s/@VERSION@/$version/" "$here/k3s.sh"; echo __PAYLOAD__; cat "$work/payload.tgz"; } > "$out/k3s.new"
chmod 0755 "$out/k3s.new"; mv "$out/k3s.new" "$out/k3s"
install -m 0755 "$here/install.sh" "$out/install.sh"
# Beside the bundle, not part of it (the installer sends install.sh and k3s only): the test's own
# forwarder for the registry mirror.
install -m 0755 "$payload/bin/lbx-forward" "$out/lbx-forward"
echo "$version" > "$out/version"
lbx_log "k3s fixture bundle $build in $out ($(du -sh "$out" | cut -f1))"
