#!/usr/bin/env bash
# The chart without a cluster: values.schema.json generated from values.yaml (no drift),
# `helm lint` of every scenario, the helm-unittest suites and `ct lint` (yamllint, Chart.yaml schema).
source "$(dirname "$0")/../../hack/lib/common.sh"
export PATH="$LBX_CACHE/bin:$PATH" HELM_PLUGINS="$LBX_CACHE/helm/plugins"
chart="$LBX_ROOT/charts/liteboxd"
failed=0
check() {  # check NAME CMD...
  local out
  if out="$("${@:2}" 2>&1)"; then echo "ok - chart $1"; else failed=1; echo "not ok - chart $1"; sed 's/^/    /' <<<"$out"; fi
}

schema_in_sync() {
  diff -u "$chart/values.schema.json" <(python3 "$LBX_ROOT/hack/chart/values-schema.py" "$chart/values.yaml")
}
check "values.schema.json matches values.yaml (hack/chart/values-schema.py)" schema_in_sync
# The bundled Postgres' tag in the chart and the test bed's values is the image hack/images builds.
postgres_tag_in_sync() {
  local file tag
  for file in "$chart/values.yaml" "$LBX_ROOT/hack/chart/testbed-values.yaml"; do
    tag="$(python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["database"]["postgres"]["bundled"]["image"]["tag"])' "$file")"
    [[ "$tag" == "$POSTGRES_IMAGE_TAG" ]] || { echo "$file: $tag, hack/versions.env: POSTGRES_IMAGE_TAG=$POSTGRES_IMAGE_TAG"; return 1; }
  done
}
check "bundled Postgres image tag = POSTGRES_IMAGE_TAG (hack/versions.env)" postgres_tag_in_sync
# The static pause image (pre-pull helper and sandbox launcher): its modes are part of the API's
# contract with it, so the chart must name the build that has them.
pause_tag_in_sync() {
  local tag
  tag="$(python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["api"]["prepull"]["helperImage"]["tag"])' "$chart/values.yaml")"
  [[ "$tag" == "$PAUSE_IMAGE_TAG" ]] || { echo "values.yaml: $tag, hack/versions.env: PAUSE_IMAGE_TAG=$PAUSE_IMAGE_TAG"; return 1; }
}
check "pause (helper, launcher) image tag = PAUSE_IMAGE_TAG (hack/versions.env)" pause_tag_in_sync
# ct's scenarios, and Postgres mode, which make test installs on the cluster in its
# upgrade-postgres suite instead of a third ct install (CI time).
for values in "" "$chart"/ci/*-values.yaml "$LBX_ROOT"/test/chart/values/*-values.yaml; do
  check "helm lint ${values:+$(basename "$values")}" helm lint --strict --kube-version 1.34.0 "$chart" ${values:+--values "$values"}
done
check "helm unittest" helm unittest --strict "$chart"
check "ct lint" "$LBX_ROOT/test/chart/ct.sh" lint
exit "$failed"
