#!/usr/bin/env bash
# Runs the README's "5-minute walkthrough" against a live install, exactly as written: the ```sh
# blocks between <!-- walkthrough:begin --> and <!-- walkthrough:end --> are extracted and run as
# one bash script with `set -euo pipefail`, then their output and the API are checked.
# Ends with "ok - walkthrough" or "not ok - walkthrough" (and a non-zero exit).
#
#   test/walkthrough/run.sh            run it (needs `make up`: .liteboxd/env and a live API)
#   test/walkthrough/run.sh --print    only print the extracted commands
#
# Settings: LITEBOXD_ENV (default <repo>/.liteboxd/env), WALKTHROUGH_DOC (default <repo>/README.md).
# Needs only bash, curl (7.82+, for --json) and jq.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
env_file="${LITEBOXD_ENV:-$root/.liteboxd/env}"
doc="${WALKTHROUGH_DOC:-$root/README.md}"

# extract FILE: the body of every ```sh fence between the walkthrough markers, in order.
# Other fences (```text, ```json, …) and the prose between fences are skipped. Fails when the
# markers are missing, unbalanced, or enclose no sh block, or when a fence is left open.
extract() {
  awk '
    /^<!-- walkthrough:begin -->[[:space:]]*$/ { if (on) { bad = "nested begin marker" } on = 1; seen = 1; next }
    /^<!-- walkthrough:end -->[[:space:]]*$/   { if (!on || fence) { bad = "stray end marker or open fence" } on = 0; next }
    on && !fence && /^```/ { fence = 1; sh = ($0 ~ /^```(sh|bash)[[:space:]]*$/); if (sh) blocks++; next }
    on && fence && /^```[[:space:]]*$/ { fence = 0; sh = 0; next }
    on && fence && sh { print }
    END {
      if (bad != "")  { print "walkthrough: " bad > "/dev/stderr"; exit 1 }
      if (!seen)      { print "walkthrough: no <!-- walkthrough:begin --> marker" > "/dev/stderr"; exit 1 }
      if (on)         { print "walkthrough: no <!-- walkthrough:end --> marker" > "/dev/stderr"; exit 1 }
      if (!blocks)    { print "walkthrough: no ```sh block between the markers" > "/dev/stderr"; exit 1 }
    }' "$1"
}

if [[ "${1:-}" == --print ]]; then
  extract "$doc"
  exit
fi

fail() { echo "# $*"; echo "not ok - walkthrough"; exit 1; }

# --- preconditions ---------------------------------------------------------------------------
command -v jq >/dev/null || fail "jq is not installed"
curl --help all 2>/dev/null | grep -q -- '--json' || fail "curl $(curl -V | head -1 | cut -d' ' -f2) has no --json (7.82+ needed)"
[[ -f "$env_file" ]] || fail "no $env_file: run 'make up' first (or set LITEBOXD_ENV)"
commands="$(extract "$doc" 2>&1)" || fail "cannot extract the walkthrough from $doc: $commands"
# shellcheck source=/dev/null
source "$env_file"
for var in LITEBOXD_API_URL LITEBOXD_GATEWAY_URL LITEBOXD_ADMIN_USER LITEBOXD_ADMIN_PASSWORD LITEBOXD_SANDBOX_IMAGE; do
  [[ -n "${!var:-}" ]] || fail "$var is not set by $env_file"
done
# Only /api/v1 is routed to the API at that address (its /readyz is not): an unauthenticated
# /auth/me must answer 401.
code="$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "$LITEBOXD_API_URL/api/v1/auth/me")" || true
[[ "$code" == 401 ]] || fail "the API at $LITEBOXD_API_URL does not answer (GET /api/v1/auth/me: $code, expected 401)"
API="$LITEBOXD_API_URL/api/v1"

work="$(mktemp -d)"
chmod 700 "$work"
admin_jar="$work/admin.jar"
admin() { curl -sS -m 30 -b "$admin_jar" "$@"; }
logged_in=false
finish() {
  # Whatever the walkthrough left behind (it cleans up itself when it gets that far).
  if [[ "$logged_in" == true ]]; then
    [[ -n "${ID:-}" ]] && admin -o /dev/null -X DELETE "$API/sandboxes/$ID" || true
    [[ -n "${NAME:-}" ]] && admin -o /dev/null -X DELETE "$API/templates/$NAME" || true
    [[ -n "${KEY:-}" ]] && admin -o /dev/null -X DELETE "$API/auth/api-keys/$(jq -r .id <<<"$KEY")" || true
    admin -o /dev/null -X POST "$API/auth/logout" || true
  fi
  rm -rf "$work"
}
trap finish EXIT

