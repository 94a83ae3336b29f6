#!/usr/bin/env bash
# yamllint and yamale (used by `ct lint`) in a venv keyed by their versions; aiohttp (the
# hot-upgrade test's load generator) in another; selenium (the browser test) in a third. Prints the first venv's bin directory.
source "$(dirname "$0")/../lib/common.sh"

venv="$LBX_CACHE/python/yamllint-$YAMLLINT_VERSION-yamale-$YAMALE_VERSION"
if [[ ! -x "$venv/bin/yamale" ]]; then
  lbx_log "installing yamllint $YAMLLINT_VERSION and yamale $YAMALE_VERSION"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "yamllint==$YAMLLINT_VERSION" "yamale==$YAMALE_VERSION"
fi
e2e="$LBX_CACHE/python/aiohttp-$AIOHTTP_VERSION"
if [[ ! -x "$e2e/bin/python" ]] || ! "$e2e/bin/python" -c 'import aiohttp' 2>/dev/null; then
  lbx_log "installing aiohttp $AIOHTTP_VERSION"
  python3 -m venv "$e2e"
  "$e2e/bin/pip" install -q "aiohttp==$AIOHTTP_VERSION"
fi
browser="$LBX_CACHE/python/selenium-$SELENIUM_VERSION"
if [[ ! -x "$browser/bin/python" ]] || ! "$browser/bin/python" -c 'import selenium' 2>/dev/null; then
  lbx_log "installing selenium $SELENIUM_VERSION"
  python3 -m venv "$browser"
  "$browser/bin/pip" install -q "selenium==$SELENIUM_VERSION"
fi
echo "$venv/bin"
