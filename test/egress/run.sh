#!/usr/bin/env bash
# Domain allowlists through the egress proxy on the live install (make up), from inside sandboxes
# (test/egress/egress_test.py), against the servers of test/egress/fixture.sh (which turns the
# release's egress proxy on and leaves it on).
source "$(dirname "$0")/../../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/.liteboxd/env"
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}"
source "$LBX_ROOT/test/egress/fixture.sh"
egress_fixture_up
"$egress_python" "$LBX_ROOT/test/egress/egress_test.py"
