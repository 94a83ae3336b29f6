#!/usr/bin/env bash
# The SSH client of liteboxd-installer against a real machine: brings up one hosts.sh test host,
# runs SshHostsHostTest against it (commands, sudo, uploads, timeouts, host keys, sshd stopped) and
# deletes the host again, whatever happened.
#   hack/installer/ssh-test.sh            (needs root: network namespaces)
# LBX_SSH_TEST_HOST names the machine (default lbx-ssh-test; deleted afterwards);
# LBX_SSH_TEST_BUILD is Maven's build directory for the installer (default tools/installer/target).
source "$(dirname "$0")/../lib/common.sh"

name="${LBX_SSH_TEST_HOST:-lbx-ssh-test}"
hosts="$LBX_ROOT/hack/installer/hosts.sh"
export LBX_HOST_PASSWORD="${LBX_HOST_PASSWORD:-lbx-test-password}"

trap '"$hosts" down "$name" || lbx_log "warning: could not delete test host $name"' EXIT
started=$SECONDS
"$hosts" up "$name"
lbx_log "test host $name up in $((SECONDS - started)) s"

eval "$("$LBX_ROOT/hack/toolchain/java.sh")"
cd "$LBX_ROOT"
build="${LBX_SSH_TEST_BUILD:-$LBX_ROOT/tools/installer/target}"
started=$SECONDS
LBX_INSTALLER_HOST="$("$hosts" ip "$name")" LBX_INSTALLER_HOST_NAME="$name" \
  mvn -B -ntp -o -pl tools/installer -Dconsole.skip test -Dinstaller.buildDirectory="$build" \
  -Dtest=SshHostsHostTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlogback.configurationFile="$LBX_ROOT/hack/installer/logback-test.xml"
# Every test ran: one skipped (an environment variable lost on the way) is a failure here.
report="$build/surefire-reports/TEST-io.liteboxd.installer.ssh.SshHostsHostTest.xml"
grep -q 'skipped="0"' "$report" || lbx_die "SshHostsHostTest skipped tests: $(grep -o 'tests="[0-9]*" [^>]*skipped="[0-9]*"' "$report")"
lbx_log "SshHostsHostTest passed in $((SECONDS - started)) s"
