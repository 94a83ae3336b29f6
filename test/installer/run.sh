#!/usr/bin/env bash
# liteboxd-installer end to end on the test bed (test/installer/installer_test.py): machines of
# hack/installer/hosts.sh, the k3s fixture as their air-gap bundle, this project's chart. Needs
# the test bed up (make up); leaves nothing behind (machines, nodes, release, tokens).
source "$(dirname "$0")/../../hack/lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"
source "$LBX_ROOT/hack/images/list.sh"
source "$LBX_ROOT/hack/versions.env"
export KUBECONFIG="$KUBECONFIG_ADMIN" LBX_ROOT LBX_REGISTRY
export LBX_HOST_PASSWORD="${LBX_HOST_PASSWORD:-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')}"
export LBX_PAUSE_IMAGE; LBX_PAUSE_IMAGE="$(image_ref pause)"
eval "$("$LBX_ROOT/hack/toolchain/java.sh")"   # Java 25 for the installer
hosts="$LBX_ROOT/hack/installer/hosts.sh"
machines=(inst-m inst-a1 inst-a2 inst-a3 inst-ssh)
work="$(mktemp -d /tmp/lbx-installer.XXXXXX)"; chmod 0700 "$work"
export LBX_INSTALLER_WORK="$work"

cleanup() {
  set +e   # every step, whatever failed before
  [[ -n "${forward_pid:-}" ]] && kill "$forward_pid" 2>/dev/null
  helm uninstall lbx-inst --namespace lbx-inst-system --wait --timeout 2m >/dev/null 2>&1
  kubectl delete namespace lbx-inst-system lbx-inst-sandbox --ignore-not-found --wait=false >/dev/null 2>&1
  local name
  for name in "${machines[@]}"; do
    "$hosts" exec "$name" '[ -x /usr/local/bin/k3s-uninstall.sh ] && /usr/local/bin/k3s-uninstall.sh
      [ -x /usr/local/bin/k3s-agent-uninstall.sh ] && /usr/local/bin/k3s-agent-uninstall.sh; true' >/dev/null 2>&1
  done
  "$hosts" down "${machines[@]}" >/dev/null 2>&1
  kubectl delete node -l node.liteboxd.io/k3s-fixture=true --ignore-not-found >/dev/null 2>&1
  kubectl delete secret -n kube-system -l liteboxd.io/k3s-fixture --ignore-not-found >/dev/null 2>&1
  kubectl delete clusterrolebinding -l liteboxd.io/k3s-fixture --ignore-not-found >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# The installer's jar, built into this run's own directory: the services' Maven build may run
# beside this suite (make test) and rewrites tools/installer/target.
mvn -B -ntp -q -o -f "$LBX_ROOT/pom.xml" -pl tools/installer -DskipTests -Dinstaller.buildDirectory="$work/build" \
  package >&2
export LBX_INSTALLER_JAR="$work/build/liteboxd-installer.jar"
"$LBX_ROOT/test/installer/k3s-fixture/build.sh" "$work/bundle"
# The Cilium chart of the version the project pins (the dry run names it).
ln -s "$(go mod download -json "github.com/cilium/cilium@$CILIUM_VERSION" | jq -r .Dir)/install/kubernetes/cilium" "$work/cilium-chart"
# The machines reach the test bed's registry (loopback only) through this mirror address, which
# the test's registries.yaml names: 10.77.0.1 is the machines' bridge (hosts.sh).
"$hosts" bridge
export LBX_MIRROR="10.77.0.1:5000"
"$work/bundle/lbx-forward" "$LBX_MIRROR" "$LBX_REGISTRY" >"$work/forward.log" 2>&1 &
forward_pid=$!
# LiteBoxd from the installer: the test bed's values, then this test's (one node for every
# component: pods on the fixture's nodes have no route to the others).
mkdir -p "$work/values.d"
cp "$LBX_ROOT/hack/chart/testbed-values.yaml" "$work/values.d/10-testbed.yaml"
# It runs beside the services' tests on 2 CPUs and serves no load: no self warm-up, C1 only.
cat > "$work/values.d/20-installer-test.yaml" <<YAML
ingress: {enabled: false}
gateway: {replicas: 1, jvmOptions: "-XX:TieredStopAtLevel=1", nodeSelector: {kubernetes.io/hostname: $NODE_NAME}}
controller: {replicas: 1, jvmOptions: "-XX:TieredStopAtLevel=1", nodeSelector: {kubernetes.io/hostname: $NODE_NAME}}
api: {warmup: {rounds: 0}, jvmOptions: "-XX:TieredStopAtLevel=1", nodeSelector: {kubernetes.io/hostname: $NODE_NAME}}
sandboxPods: {nodeSelector: {kubernetes.io/hostname: $NODE_NAME}}
YAML
# The SSH client's own tests against a machine of their own, beside the end-to-end test (both
# mostly wait on machines and the cluster).
LBX_SSH_TEST_HOST=inst-ssh LBX_SSH_TEST_BUILD="$work/build-ssh" "$LBX_ROOT/hack/installer/ssh-test.sh" \
  >"$work/ssh-test.log" 2>&1 &
ssh_test=$!
status=0
python3 "$LBX_ROOT/test/installer/installer_test.py" || status=1
if wait "$ssh_test"; then
  echo "ok - the SSH client against a real sshd (SshHostsHostTest, hack/installer/ssh-test.sh)"
else
  tail -n 40 "$work/ssh-test.log"
  echo "not ok - the SSH client against a real sshd (SshHostsHostTest, hack/installer/ssh-test.sh)"
  status=1
fi
exit "$status"
