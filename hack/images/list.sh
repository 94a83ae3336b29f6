# The test bed's images and their references in the local registry. Sourced.
LBX_REGISTRY="${LBX_REGISTRY:-127.0.0.1:5000}"
LBX_IMAGES=(pause sandbox jre postgres kube-router coredns local-path-provisioner)
[[ "${LBX_SKIP_TRAEFIK:-}" == 1 ]] || LBX_IMAGES+=(traefik)

image_ref() {
  case "$1" in
    pause) echo "$LBX_REGISTRY/liteboxd/pause:$PAUSE_IMAGE_TAG" ;;
    sandbox) echo "$LBX_REGISTRY/liteboxd/sandbox:$SANDBOX_IMAGE_TAG" ;;
    jre) echo "$LBX_REGISTRY/liteboxd/jre:$JRE_IMAGE_TAG" ;;
    postgres) echo "$LBX_REGISTRY/liteboxd/postgres:$POSTGRES_IMAGE_TAG" ;;
    kube-router) echo "$LBX_REGISTRY/testbed/kube-router:$KUBE_ROUTER_VERSION-$NETTOOLS_IMAGE_TAG" ;;
    coredns) echo "$LBX_REGISTRY/testbed/coredns:$COREDNS_VERSION" ;;
    local-path-provisioner) echo "$LBX_REGISTRY/testbed/local-path-provisioner:$LOCAL_PATH_PROVISIONER_VERSION" ;;
    traefik) echo "$LBX_REGISTRY/testbed/traefik:$TRAEFIK_VERSION" ;;
    *) return 1 ;;
  esac
}
