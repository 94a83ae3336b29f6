#!/usr/bin/env bash
# Builds lbx-session, the static session helper copied into every sandbox container, as
# services/session-helper/target/lbx-session (stdlib only, CGO_ENABLED=0, reproducible).
# Usage: services/session-helper/build.sh [--test]
#   --test: go vet and go test ./... first
#   GOARCH=arm64 (environment): cross-build; the output path stays the same
# Prints only the binary's path on stdout (last line); everything else goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
go="${LBX_GO:-/usr/local/go/bin/go}"
[[ -x "$go" ]] || go="$(command -v go)" || { echo "build.sh: no Go toolchain found" >&2; exit 1; }

# Only the local toolchain and the standard library: no module downloads, no VCS stamping.
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0
export GOCACHE="${GOCACHE:-$HOME/.cache/liteboxd/go/build}"

run_tests=0
for arg in "$@"; do
  case "$arg" in
    --test) run_tests=1 ;;
    *) echo "usage: $0 [--test]" >&2; exit 2 ;;
  esac
done

cd "$here"
if (( run_tests )); then
  echo "build.sh: go vet ./..." >&2
  "$go" vet ./... >&2
  echo "build.sh: go test ./..." >&2
  "$go" test -count=1 ./... >&2
fi

mkdir -p target
out="$here/target/lbx-session"
echo "build.sh: go build -> $out" >&2
"$go" build -buildvcs=false -trimpath -ldflags='-s -w' -o "$out" . >&2
echo "$out"
