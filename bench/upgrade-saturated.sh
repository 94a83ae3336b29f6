#!/usr/bin/env bash
# The SQLite-mode hot-upgrade test (test/upgrade/run.sh, as make test runs it) on a node made
# slower on purpose: one busy-looping process beside it for the whole run, which takes about one
# of the test bed's two CPUs from the pods, as a slower or busier CI machine does. Keeps the
# report as .liteboxd/upgrade-saturated-<LABEL>.md; bench/upgrade-saturated.md compares runs by
# hand (which chart values each had is in its "Reading").
# Usage: bench/upgrade-saturated.sh LABEL [KEY=VALUE ...]   (extra environment for the test, e.g.
#   LBX_UPGRADE_REUSE_IMAGES=1). Every helm call of the test renders charts/liteboxd as it is on
#   disk, so a run with other defaults is a run with charts/liteboxd/values.yaml edited.
source "$(dirname "$0")/../hack/lib/common.sh"
[[ -f "$LBX_ROOT/.liteboxd/env" ]] || lbx_die "no release: run make up first"
label="${1:?usage: bench/upgrade-saturated.sh LABEL [KEY=VALUE ...]}"
shift
python3 -c 'while True: pass' &
hog=$!
trap 'kill $hog' EXIT
rc=0
env "$@" LBX_UPGRADE_WINDOW=10 LBX_UPGRADE_REPORT="$LBX_ROOT/.liteboxd/upgrade-saturated-$label.md" \
  "$LBX_ROOT/test/upgrade/run.sh" || rc=$?
echo "report: .liteboxd/upgrade-saturated-$label.md (test exit $rc)"
exit "$rc"
