#!/usr/bin/env bash
# Domain allowlists through the egress proxy on the live install (make up), from inside sandboxes
# (test/egress/egress_test.py). The test serves its own "internet": HTTP and HTTPS on 198.18.0.10,
# an address it puts on a dummy link of the node for the run, under names the test bed's CoreDNS
# resolves (zone egress.test, hack/cluster/addons/coredns.yaml). It turns the release's egress
# proxy on (egress.enabled=true) and leaves it on.
source "$(dirname "$0")/../../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/.liteboxd/env"
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}"
python="$LBX_CACHE/python/aiohttp-$AIOHTTP_VERSION/bin/python"
address=198.18.0.10 link=lbx-egress0

work="$(mktemp -d)"
cleanup() {
  [[ -n "${server:-}" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  ip link del "$link" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip link del "$link" 2>/dev/null || true
ip link add "$link" type dummy
ip addr add "$address/32" dev "$link"
ip link set "$link" up
# One self-signed certificate for every test name: the proxy never looks inside TLS beyond the SNI.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=egress.test" \
  -addext "subjectAltName=DNS:*.egress.test,DNS:*.wild.egress.test,DNS:*.api.wild.egress.test" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
"$python" "$LBX_ROOT/test/egress/target_server.py" "$address" "$work/cert.pem" "$work/key.pem" > "$work/server.log" 2>&1 &
server=$!

# The images `make up` built and installed (.liteboxd/images), egress included.
LBX_IMAGES_FILE="$LBX_ROOT/.liteboxd/images" LBX_HELM_ARGS="${LBX_HELM_ARGS:-} --set egress.enabled=true" \
  "$LBX_ROOT/hack/chart/install.sh" >/dev/null
"$python" "$LBX_ROOT/test/egress/egress_test.py"
