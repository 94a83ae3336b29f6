#!/usr/bin/env bash
# runc and gVisor side by side on the live install (make up): the isolation self-test, exec,
# files, logs, the terminal and the gateway under each runtime (test/runtimes/runtimes_test.py).
source "$(dirname "$0")/../../hack/lib/common.sh"
source "$LBX_ROOT/.liteboxd/env"
"$LBX_CACHE/python/aiohttp-$AIOHTTP_VERSION/bin/python" "$LBX_ROOT/test/runtimes/runtimes_test.py"
