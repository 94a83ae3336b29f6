#!/usr/bin/env bash
# The single-node test-bed cluster: hack/cluster.sh up|down|status|env|leftovers
#   up         toolchain + images (cached) + cluster + add-ons; idempotent
#   down       stop everything and leave nothing behind
#   status     what runs, node and add-on state
#   env        prints `export KUBECONFIG=...` (and PATH for the pinned kubectl/helm)
#   leftovers  lists anything of the test bed still on the host (exit 1 if any)
source "$(dirname "$0")/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
here="$LBX_ROOT/hack"

case "${1:-}" in
  up)
    "$here/toolchain/install.sh" >/dev/null
    "$here/images/build.sh"
    "$here/cluster/up.sh" ;;
  down) "$here/cluster/down.sh" ;;
  status)
    for d in "${DAEMONS[@]}"; do
      if daemon_running "$d"; then echo "$d: running (pid $(cat "$RUN/$d.pid"))"; else echo "$d: stopped"; fi
    done
    if daemon_running kube-apiserver; then kc get nodes -o wide; kc get pods -A -o wide; fi ;;
  env)
    echo "export KUBECONFIG=$KUBECONFIG_ADMIN"
    echo "export PATH=$LBX_CACHE/bin:\$PATH"
    echo "export LBX_REGISTRY=${LBX_REGISTRY:-127.0.0.1:5000}" ;;
  leftovers) "$here/cluster/leftovers.sh" ;;
  *) sed -n '2,8s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
