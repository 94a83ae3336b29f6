#!/usr/bin/env bash
# Builds the four service images daemonlessly with Jib onto the JRE base image, gives each a JVM
# AOT cache trained in the image itself (hack/images/aot.sh), and pushes them to the local
# registry: $LBX_REGISTRY/liteboxd/liteboxd-{api,gateway,controller,egress}:TAG.
# Usage: hack/images/services.sh [TAG]   (default: the git commit; the registry must be up)
#   LBX_MVN_ARGS: extra Maven arguments, e.g. Jib settings for a deliberately broken build
#   LBX_AOT=0: images without an AOT cache (they start like before it: bench/starts.md)
# Prints one line per image: "<service> <repository>:<tag> <digest>". The tag becomes the
# build's LITEBOXD_VERSION; an unchanged build of the same tag keeps its digest (the AOT cache
# is reused from $LBX_CACHE/aot while the image's layers stay the same).
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/images/list.sh"

tag="${1:-$(git -C "$LBX_ROOT" rev-parse --short=12 HEAD)}"
eval "$("$LBX_ROOT/hack/toolchain/java.sh")"
lbx_log "building service images $LBX_REGISTRY/liteboxd/liteboxd-*:$tag"
rm -f "$LBX_ROOT"/services/*/target/jib-image.tar
# Jib's own dependencies (Guava, SLF4J) chatter on the Maven JVM's stderr; that says nothing here.
# The images are written as tars (the AOT cache is added before they are pushed) and package the
# plain jar, not the fat one (liteboxd.shade.skip). Maven's stdout goes to stderr: this script's
# stdout is the image list that callers parse (a build step's chatter there broke `make up`).
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -B -ntp -q -f "$LBX_ROOT/pom.xml" -DskipTests package com.google.cloud.tools:jib-maven-plugin:buildTar \
  -Dliteboxd.image.registry="$LBX_REGISTRY" -Dliteboxd.image.tag="$tag" -Dliteboxd.shade.skip=true \
  -Dliteboxd.image.base="$(image_ref jre)" -Djib.allowInsecureRegistries=true ${LBX_MVN_ARGS:-} \
  2> >(grep -v '^SLF4J(W)' >&2) >&2
for service in api gateway controller egress; do
  target="$LBX_ROOT/services/$service/target"
  [[ -s "$target/jib-image.tar" ]] || lbx_die "Jib wrote no image for $service"
  digest="$("$LBX_ROOT/hack/images/aot.sh" "$service" "$target/jib-image.tar" "$target/oci" "$tag")"
  ref="$LBX_REGISTRY/liteboxd/liteboxd-$service:$tag"
  skopeo copy --quiet --dest-tls-verify=false --preserve-digests "oci:$target/oci:$tag" "docker://$ref"
  echo "$service $ref $digest"
done
