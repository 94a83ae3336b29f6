# Builds Go programs from the module proxy when `go install pkg@version` cannot: a module whose
# go.mod has replace directives is refused by `go install`, so we build it through a throw-away
# wrapper module that requires it and carries the replaces it needs.
# Sourced by hack/toolchain/*.sh after common.sh.

# gowrap_build OUT_DIR MODULE VERSION LOCAL_REPLACE_VERSION BIN=PKG...
#   OUT_DIR                where the binaries go
#   LOCAL_REPLACE_VERSION  version to use for modules the upstream go.mod replaces with a local
#                          path (they are published separately, e.g. k8s staging as v0.x.y)
#   BIN=PKG                one per binary: output name and main package path
# Extra -ldflags come from $GOWRAP_LDFLAGS, extra requirements (module@version, space separated)
# from $GOWRAP_REQUIRES, extra replaces (module=>dir, space separated) from $GOWRAP_REPLACES; the
# module's own non-local replaces and excludes are copied.
gowrap_build() {
  local out="$1" module="$2" version="$3" local_version="$4"; shift 4
  local work="$out/.src"
  rm -rf "$work"; mkdir -p "$work" "$out"  # never reuse a half-written wrapper
  (
    cd "$work"
    # The checksum database reachable here has no record of some of the pinned modules (its
    # lookup answers 404, e.g. k8s.io/kubernetes, sigs.k8s.io/cri-tools). The pinned module
    # itself is therefore taken from the proxy as is; all of its dependencies are still checked.
    export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}$module"
    local gomod="" attempt
    for attempt in 1 2 3; do  # the proxy occasionally drops a request; try again before failing
      gomod="$(go mod download -json "$module@$version" | jq -r '.GoMod // empty')" && [[ -n "$gomod" ]] && break
      lbx_log "go mod download $module@$version failed (attempt $attempt)"; sleep 2
    done
    [[ -n "$gomod" ]] || lbx_die "cannot download $module@$version"
    cp "$gomod" upstream.mod
    {
      printf 'module liteboxd.local/gowrap\n\ngo 1.24.0\n\nrequire %s %s\n\n' "$module" "$version"
      # Extra "module version" pairs raise a dependency (MVS takes the highest requirement).
      local req; for req in ${GOWRAP_REQUIRES:-}; do printf 'require %s\n' "${req/@/ }"; done
      local rep; for rep in ${GOWRAP_REPLACES:-}; do printf 'replace %s => %s\n' "${rep%%=>*}" "${rep#*=>}"; done
      # Local-path replaces (`X => ./dir`) become the published twin of X; others are kept as is.
      awk -v lv="$local_version" '
        /^replace[ \t]*\(/ { inblock = 1; next }
        inblock && /^\)/   { inblock = 0; next }
        /^replace[ \t]/    { sub(/^replace[ \t]+/, ""); line = $0 }
        inblock            { line = $0 }
        line != "" && line ~ /=>/ {
          split(line, parts, /[ \t]*=>[ \t]*/)
          gsub(/^[ \t]+/, "", parts[1])
          if (parts[2] ~ /^\.\.?\//) {
            split(parts[1], lhs, /[ \t]+/)
            # Only where that version is valid for the path (v2+ needs the /vN suffix): this
            # drops poison-pill replaces such as `go.etcd.io/etcd => ./FORBIDDEN_DEPENDENCY` in etcd.
            major = lv; sub(/^v/, "", major); sub(/\..*/, "", major)
            if (major + 0 < 2 || lhs[1] ~ ("/v" major "$")) print "replace " lhs[1] " => " lhs[1] " " lv
          }
          else print "replace " parts[1] " => " parts[2]
        }
        { line = "" }' upstream.mod
      # Only the main module's excludes count, so the wrapper must repeat them.
      grep -E '^exclude[ \t]+[^( \t]' upstream.mod || true
    } > go.mod
    # Importing the main packages in a `tools` file makes `go mod tidy` record all they need.
    {
      printf '//go:build tools\n\npackage tools\n\nimport (\n'
      local spec; for spec in "$@"; do printf '\t_ "%s"\n' "${spec#*=}"; done
      printf ')\n'
    } > tools.go
    go mod tidy >/dev/null
    local spec
    for spec in "$@"; do
      lbx_log "building ${spec%%=*} from $module@$version"
      CGO_ENABLED=0 go build -trimpath -ldflags "-s -w ${GOWRAP_LDFLAGS:-}" -o "$out/${spec%%=*}" "${spec#*=}"
    done
  )
  rm -rf "$work"
}
