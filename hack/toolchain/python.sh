#!/usr/bin/env bash
# yamllint and yamale (used by `ct lint`) in a venv keyed by their versions.
source "$(dirname "$0")/../lib/common.sh"

venv="$LBX_CACHE/python/yamllint-$YAMLLINT_VERSION-yamale-$YAMALE_VERSION"
if [[ ! -x "$venv/bin/yamale" ]]; then
  lbx_log "installing yamllint $YAMLLINT_VERSION and yamale $YAMALE_VERSION"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "yamllint==$YAMLLINT_VERSION" "yamale==$YAMALE_VERSION"
fi
echo "$venv/bin"
