#!/usr/bin/env bash
# The Java build toolchain: the machine's newest JDK (Java 25, which the services target) and
# Maven from Maven Central, checksum-verified and cached by version. Prints `export` lines.
source "$(dirname "$0")/../lib/common.sh"

jdk=""
for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
  [[ -x "$candidate/bin/javac" ]] && { jdk="$candidate"; break; }
done
[[ -n "$jdk" ]] || lbx_die "no Java 25 JDK under /usr/lib/jvm (the services are built for Java 25)"

maven="$LBX_CACHE/maven/$MAVEN_VERSION"
if [[ ! -x "$maven/bin/mvn" ]]; then
  lbx_log "installing Maven $MAVEN_VERSION"
  tarball="$(mktemp)"
  curl -fsSL -o "$tarball" \
    "https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/$MAVEN_VERSION/apache-maven-$MAVEN_VERSION-bin.tar.gz"
  echo "$MAVEN_SHA512  $tarball" | sha512sum -c --quiet
  mkdir -p "$maven.partial"
  tar -xzf "$tarball" -C "$maven.partial" --strip-components=1
  rm -f "$tarball"
  mv "$maven.partial" "$maven"
fi
echo "export JAVA_HOME=$jdk"
echo "export PATH=$maven/bin:$jdk/bin:\$PATH"
