#!/usr/bin/env bash
# The real-browser security test (test/browser/browser_test.py) against the live install that
# `make up` (or `make test`'s install step) left: Debian's chromium, driven through Debian's
# chromedriver by Selenium from PyPI (hack/toolchain). Ends with "browser: N passed, M failed".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/hack/lib/common.sh"
source "$root/hack/versions.env"
source "${LITEBOXD_ENV:-$root/.liteboxd/env}"
python="$LBX_CACHE/python/selenium-$SELENIUM_VERSION/bin/python"
[[ -x "$python" ]] || lbx_die "selenium is not installed: run hack/toolchain/install.sh"
# Another Selenium script (test/console) runs the same way: its path as the first argument.
exec "$python" "${1:-$here/browser_test.py}"
