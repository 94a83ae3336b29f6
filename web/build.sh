#!/usr/bin/env bash
# The console's build, run by Maven (web/pom.xml): `build.sh build <outDir>` installs the locked
# packages from the npm registry (npm ci, only when the lockfile changed) and builds into <outDir>,
# which the API serves from its classpath at /; `build.sh test` runs the UI's unit tests.
set -euo pipefail
cd "$(dirname "$0")"
install() {
  local stamp=node_modules/.lbx-lock.sha256 sum
  sum=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [[ ! -f $stamp || $(cat "$stamp") != "$sum" ]]; then
    # stderr: Maven runs this inside scripts whose stdout is data (hack/images/services.sh).
    npm ci --no-audit --no-fund --loglevel=error >&2
    echo "$sum" > "$stamp"
  fi
}
case "${1:-}" in
  build) install; npx --no-install vite build --logLevel warn --outDir "${2:?outDir}" ;;
  test) [[ ${2:-false} == true ]] && exit 0; install; npm test --silent ;;
  *) echo "usage: $0 build <outDir> | test" >&2; exit 2 ;;
esac
