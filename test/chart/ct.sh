#!/usr/bin/env bash
# `ct lint-and-install` for charts/liteboxd on the test bed, with the service images built by
# hack/images/services.sh (their digests in .liteboxd/images, written by hack/chart/install.sh).
# Every ci/*-values.yaml scenario is installed into a fresh namespace, upgraded from the
# committed chart (ct.yaml: upgrade: true), `helm test`ed and uninstalled.
# Usage: test/chart/ct.sh [lint|lint-and-install]   (default lint-and-install)
source "$(dirname "$0")/../../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"
source "$LBX_ROOT/hack/chart/lib.sh"
export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_ADMIN}"
cd "$LBX_ROOT"
command="${1:-lint-and-install}"

git rev-parse --git-dir >/dev/null 2>&1 || lbx_die "ct needs a git checkout (upgrade tests compare with the committed chart)"
# The "previous revision" ct upgrades from: the chart as committed at HEAD. On a clean checkout
# (CI) that equals the working tree, and ct tests an upgrade of the chart onto itself.
git update-ref refs/remotes/ct-base/main HEAD
trap 'git update-ref -d refs/remotes/ct-base/main; git worktree prune' EXIT

extra=()
if [[ "$command" != lint ]]; then
  # The images and test-bed values of `make up` (hack/chart/install.sh); ct splits on spaces.
  [[ -s .liteboxd/images ]] || lbx_die "no service images: run hack/chart/install.sh (make up) first"
  set_args="$( (printf '%s\n' --values hack/chart/testbed-values.yaml --set-string "image.registry=$LBX_REGISTRY/liteboxd"
                image_args .liteboxd/images) | paste -sd' ')"
  extra=(--helm-extra-set-args "$set_args")
fi

etc="$LBX_CACHE/ct/etc"
ct "$command" --config ct.yaml --lint-conf "$etc/lintconf.yaml" --chart-yaml-schema "$etc/chart_schema.yaml" "${extra[@]}"
