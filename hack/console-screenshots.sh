#!/usr/bin/env bash
# Regenerates the console's screenshots in docs/console/*.png (1280x800: login, sandboxes,
# terminal, template-editor, template-versions, account) from the live install that `make up`
# left, in the same chromium setup as the console test (test/console/screenshots.py). Run by hand
# after a visible change to the console; not part of `make test`. What the pictures show (a
# template "python-web" with two versions, a running sandbox, an API key) is made for them and
# deleted again. Usage: hack/console-screenshots.sh [OUTPUT_DIR]   (default: docs/console)
source "$(dirname "$0")/lib/common.sh"
source "${LITEBOXD_ENV:-$LBX_ROOT/.liteboxd/env}"
python="$LBX_CACHE/python/selenium-$SELENIUM_VERSION/bin/python"
[[ -x "$python" ]] || lbx_die "selenium is not installed: run hack/toolchain/install.sh"
exec "$python" "$LBX_ROOT/test/console/screenshots.py" "${1:-$LBX_ROOT/docs/console}"
