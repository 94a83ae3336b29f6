#!/usr/bin/env bash
# Runs one of the README's walkthroughs against a live install, exactly as written: the ```sh
# blocks between its markers are extracted and run as one bash script with `set -Eeuo pipefail`,
# then their output and the API are checked by that section's checks.
#
#   section      README section                       markers (<!-- NAME:begin --> … <!-- NAME:end -->)
#   basic        "5-minute walkthrough" (the default)  walkthrough
#   persistent   "Persistent sandboxes walkthrough"    walkthrough-persistent
#
# Ends with "ok - NAME" or "not ok - NAME" (and a non-zero exit), NAME being the section's markers.
#
#   test/walkthrough/run.sh [--section S]            run it (needs `make up`: .liteboxd/env and a live API)
#   test/walkthrough/run.sh [--section S] --print    only print the extracted commands
#
# Settings: LITEBOXD_ENV (default <repo>/.liteboxd/env), WALKTHROUGH_DOC (default <repo>/README.md).
# Needs only bash, curl (7.82+, for --json) and jq.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
env_file="${LITEBOXD_ENV:-$root/.liteboxd/env}"
doc="${WALKTHROUGH_DOC:-$root/README.md}"

usage() { echo "usage: $0 [--section basic|persistent] [--print]" >&2; exit 2; }
section=basic
print=false
while (($#)); do
  case "$1" in
    --section) (($# >= 2)) || usage; section="$2"; shift 2 ;;
    --section=*) section="${1#--section=}"; shift ;;
    --print) print=true; shift ;;
    *) usage ;;
  esac
done
case "$section" in
  basic) marker=walkthrough ;;
  persistent) marker=walkthrough-persistent ;;
  *) echo "unknown section '$section'" >&2; usage ;;
esac

# extract MARKER FILE: the body of every ```sh fence between <!-- MARKER:begin --> and
# <!-- MARKER:end -->, in order. Other fences (```text, ```json, …) and the prose between fences
# are skipped. Fails when the markers are missing, unbalanced, or enclose no sh block, or when a
# fence is left open. Other sections' markers are ordinary lines (compared whole, not as patterns).
extract() {
  awk -v m="$1" '
    BEGIN { begin = "<!-- " m ":begin -->"; end = "<!-- " m ":end -->" }
    { line = $0; sub(/[[:space:]]+$/, "", line) }
    line == begin { if (on) { bad = "nested begin marker" } on = 1; seen = 1; next }
    line == end   { if (!on || fence) { bad = "stray end marker or open fence" } on = 0; next }
    on && !fence && /^```/ { fence = 1; sh = ($0 ~ /^```(sh|bash)[[:space:]]*$/); if (sh) blocks++; next }
    on && fence && /^```[[:space:]]*$/ { fence = 0; sh = 0; next }
    on && fence && sh { print }
    END {
      if (bad != "")  { print m ": " bad > "/dev/stderr"; exit 1 }
      if (!seen)      { print m ": no " begin " marker" > "/dev/stderr"; exit 1 }
      if (on)         { print m ": no " end " marker" > "/dev/stderr"; exit 1 }
      if (!blocks)    { print m ": no ```sh block between the markers" > "/dev/stderr"; exit 1 }
    }' "$2"
}

if [[ "$print" == true ]]; then
  extract "$marker" "$doc"
  exit
fi

fail() { echo "# $*"; echo "not ok - $marker"; exit 1; }

# --- preconditions ---------------------------------------------------------------------------
command -v jq >/dev/null || fail "jq is not installed"
curl --help all 2>/dev/null | grep -q -- '--json' || fail "curl $(curl -V | head -1 | cut -d' ' -f2) has no --json (7.82+ needed)"
[[ -f "$env_file" ]] || fail "no $env_file: run 'make up' first (or set LITEBOXD_ENV)"
commands="$(extract "$marker" "$doc" 2>&1)" || fail "cannot extract section $section from $doc: $commands"
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
  # -E: the ERR trap below also names a command that fails inside a function the walkthrough
  # defines (the persistent one's wait_for and in_sandbox).
  echo 'set -Eeuo pipefail'
  # On the way out, hand the names the checks and the fallback cleanup need to this script.
  printf 'trap %q EXIT\n' "declare -p NAME ID KEY ACCESS_URL >'$state' 2>/dev/null || true"
  # Name the failing command without expanding it (no secrets in the log), and its line in
  # the output of `run.sh --print` (the script has three lines before the extracted ones).
  printf 'trap %q ERR\n' 'echo "# walkthrough stopped at line $((LINENO - 3)): $BASH_COMMAND" >&2'
  echo "$commands"
} >"$work/walkthrough.sh"