# --- run the walkthrough as written ----------------------------------------------------------
# It starts with `source .liteboxd/env` from the repository root; run it in a scratch directory
# whose .liteboxd/env is the env file in use, so LITEBOXD_ENV applies and nothing lands in the repo.
mkdir -p "$work/cwd/.liteboxd"
ln -s "$env_file" "$work/cwd/.liteboxd/env"
state="$work/state"
{
  echo 'set -euo pipefail'
  # On the way out, hand the names the checks and the fallback cleanup need to this script.
  printf 'trap %q EXIT\n' "declare -p NAME ID KEY ACCESS_URL >'$state' 2>/dev/null || true"
  # Name the failing command without expanding it (no secrets in the log), and its line in
  # the output of `run.sh --print` (the script has three lines before the extracted ones).
  printf 'trap %q ERR\n' 'echo "# walkthrough stopped at line $((LINENO - 3)): $BASH_COMMAND" >&2'
  echo "$commands"
} >"$work/walkthrough.sh"

echo "# running the walkthrough from ${doc#"$root"/} against $LITEBOXD_API_URL"
out="$work/out"
rc=0
(cd "$work/cwd" && bash "$work/walkthrough.sh") >"$out" 2>&1 || rc=$?
sed 's/^/    /' "$out"
# shellcheck source=/dev/null
[[ -f "$state" ]] && source "$state"

# A session of our own for the checks and the fallback cleanup (the walkthrough logged out).
jq -n --arg u "$LITEBOXD_ADMIN_USER" --arg p "$LITEBOXD_ADMIN_PASSWORD" '{username: $u, password: $p}' |
  curl -fs -m 30 -c "$admin_jar" --json @- -o /dev/null "$API/auth/login" && logged_in=true

if [[ $rc -ne 0 ]]; then
  if [[ -n "${ACCESS_URL:-}" && "$ACCESS_URL" != "$LITEBOXD_GATEWAY_URL"/* ]]; then
    echo "# note: accessUrl $ACCESS_URL is not under LITEBOXD_GATEWAY_URL $LITEBOXD_GATEWAY_URL (the API's GATEWAY_URL)"
  fi
  fail "the walkthrough failed (exit $rc)"
fi

# --- checks ----------------------------------------------------------------------------------
problems=()
problem() { problems+=("$*"); echo "# not ok: $*"; }
has_line() { grep -Fxq -- "$1" "$out"; }

[[ -n "${ID:-}" && -n "${NAME:-}" && -n "${KEY:-}" ]] || problem "the walkthrough did not set ID, NAME and KEY"
[[ "$logged_in" == true ]] || problem "cannot log in as $LITEBOXD_ADMIN_USER after the walkthrough"

has_line 'login successful' || problem "login did not print 'login successful'"
has_line '{"auth_method":"api_key"}' || problem "the API key was not accepted by /auth/me"
has_line "{\"name\":\"$NAME\",\"latestVersion\":1}" || problem "template $NAME was not created as version 1"
has_line running || problem "the sandbox never reported status running"
has_line "hello from sandbox-$ID" || problem "exec did not print 'hello from sandbox-$ID'"
grep -Eq '^Python 3\.' "$out" || problem "exec did not print the python3 version"
[[ "$(grep -Fxc 'hello from LiteBoxd' "$out")" -eq 2 ]] ||
  problem "the gateway did not serve index.html both with the header and with ?access_token="
grep -Eq '^\{.*"missing access token".*\} 401$' "$out" || problem "the gateway did not answer 401 without the token"
has_line terminating || problem "the sandbox delete did not answer status terminating"
has_line 'API key deleted' || problem "the API key was not revoked"
has_line 'logout successful' || problem "logout failed"

if [[ "$logged_in" == true && -n "${ID:-}" && -n "${NAME:-}" ]]; then
  code="$(admin -o /dev/null -w '%{http_code}' "$API/templates/$NAME")" || true
  [[ "$code" == 404 ]] || problem "template $NAME still exists after the walkthrough (GET answered $code)"
  # Deletion is asynchronous: the sandbox is gone (404) once its pod is.
  for _ in $(seq 45); do
    code="$(admin -o /dev/null -w '%{http_code}' "$API/sandboxes/$ID")" || true
    [[ "$code" == 404 ]] && break
    sleep 2
  done
  [[ "$code" == 404 ]] || problem "sandbox $ID is not gone 90 s after its delete (GET answered $code)"
  code="$(curl -sS -m 30 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(jq -r .key <<<"$KEY")" "$API/auth/me")" || true
  [[ "$code" == 401 ]] || problem "the revoked API key still authenticates (GET /auth/me answered $code)"
fi

if ((${#problems[@]})); then
  echo "not ok - walkthrough"
  exit 1
fi
echo "ok - walkthrough"
