#!/usr/bin/env bash
# Builds the test bed's images as OCI layouts under $LBX_CACHE/images/<name>/<tag>, without
# Docker: root filesystems from Debian packages (mmdebstrap), binaries from hack/toolchain.
# `hack/images/push.sh` copies them into the local registry.
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/lib/oci.sh"
source "$LBX_ROOT/hack/images/list.sh"

# debian_rootfs [--MMDEBSTRAP-OPTION...] SUITE PACKAGES...: a cached tar of a minimal Debian SUITE
# with these packages. Leading options (hooks) go to mmdebstrap and into the cache key.
debian_rootfs() {
  local options=()
  while [[ "$1" == --* ]]; do options+=("$1"); shift; done
  local suite="$1"; shift
  local key; key="$(printf '%s ' "${options[@]}" "$suite" "$@" | sha256sum | cut -c1-12)"
  local tar="$LBX_CACHE/rootfs/$suite-$key.tar"
  if [[ ! -f "$tar" ]]; then
    lbx_log "mmdebstrap $suite + $*"
    mkdir -p "$(dirname "$tar")"
    local include; include="$(IFS=,; echo "$*")"
    mmdebstrap --quiet --variant=essential --include="$include" \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' "${options[@]}" \
      "$suite" "$tar.partial.tar"
    mv "$tar.partial.tar" "$tar"
  fi
  echo "$tar"
}

# binary_layer NAME FILE DEST [ROOT_MODE]: a one-file layer with FILE installed at DEST. The
# layer's / keeps mktemp's 0700 unless ROOT_MODE is given: an image that runs as non-root needs 0755.
binary_layer() {
  local dir; dir="$(mktemp -d)"
  [[ -z "${4:-}" ]] || chmod "$4" "$dir"
  install -D -m 0755 "$2" "$dir$3"
  oci_layer_from_dir "$dir" "$LBX_CACHE/images/$1.layer.tar"
  rm -rf "$dir"
  echo "$LBX_CACHE/images/$1.layer.tar"
}

# pause_sources: one hash of what the pause image is built from. Images are cached by tag, so a
# change to these sources needs a new PAUSE_IMAGE_TAG; build_one refuses a stale cached image.
pause_sources() {
  cat "$LBX_ROOT/hack/images/pause.c" "$LBX_ROOT"/services/session-helper/go.mod \
    "$LBX_ROOT"/services/session-helper/*.go | sha256sum | cut -c1-64
}

build_one() {
  local name="$1" ref tag out
  ref="$(image_ref "$name")"; tag="${ref##*:}"
  out="$LBX_CACHE/images/$name/$tag"
  if [[ "$name" == pause && -f "$out/index.json" && "$(cat "$out/sources.sha256" 2>/dev/null)" != "$(pause_sources)" ]]; then
    lbx_die "hack/images/pause.c or services/session-helper changed since $ref was built: bump PAUSE_IMAGE_TAG in hack/versions.env (and the chart's api.prepull.helperImage.tag)"
  fi
  [[ -f "$out/index.json" ]] && return 0
  lbx_log "building image $ref"
  mkdir -p "$LBX_CACHE/images"
  case "$name" in
    pause)
      # Also LiteBoxd's sandbox helper image (api.prepull.helperImage): /pause, and the session
      # helper /lbx-session that the sandbox launcher installs next to it (docs/sessions.md).
      local bin="$LBX_CACHE/images/pause.bin" session
      gcc -static -Os -o "$bin" "$LBX_ROOT/hack/images/pause.c"
      session="$("$LBX_ROOT/services/session-helper/build.sh" | tail -n 1)"
      oci_image "$out" "$tag" '{"Entrypoint":["/pause"]}' "$(binary_layer pause "$bin" /pause)" \
        "$(binary_layer lbx-session "$session" /lbx-session 0755)"
      pause_sources > "$out/sources.sha256" ;;
    sandbox)
      # What users' code expects in a general-purpose sandbox: a shell, python3, curl; procps
      # for `ps`/`kill`, python3-websockets for WebSocket servers in gateway tests.
      oci_image "$out" "$tag" '{"Cmd":["sleep","infinity"],"WorkingDir":"/root"}' \
        "$(debian_rootfs "$DEBIAN_SUITE" bash python3-minimal python3-websockets curl procps ca-certificates)" ;;
    kube-router)
      oci_image "$out" "$tag" '{"Entrypoint":["/usr/local/bin/kube-router"]}' \
        "$(debian_rootfs "$DEBIAN_SUITE" iptables ipset conntrack iproute2)" \
        "$(binary_layer kube-router "$LBX_CACHE/kube-router/$KUBE_ROUTER_VERSION/kube-router" /usr/local/bin/kube-router)" ;;
    jre)
      # The base of LiteBoxd's own service images (Jib adds the application layers). Trixie,
      # because it is the Debian release that packages Java 25, the JDK the services build with.
      oci_image "$out" "$tag" '{"Env":["JAVA_HOME=/usr/lib/jvm/java-25-openjdk-amd64"]}' \
        "$(debian_rootfs trixie openjdk-25-jre-headless ca-certificates)" ;;
    postgres)
      # The chart's bundled database (database.postgres.bundled): Debian's PostgreSQL 15 (bookworm's,
      # whatever DEBIAN_SUITE says) behind hack/images/postgres-entrypoint.sh. The postgres user is
      # made uid/gid 999 before the packages install, as the chart's securityContext expects; the
      # cluster the package creates is dropped (the entrypoint initialises the volume). SIGINT is
      # the stop signal too, so a runtime that honours it skips the entrypoint's SIGTERM translation.
      oci_image "$out" "$tag" '{"Entrypoint":["/usr/local/bin/postgres-entrypoint"],"User":"999:999","StopSignal":"SIGINT","WorkingDir":"/var/lib/postgresql","Env":["PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","PGDATA=/var/lib/postgresql/data/pgdata"]}' \
        "$(debian_rootfs \
          --essential-hook='echo "postgres:x:999:999:PostgreSQL administrator:/var/lib/postgresql:/bin/bash" >> "$1/etc/passwd"; echo "postgres:x:999:" >> "$1/etc/group"' \
          --customize-hook='rm -rf "$1"/etc/postgresql/15/main "$1"/var/lib/postgresql/15' \
          bookworm postgresql-15)" \
        "$(binary_layer postgres-entrypoint "$LBX_ROOT/hack/images/postgres-entrypoint.sh" /usr/local/bin/postgres-entrypoint 0755)" ;;
    coredns|local-path-provisioner|traefik)
      local version_var; version_var="$(tr 'a-z-' 'A-Z_' <<<"$name")_VERSION"
      oci_image "$out" "$tag" "{\"Entrypoint\":[\"/$name\"]}" \
        "$(binary_layer "$name" "$LBX_CACHE/$name/${!version_var}/$name" "/$name")" ;;
    *) lbx_die "unknown image $name" ;;
  esac
}

for name in "${@:-${LBX_IMAGES[@]}}"; do build_one "$name"; done
