# Assembles OCI image layouts from plain tar files: no Docker, no daemon. The result is pushed
# to the local registry with skopeo. Sourced after common.sh.

# oci_layer_from_dir DIR OUT_TAR: a reproducible tar of DIR's contents (root-owned, mtime 0).
oci_layer_from_dir() {
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf "$2" .
}

# oci_image OUT_DIR REF CONFIG_JSON LAYER_TAR...: writes an OCI layout at OUT_DIR holding one
# image tagged REF; CONFIG_JSON is the image's runtime config (Entrypoint, Cmd, Env, User...).
oci_image() {
  local out="$1" ref="$2" runtime_config="$3"; shift 3
  rm -rf "$out"; mkdir -p "$out/blobs/sha256"
  local layers="[]" diff_ids="[]" tar gz digest diff_id size
  for tar in "$@"; do
    diff_id="sha256:$(sha256sum "$tar" | cut -d' ' -f1)"
    gz="$out/layer.tmp"
    gzip -1 -n -c "$tar" > "$gz"
    digest="$(sha256sum "$gz" | cut -d' ' -f1)"; size="$(stat -c %s "$gz")"
    mv "$gz" "$out/blobs/sha256/$digest"
    layers="$(jq -c --arg d "sha256:$digest" --argjson s "$size" \
      '. + [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}]' <<<"$layers")"
    diff_ids="$(jq -c --arg d "$diff_id" '. + [$d]' <<<"$diff_ids")"
  done
  local config
  config="$(jq -cn --argjson c "$runtime_config" --argjson ids "$diff_ids" \
    '{architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z", config: $c, rootfs: {type: "layers", diff_ids: $ids}}')"
  oci_finish "$out" "$ref" "$config" "$layers"
}

# oci_finish OUT_DIR REF CONFIG_JSON LAYERS_JSON: writes the image config, its manifest (LAYERS_JSON:
# the manifest's layer descriptors, blobs already under OUT_DIR), index.json tagging it REF and
# oci-layout. Leaves the manifest's digest in _OCI_DIGEST.
oci_finish() {
  local out="$1" ref="$2" config="$3" layers="$4" manifest
  _oci_blob "$out" "$config" config
  manifest="$(jq -cn --arg d "$_OCI_DIGEST" --argjson s "$_OCI_SIZE" --argjson l "$layers" \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $d, size: $s}, layers: $l}')"
  _oci_blob "$out" "$manifest" manifest
  jq -cn --arg d "$_OCI_DIGEST" --argjson s "$_OCI_SIZE" --arg r "$ref" \
    '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: $d, size: $s, annotations: {"org.opencontainers.image.ref.name": $r}}]}' > "$out/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
}

_oci_blob() {
  local out="$1" content="$2"
  _OCI_DIGEST="sha256:$(printf '%s' "$content" | sha256sum | cut -d' ' -f1)"
  _OCI_SIZE="$(printf '%s' "$content" | wc -c)"
  printf '%s' "$content" > "$out/blobs/sha256/${_OCI_DIGEST#sha256:}"
}
