#!/usr/bin/env bash
# The web console end to end (test/console/console_test.py) against the live install that
# `make up` (or `make test`'s install step) left, in the same Selenium + Debian chromium setup as
# the browser security test. Ends with "console: N passed, M failed".
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../browser/run.sh" "$here/console_test.py"
