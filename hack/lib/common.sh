# Shared by every hack/ script: repo paths, pinned versions, cache layout, logging.
# Sourced, never executed.
set -euo pipefail

LBX_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../versions.env
source "$LBX_ROOT/hack/versions.env"

# Everything heavy lives under one cache, keyed by version, so a second run is fast and a
# version bump rebuilds only what changed.
LBX_CACHE="${LBX_CACHE:-$HOME/.cache/liteboxd}"
export GOMODCACHE="${GOMODCACHE:-$LBX_CACHE/go/mod}"
export GOCACHE="${GOCACHE:-$LBX_CACHE/go/build}"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export GOTOOLCHAIN=local
# Go lives in /usr/local/go on these machines; a non-login shell (CI) may not have it on PATH.
if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then export PATH="/usr/local/go/bin:$PATH"; fi

lbx_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
lbx_die() { lbx_log "error: $*"; exit 1; }
# lbx_wait_exit PID SECONDS: returns once PID is gone (0) or SECONDS passed (1); polls every 0.1 s.
lbx_wait_exit() {
  local i; for ((i = 0; i < $2 * 10; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  ! kill -0 "$1" 2>/dev/null
}