echo "# running the $section walkthrough from ${doc#"$root"/} against $LITEBOXD_API_URL"
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
# in_order LINE…: of the output's lines equal to one of these, the sequence is exactly this one
# (each step there, once, in the walkthrough's order).
in_order() { [[ "$(grep -Fx -f <(printf '%s\n' "$@") "$out" || true)" == "$(printf '%s\n' "$@")" ]]; }
# eventually SECONDS CMD…: true once CMD is, trying every 2 s (what the API shows of a delete
# follows the cluster's garbage collection).
eventually() {
  local tries=$(($1 / 2))
  shift
  for _ in $(seq "$tries"); do
    "$@" && return
    sleep 2
  done
  return 1
}
status_of() { admin -o /dev/null -w '%{http_code}' "$1" || true; }  # status_of URL: its HTTP status, as the admin
sandbox_gone() { [[ "$(status_of "$API/sandboxes/$ID")" == 404 ]]; }
can_check_api() { [[ "$logged_in" == true && -n "${ID:-}" && -n "${NAME:-}" ]]; }

# What both walkthroughs do: log in, make a key and a template, delete what they made, revoke the
# key, log out.
checks_common() {
  [[ -n "${ID:-}" && -n "${NAME:-}" && -n "${KEY:-}" ]] || problem "the walkthrough did not set ID, NAME and KEY"
  [[ "$logged_in" == true ]] || problem "cannot log in as $LITEBOXD_ADMIN_USER after the walkthrough"

  has_line 'login successful' || problem "login did not print 'login successful'"
  has_line "{\"name\":\"$NAME\",\"latestVersion\":1}" || problem "template $NAME was not created as version 1"
  has_line terminating || problem "the sandbox delete did not answer status terminating"
  has_line 'API key deleted' || problem "the API key was not revoked"
  has_line 'logout successful' || problem "logout failed"

  if can_check_api; then
    code="$(status_of "$API/templates/$NAME")"
    [[ "$code" == 404 ]] || problem "template $NAME still exists after the walkthrough (GET answered $code)"
    # Deletion is asynchronous: the sandbox is gone (404) once its pod (or Deployment) is.
    eventually 90 sandbox_gone ||
      problem "sandbox $ID is not gone 90 s after its delete (GET answered $(status_of "$API/sandboxes/$ID"))"
    code="$(curl -sS -m 30 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(jq -r .key <<<"$KEY")" "$API/auth/me")" || true
    [[ "$code" == 401 ]] || problem "the revoked API key still authenticates (GET /auth/me answered $code)"
  fi
}

checks_basic() {
  has_line '{"auth_method":"api_key"}' || problem "the API key was not accepted by /auth/me"
  has_line running || problem "the sandbox never reported status running"
  has_line "hello from sandbox-$ID" || problem "exec did not print 'hello from sandbox-$ID'"
  grep -Eq '^Python 3\.' "$out" || problem "exec did not print the python3 version"
  [[ "$(grep -Fxc 'hello from LiteBoxd' "$out")" -eq 2 ]] ||
    problem "the gateway did not serve index.html both with the header and with ?access_token="
  grep -Eq '^\{.*"missing access token".*\} 401$' "$out" || problem "the gateway did not answer 401 without the token"
}

claims_of_sandbox() { admin "$API/sandboxes/pvcs?sandbox_id=$ID"; }
claim_gone() { [[ "$(claims_of_sandbox | jq -r .total)" == 0 ]]; }

checks_persistent() {
  local kept=('hello from a persistent sandbox' 'written before the first stop')
  has_line "{\"id\":\"$ID\",\"status\":\"pending\",\"runtimeKind\":\"deployment\",\"claim\":\"sandbox-data-$ID\"}" ||
    problem "the sandbox was not created as a Deployment with the claim sandbox-data-$ID"
  grep -Eq "^\{\"pvcName\":\"sandbox-data-$ID\",\"storageClassName\":\"[^\"]+\",\"requestedSize\":\"1Gi\",\"phase\":\"Bound\"\}$" "$out" ||
    problem "GET /sandboxes/pvcs did not show the claim sandbox-data-$ID bound, 1Gi, with a storage class"
  # The files after every way back (start, restart, wake), and each step's answer, in order.
  in_order running "${kept[@]}" \
    'stop requested' '{"status":"stopped","status_reason":"stopped by request"}' \
    'start requested' running "${kept[@]}" \
    'restart requested' running "${kept[@]}" \
    stopped '{"status":"stopped","status_reason":"idle for 20s"}' \
    'this page lives on the volume claim' running "${kept[@]}" \
    terminating ||
    problem "not every step answered as expected, in order: install, stop, start, restart, idle suspend, wake (files kept at each)"

  if can_check_api; then
    # Reclaim Delete: the garbage collector deletes the claim after the Deployment; the API's
    # list (its claim informer joined with the rows) shows none for the sandbox then.
    eventually 90 claim_gone ||
      problem "the claim of sandbox $ID is still listed 90 s after its delete: $(claims_of_sandbox | jq -c .items)"
  fi
}

checks_common
"checks_$section"

if ((${#problems[@]})); then
  echo "not ok - $marker"
  exit 1
fi
echo "ok - $marker"
