#!/usr/bin/env bash
# `make test`: the whole suite. Starts the test bed when none is running and tears it down
# at the end (then checks that nothing was left on the host); a test bed already started with
# `make up` is used as it is and left running.
source "$(dirname "$0")/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"

"$LBX_ROOT/hack/toolchain/install.sh" >/dev/null
owned=0
if ! daemon_running kube-apiserver; then
  owned=1
  "$LBX_ROOT/hack/cluster.sh" up >/dev/null
fi

status=0
"$LBX_ROOT/test/smoke/run.sh" || status=1

if ((owned)); then
  "$LBX_ROOT/hack/cluster.sh" down
  if "$LBX_ROOT/hack/cluster.sh" leftovers; then echo "ok - down left nothing behind"
  else echo "not ok - down left something behind"; status=1; fi
fi
exit "$status"
