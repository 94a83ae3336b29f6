#!/usr/bin/env bash
# `make test`: the whole suite. First the services' Maven build and tests (no cluster needed),
# then the cluster suites on the test bed. A test bed already started with `make up` is used as
# it is and left running; otherwise a fresh one is started, torn down at the end (also when
# something fails on the way), and the host is checked for anything it left behind.
source "$(dirname "$0")/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"

"$LBX_ROOT/hack/toolchain/install.sh" >/dev/null
eval "$("$LBX_ROOT/hack/toolchain/java.sh")"

passed=0; failed=0
suite() {  # suite NAME CMD...: one line per suite, and a closing count over all of them
  if "${@:2}"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "not ok - suite $1"; fi
}
suite services mvn -B -ntp -f "$LBX_ROOT/pom.xml" verify

if ! daemon_running kube-apiserver; then
  # Whatever an earlier, interrupted run left (state, links, rules) goes first: a fresh cluster.
  "$LBX_ROOT/hack/cluster.sh" down
  trap '"$LBX_ROOT/hack/cluster.sh" down' EXIT
  "$LBX_ROOT/hack/cluster.sh" up >/dev/null
  owned=1
fi

suite smoke "$LBX_ROOT/test/smoke/run.sh"

if ((${owned:-0})); then
  trap - EXIT
  "$LBX_ROOT/hack/cluster.sh" down
  suite leftovers "$LBX_ROOT/hack/cluster.sh" leftovers
fi
echo "suites: $passed passed, $failed failed"
((failed == 0))
