# Sourced by test/egress/run.sh and bench/egress.sh: the egress test's "internet", a declared test
# fixture (services/egress/README.md). HTTP and HTTPS servers (test/egress/target_server.py) on
# 198.18.0.10, an address the node's loopback gets for the run (a benchmarking range: outside
# the cluster's and the private ranges, so the proxy and an open sandbox may reach it), under the
# names the test bed's CoreDNS serves (zone egress.test, hack/cluster/addons/coredns.yaml). Then
# the release's egress proxy is turned on (egress.enabled=true) with the images `make up`
# installed, and left on. Needs: common.sh, cluster/lib.sh and .liteboxd/env sourced.
EGRESS_TARGET=198.18.0.10
egress_work="$(mktemp -d)"
source "$LBX_ROOT/hack/chart/lib.sh"  # LBX_RELEASE, LBX_NAMESPACE
egress_python="$LBX_CACHE/python/aiohttp-$AIOHTTP_VERSION/bin/python"

egress_fixture_down() {
  if [[ -n "${egress_server:-}" ]]; then
    kill "$egress_server" 2>/dev/null || true
    wait "$egress_server" 2>/dev/null || true  # 143: it was killed, as meant
  fi
  ip addr del "$EGRESS_TARGET/32" dev lo 2>/dev/null || true
  rm -rf "$egress_work"
}

egress_fixture_up() {
  trap egress_fixture_down EXIT
  # On lo: pods reach it through the node like any address of the node's (no dummy-link module here).
  ip addr del "$EGRESS_TARGET/32" dev lo 2>/dev/null || true
  ip addr add "$EGRESS_TARGET/32" dev lo
  # One self-signed certificate for every test name: the proxy never looks inside TLS beyond the SNI.
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=egress.test" \
    -addext "subjectAltName=DNS:*.egress.test,DNS:*.wild.egress.test,DNS:*.api.wild.egress.test" \
    -keyout "$egress_work/key.pem" -out "$egress_work/cert.pem" 2>/dev/null
  "$egress_python" "$LBX_ROOT/test/egress/target_server.py" "$EGRESS_TARGET" "$egress_work/cert.pem" \
    "$egress_work/key.pem" > "$egress_work/server.log" 2>&1 &
  egress_server=$!
  # Cilium's CiliumNetworkPolicy CRD from its Go module (no agent: nothing enforces it here), so
  # the chart's `auto` turns the Cilium mode on and the API server checks the controller's
  # policies against Cilium's schema. Left installed, like the proxy.
  local cilium_src
  cilium_src="$(go mod download -json "github.com/cilium/cilium@$CILIUM_VERSION" | jq -r .Dir)"
  kubectl apply --server-side -f "$cilium_src/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumnetworkpolicies.yaml" >/dev/null
  wait_for "the CiliumNetworkPolicy CRD" 60 kubectl wait --for=condition=Established --timeout=5s \
    crd/ciliumnetworkpolicies.cilium.io
  LBX_IMAGES_FILE="$LBX_ROOT/.liteboxd/images" LBX_HELM_ARGS="${LBX_HELM_ARGS:-} --set egress.enabled=true" \
    "$LBX_ROOT/hack/chart/install.sh" >/dev/null
  # The API pods from before the proxy (no EGRESS_PROXY_URL) still serve during their preStop
  # sleep after helm returned: a sandbox they created would have no proxy variables.
  local old
  old="$(kubectl -n "$LBX_NAMESPACE" get pods -l app.kubernetes.io/component=api -o json |
    jq -r '.items[] | select(.metadata.deletionTimestamp) | "pod/" + .metadata.name')"
  [[ -z "$old" ]] || kubectl -n "$LBX_NAMESPACE" wait --for=delete --timeout=180s $old >/dev/null
}
