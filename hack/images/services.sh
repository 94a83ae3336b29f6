#!/usr/bin/env bash
# Builds the three service images daemonlessly with Jib onto the JRE base image and pushes them to
# the local registry: $LBX_REGISTRY/liteboxd/liteboxd-{api,gateway,controller}:TAG.
# Usage: hack/images/services.sh [TAG]   (default: the git commit; the registry must be up)
#   LBX_MVN_ARGS: extra Maven arguments, e.g. Jib settings for a deliberately broken build
# Prints one line per image: "<service> <repository>:<tag> <digest>". The tag becomes the
# build's LITEBOXD_VERSION; an unchanged build of the same tag keeps its digest.
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/images/list.sh"

tag="${1:-$(git -C "$LBX_ROOT" rev-parse --short=12 HEAD)}"
eval "$("$LBX_ROOT/hack/toolchain/java.sh")"
lbx_log "building service images $LBX_REGISTRY/liteboxd/liteboxd-*:$tag"
rm -f "$LBX_ROOT"/services/*/target/jib-image.digest
# Jib's own dependencies (Guava, SLF4J) chatter on the Maven JVM's stderr; that says nothing here.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -B -ntp -q -f "$LBX_ROOT/pom.xml" -DskipTests package com.google.cloud.tools:jib-maven-plugin:build \
  -Dliteboxd.image.registry="$LBX_REGISTRY" -Dliteboxd.image.tag="$tag" \
  -Dliteboxd.image.base="$(image_ref jre)" -Djib.allowInsecureRegistries=true ${LBX_MVN_ARGS:-} \
  2> >(grep -v '^SLF4J(W)' >&2)
for service in api gateway controller; do
  digest_file="$LBX_ROOT/services/$service/target/jib-image.digest"
  [[ -s "$digest_file" ]] || lbx_die "Jib wrote no digest for $service"
  echo "$service $LBX_REGISTRY/liteboxd/liteboxd-$service:$tag $(cat "$digest_file")"
done
