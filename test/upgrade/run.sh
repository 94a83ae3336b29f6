#!/usr/bin/env bash
# The hot-upgrade test: builds image tags A, B and C (C listens on the wrong port, so its
# readiness never passes), installs the release at A, then test/upgrade/upgrade_test.py drives
# `helm upgrade --atomic` A→B, a failing upgrade to C and `helm rollback` to A under load, and
# writes the report (default .liteboxd/upgrade-report.md; bench/upgrade.md is a recorded copy).
# Needs the test bed and an installed release with .liteboxd/env (make up, or make test).
#   LBX_UPGRADE_MODE=postgres: the release is switched to the bundled Postgres first (its SQLite
#     data imported), runs several API replicas, and two more phases follow the upgrades: a
#     killed API pod and a restarted Postgres (report: .liteboxd/upgrade-report-postgres.md)
#   LBX_UPGRADE_REUSE_IMAGES=1: use the A/B/C images an earlier run of this tree built
#   LBX_UPGRADE_ROLLOUTS=0: skip the upgrades and the rollback (Postgres mode: only its disruptions)
#   LBX_UPGRADE_WINDOW: seconds of load before and after each phase (20)
source "$(dirname "$0")/../../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"
source "$LBX_ROOT/hack/chart/lib.sh"
source "$LBX_ROOT/.liteboxd/env"
export HELM_PLUGINS="$LBX_CACHE/helm/plugins" CONTAINERD_SOCK CRICTL="$LBX_CACHE/bin/crictl"

state="$LBX_ROOT/.liteboxd/upgrade"
mkdir -p "$state"
build() {  # build TAG [MAVEN ARGS...]
  LBX_MVN_ARGS="${*:2}" "$LBX_ROOT/hack/images/services.sh" "$1" > "$state/images-$1"
}
if [[ "${LBX_UPGRADE_REUSE_IMAGES:-0}" != 1 ]]; then
  build upgrade-a
  build upgrade-b
  # A real build whose every service listens on 9999 instead of its Service port.
  build upgrade-c "-Djib.container.environment=LITEBOXD_VERSION=upgrade-c,MICRONAUT_SERVER_PORT=9999"
fi

mode="${LBX_UPGRADE_MODE:-sqlite}"
export LBX_UPGRADE_MODE="$mode"
if [[ "$mode" == postgres ]]; then
  # From the SQLite release to the bundled Postgres as docs/upgrade.md says: switch with the
  # import (one API replica, Recreate), then turn the import off (two replicas, rolling); the
  # test starts from there, A in Postgres mode.
  export LBX_DATABASE=postgres
  LBX_HELM_ARGS="${LBX_HELM_ARGS:-} --set database.postgres.importFromSqlite.enabled=true --set api.strategy=Recreate" \
    LBX_IMAGES_FILE="$state/images-upgrade-a" "$LBX_ROOT/hack/chart/install.sh"
  LBX_IMAGES_FILE="$state/images-upgrade-a" "$LBX_ROOT/hack/chart/install.sh"
else
  LBX_IMAGES_FILE="$state/images-upgrade-a" "$LBX_ROOT/hack/chart/install.sh"
fi
revision_a="$(helm history "$LBX_RELEASE" -n "$LBX_NAMESPACE" -o json | jq '.[-1].revision')"

as_json() { jq -Rn '[inputs | split(" ") | {(.[0]): [.[1], .[2]]}] | add' < "$1"; }
export LBX_IMAGES_A LBX_IMAGES_B LBX_IMAGES_C LBX_HELM_BASE LBX_REVISION_A="$revision_a"
LBX_IMAGES_A="$(as_json "$state/images-upgrade-a")"
LBX_IMAGES_B="$(as_json "$state/images-upgrade-b")"
LBX_IMAGES_C="$(as_json "$state/images-upgrade-c")"
LBX_HELM_BASE="$(chart_args | jq -Rn --arg release "$LBX_RELEASE" '[$release] + [inputs]')"
report_name=upgrade-report; [[ "$mode" == postgres ]] && report_name=upgrade-report-postgres
export LBX_UPGRADE_REPORT="${LBX_UPGRADE_REPORT:-$LBX_ROOT/.liteboxd/$report_name.md}"
"$LBX_CACHE/python/aiohttp-$AIOHTTP_VERSION/bin/python" "$LBX_ROOT/test/upgrade/upgrade_test.py"
