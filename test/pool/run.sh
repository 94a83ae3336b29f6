#!/usr/bin/env bash
# Warm pools on the live install (make up): claims race for the last pod, a claim while the
# controller restarts, a template version rolling the pool, pool pods invisible as sandboxes
# (test/pool/pool_test.py).
source "$(dirname "$0")/../../hack/lib/common.sh"
source "$LBX_ROOT/.liteboxd/env"
export KUBECONFIG="${KUBECONFIG:-/var/lib/liteboxd-testbed/admin.kubeconfig}"
"$LBX_CACHE/python/aiohttp-$AIOHTTP_VERSION/bin/python" "$LBX_ROOT/test/pool/pool_test.py"
