# Shared by the scripts that install the chart on the test bed. Sourced, never executed.
# Needs hack/lib/common.sh, hack/cluster/lib.sh and hack/images/list.sh sourced first.

LBX_RELEASE="${LBX_RELEASE:-liteboxd}"
LBX_NAMESPACE="${LBX_NAMESPACE:-liteboxd-system}"
LBX_PUBLIC_URL="${LBX_PUBLIC_URL:-http://$NODE_IP:$TRAEFIK_HTTP_NODEPORT}"

# chart_args: what every helm install or upgrade of the test bed's release passes, one per line.
# LBX_DATABASE (sqlite): the database mode, postgres adds hack/chart/testbed-postgres-values.yaml.
chart_args() {
  printf '%s\n' "$LBX_ROOT/charts/liteboxd" --namespace "$LBX_NAMESPACE" \
    --values "$LBX_ROOT/hack/chart/testbed-values.yaml" --values "$LBX_ROOT/hack/chart/testbed-hosts-values.yaml" \
    --set-string "image.registry=$LBX_REGISTRY/liteboxd" --set "gatewayUrl=$LBX_PUBLIC_URL"
  # LBX_DATABASE=postgres: the API on the bundled Postgres with several replicas (issue 15).
  [[ "${LBX_DATABASE:-sqlite}" == postgres ]] && printf '%s\n' --values "$LBX_ROOT/hack/chart/testbed-postgres-values.yaml"
  local outside; outside="$(internet_stand_in)"
  [[ -n "$outside" ]] && printf '%s\n' --set "selfTest.internetTarget=$outside:9"
  return 0
}

# internet_stand_in: the machine's own address on its default route. This machine has no
# internet, but that address is outside every private range the sandbox policies close, so it is
# "the internet" to a sandbox; its closed port 9 answers with a reset, which the self-test counts
# as reachable. Empty when there is no default route.
internet_stand_in() {
  ip -4 route get 1.1.1.1 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") { print $(i + 1); exit }}'
}

# image_args FILE: --set arguments pinning each service to the image in FILE (hack/images/services.sh output).
image_args() {
  local service ref digest
  while read -r service ref digest; do
    printf '%s\n' --set "$service.image.tag=${ref##*:}" --set "$service.image.digest=$digest"
  done < "$1"
}
