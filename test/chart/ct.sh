#!/usr/bin/env bash
# `ct lint-and-install` for charts/liteboxd on the test bed, with the service images built by
# hack/images/services.sh (their digests in .liteboxd/images, written by hack/chart/install.sh).
# Every ci/*-values.yaml scenario is installed into a fresh namespace, upgraded from the
# committed chart (ct.yaml: upgrade: true), `helm test`ed and uninstalled.
# Usage: test/chart/ct.sh [lint|lint-and-install]   (default lint-and-install)
source "$(dirname "$0")/../../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}"
cd "$LBX_ROOT"
command="${1:-lint-and-install}"

git rev-parse --git-dir >/dev/null 2>&1 || lbx_die "ct needs a git checkout (upgrade tests compare with the committed chart)"
# The "previous revision" ct upgrades from: the chart as committed at HEAD. On a clean checkout
# (CI) that equals the working tree, and ct tests an upgrade of the chart onto itself.
git update-ref refs/remotes/ct-base/main HEAD
trap 'git update-ref -d refs/remotes/ct-base/main; git worktree prune' EXIT

set_args="--set-string=image.registry=$LBX_REGISTRY/liteboxd"
set_args+=" --set-string=tests.image.registry=$LBX_REGISTRY/liteboxd --set-string=tests.image.repository=sandbox"
set_args+=" --set-string=tests.image.tag=$SANDBOX_IMAGE_TAG"
if [[ "$command" != lint ]]; then
  [[ -s .liteboxd/images ]] || lbx_die "no service images: run hack/chart/install.sh (make up) first"
  while read -r service ref digest; do
    set_args+=" --set-string=$service.image.tag=${ref##*:} --set-string=$service.image.digest=$digest"
  done < .liteboxd/images
fi

etc="$LBX_CACHE/ct/etc"
extra=(); [[ "$command" == lint ]] || extra=(--helm-extra-set-args "$set_args")
ct "$command" --config ct.yaml --lint-conf "$etc/lintconf.yaml" --chart-yaml-schema "$etc/chart_schema.yaml" "${extra[@]}"
