"""liteboxd-installer end to end (test/installer/run.sh): real machines (hack/installer/hosts.sh)
reached only over SSH, the k3s test fixture as their air-gap bundle (k3s-fixture/README.md), the
test bed's control plane behind it, and this project's chart for LiteBoxd.

1. bad configurations: every error at once, with file:line: path;
2. a dry run contacts nothing;
3. apply on a master and two agents while one agent's sshd is stopped mid-way: the run fails on
   that agent; `resume` finishes it (no step done before runs again);
4. apply again: nothing changes (no k3s restart, same node objects), and it is quick;
5. a registry mirror from registries.yaml serves a pod on an agent; changing the file restarts
   k3s-agent on every machine, and only then;
6. a third agent added to the list joins; `node remove` takes one agent out of the cluster and
   uninstalls k3s from it (and refuses the master); with runtime.removeAbsentAgents, an agent
   taken out of the list leaves the cluster and k3s leaves its machine, while the test bed's own
   node (in the cluster, not in the list, never joined by the installer) is left alone;
7. no password and no node token in any output, log file, or state.json.
Timings of each run go to bench/installer.md via the report this prints at the end."""
import asyncio
import json
import os
import pathlib
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "lib"))
from live import check, failures, wait_until  # noqa: E402

ROOT = pathlib.Path(os.environ["LBX_ROOT"])
WORK = pathlib.Path(os.environ["LBX_INSTALLER_WORK"])  # 0700, deleted by run.sh
JAR = os.environ["LBX_INSTALLER_JAR"]
HOSTS = ROOT / "hack/installer/hosts.sh"
PASSWORD = os.environ["LBX_HOST_PASSWORD"]
KUBECONFIG_ADMIN = os.environ["KUBECONFIG"]
MASTER, AGENTS, EXTRA = "inst-m", ["inst-a1", "inst-a2"], "inst-a3"
RELEASE, SYSTEM_NS, SANDBOX_NS = "lbx-inst", "lbx-inst-system", "lbx-inst-sandbox"
STATE = WORK / "state/state.json"
timings = []  # (what, seconds, {phase: seconds})
outputs = []  # every output of the installer, for the secret check
PHASE_LINE = re.compile(r"^\s+([a-z0-9-]+): (DONE|SKIPPED) - .*\((\d+\.\d) s\)$", re.M)


def sh(*args, check_rc=True, **kwargs):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if check_rc and done.returncode != 0:
        raise RuntimeError(f"{args}: exit {done.returncode}: {done.stderr[-2000:]}")
    return done


def hosts(*args):
    return sh(HOSTS, *args).stdout.strip()


def on_machine(name, script):
    """What the machine's console would show: SCRIPT run as root inside machine NAME."""
    return sh(HOSTS, "exec", name, script, check_rc=False)


def kubectl(*args, check_rc=True):
    return sh("kubectl", "--kubeconfig", KUBECONFIG_ADMIN, *args, check_rc=check_rc).stdout


def installer(config, *args, log=None, what=None):
    """One run of the installer: (exit code, stdout + stderr); its time goes into the report."""
    cmd = ["java", "-jar", JAR, "-f", config, "--state", STATE]
    if log:
        cmd += ["--log-file", log]
    started = time.monotonic()
    done = sh(*cmd, *args, check_rc=False, env={**os.environ, "LBX_HOST_PASSWORD": PASSWORD})
    took = time.monotonic() - started
    output = done.stdout + done.stderr
    if what:
        timings.append((what, took, {m[0]: float(m[2]) for m in PHASE_LINE.findall(output)}))
    outputs.append(output)
    return done.returncode, output


def tail(text, n=15):
    return " | ".join(text.strip().splitlines()[-n:])


def config(path, agents, registries_endpoint, cni="none", extra=""):
    ips = {name: hosts("ip", name) for name in [MASTER, *agents]}
    cilium = f"  cilium:\n    chart: {WORK}/cilium-chart\n    version: 1.18.6\n    values: {{kubeProxyReplacement: false}}\n"
    agent_lines = "\n".join(
        f"    - {{host: {ips[a]}, user: lbx, password: \"${{LBX_HOST_PASSWORD}}\", sudo: true}}" for a in agents)
    path.write_text(f"""# written by test/installer/installer_test.py
cluster:
  name: inst-test
  master: {{host: {ips[MASTER]}, user: lbx, password: "${{LBX_HOST_PASSWORD}}", sudo: true}}
  agents:
{agent_lines}
  k3s:
    version: {(WORK / "bundle/version").read_text().strip()}
    source: airgap
    airgapBundle: {WORK}/bundle
  registries:
    mirrors:
      "{os.environ['LBX_REGISTRY']}":
        endpoint: ["{registries_endpoint}"]
network:
  cni: {cni}
{cilium if cni == "cilium" else ""}liteboxd:
  chart: {ROOT}/charts/liteboxd
  release: {RELEASE}
  namespaceSystem: {SYSTEM_NS}
  namespaceSandbox: {SANDBOX_NS}
  configDir: {WORK}/values.d
  images: {{registry: {os.environ['LBX_REGISTRY']}/liteboxd, tag: dev}}
  timeoutSeconds: 600
runtime:
  parallelism: 4
  sshTimeoutSeconds: 5
  commandTimeoutSeconds: 300
  readyTimeoutSeconds: 120
{extra}""")
    return ips


def state():
    return json.loads(STATE.read_text()) if STATE.exists() else {"phases": {}}


def node_uids():
    nodes = json.loads(kubectl("get", "nodes", "-l", "node.liteboxd.io/k3s-fixture=true", "-o", "json"))["items"]
    return {n["metadata"]["name"]: n["metadata"]["uid"] for n in nodes}


def service_pid(name):
    unit = "k3s" if name == MASTER else "k3s-agent"
    return on_machine(name, f"cat /run/k3s-fixture-services/{unit}.pid").stdout.strip()


def bad_configs():
    good = WORK / "good.yaml"
    config(good, AGENTS, "http://127.0.0.1:1")
    cases = {
        "unknown key, bad port, bad enum": (
            good.read_text().replace("  name: inst-test", "  name: inst-test\n  colour: blue")
            .replace("sudo: true}", "sudo: true, port: 70000}", 1).replace("cni: none", "cni: flannel"),
            [r":4: cluster\.colour: ", r"cluster\.master\.port: .*65535", r"network\.cni: "]),
        "unset variable": (good.read_text().replace("${LBX_HOST_PASSWORD}", "${LBX_NO_SUCH_VAR}", 1),
                           [r"LBX_NO_SUCH_VAR"]),
        "duplicate machine": (good.read_text().replace(hosts("ip", AGENTS[1]), hosts("ip", AGENTS[0])),
                              [r"cluster\.agents\[1\]"]),
        "missing version and bundle": (
            re.sub(r"    version: .*\n", "", good.read_text()).replace(f"{WORK}/bundle", f"{WORK}/no-bundle"),
            [r"cluster\.k3s\.version", r"cluster\.k3s\.airgapBundle"]),
    }
    for name, (text, patterns) in cases.items():
        path = WORK / "bad.yaml"
        path.write_text(text)
        rc, out = installer(path, "validate")
        missing = [p for p in patterns if not re.search(p, out)]
        check(f"bad config ({name}): exit 2 with each error named", rc == 2 and not missing,
              f"rc={rc} missing={missing}: {tail(out)}")
        check(f"bad config ({name}): errors carry file:line", re.search(r"bad\.yaml:\d+: ", out) is not None, tail(out))


def dry_run():
    path = WORK / "dry.yaml"
    config(path, AGENTS, "http://127.0.0.1:1", cni="cilium")
    rc, out = installer(path, "apply", "--dry-run", what="apply --dry-run")
    check("dry run: exit 0", rc == 0, tail(out))
    check("dry run: prints the Cilium helm command", re.search(r"helm upgrade --install cilium .*cilium-chart", out) is not None,
          tail(out, 40))
    check("dry run: prints the LiteBoxd helm command", re.search(rf"helm upgrade --install {RELEASE} ", out) is not None)
    check("dry run: no state written and no machine contacted",
          not STATE.exists() and not (STATE.parent / "known_hosts").exists())


def stop_sshd_when(name, phase, stop_event):
    """Stops NAME's sshd (every sshd process of the machine) once state.json shows PHASE running,
    unless STOP_EVENT comes first (the run ended without reaching it)."""
    async def due():
        if stop_event.is_set():
            return "run ended"
        try:
            record = state()["phases"].get(phase) or {}
        except (OSError, ValueError):
            return None  # state.json is being replaced: read it again
        running = ("RUNNING", "DONE")
        if any(n.get("status") in running for n in (record.get("nodes") or {}).values()) or \
                (record.get("phase") or {}).get("status") in running:
            return "due"
        return None

    def watch():
        try:
            if asyncio.run(wait_until(f"{phase} to start", due, 300, every=0.2)) == "due":
                hosts("stop-sshd", name)
        except TimeoutError:
            pass  # the run's own checks say what went wrong
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def first_install(cfg, logs):
    stop = threading.Event()
    watcher = stop_sshd_when(AGENTS[1], "k3s-server", stop)
    rc, out = installer(cfg, "apply", log=logs / "apply-1.log", what="apply (fresh, one agent's sshd stopped mid-way)")
    stop.set()
    watcher.join(5)
    check("first apply fails while an agent's sshd is down", rc == 1, tail(out))
    errors = [line for line in out.splitlines() if line.startswith("ERROR")]
    check("  and names the machine", any(hosts("ip", AGENTS[1]) in line for line in errors), tail(out))
    phases = state()["phases"]
    agent_status = {k: v.get("status") for k, v in (phases.get("agents", {}).get("nodes") or {}).items()}
    check("  it stopped in the agents phase on that machine, after the server was installed",
          (phases.get("k3s-server", {}).get("phase") or {}).get("status") == "DONE"
          and agent_status.get(hosts("ip", AGENTS[1]) + ":22") == "FAILED",
          str({k: ((v.get("phase") or {}).get("status"), {n: r.get("status") for n, r in (v.get("nodes") or {}).items()})
               for k, v in phases.items()}) + " | " + tail(out, 6))
    done_before = {p: json.dumps(r, sort_keys=True) for p, r in state()["phases"].items()}
    hosts("start-sshd", AGENTS[1])
    rc, out = installer(cfg, "resume", log=logs / "resume.log", what="resume (the rest)")
    check("resume finishes: exit 0", rc == 0, tail(out, 30))
    check("resume: every machine is a Ready node", set(node_uids()) == {MASTER, *AGENTS}, str(node_uids()))
    after = state()["phases"]
    server_before = json.loads(done_before.get("k3s-server", "{}"))
    check("resume: the k3s-server step done before was not run again",
          server_before and json.dumps(after["k3s-server"], sort_keys=True) == done_before["k3s-server"],
          f"{server_before} -> {after.get('k3s-server')}")
    status = kubectl("get", "deploy", "-n", SYSTEM_NS, "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.readyReplicas} {end}")
    check("resume: the LiteBoxd release runs (this project's chart: api, gateway, controller ready)",
          all(re.search(rf"-{part}=1( |$)", status) for part in ("api", "gateway", "controller")), status)


def converges(cfg, logs):
    uids, pids = node_uids(), {n: service_pid(n) for n in [MASTER, *AGENTS]}
    revision = kubectl("get", "secret", "-n", SYSTEM_NS, "-l", f"owner=helm,name={RELEASE}", "-o", "name").count("\n")
    rc, out = installer(cfg, "apply", log=logs / "apply-2.log", what="apply again (no change)")
    check("apply again: exit 0", rc == 0, tail(out, 30))
    check("apply again: same node objects", len(uids) == 3 and node_uids() == uids, f"{uids} -> {node_uids()}")
    check("apply again: no k3s service restarted", all(pids.values()) and {n: service_pid(n) for n in pids} == pids,
          str(pids))
    check("apply again: the release is upgraded in place (helm records one more revision, no error)",
          kubectl("get", "secret", "-n", SYSTEM_NS, "-l", f"owner=helm,name={RELEASE}", "-o", "name").count("\n") >= revision)


def with_second_endpoint(path, mirror):
    """The change to registries.yaml that registries() applies, kept by the configurations after it."""
    path.write_text(path.read_text().replace(f'endpoint: ["{mirror}"]', f'endpoint: ["{mirror}", "{mirror}/v2-second"]'))


def registries(cfg, logs, mirror):
    # A pod on an agent pulls the test bed's pause image through the mirror registries.yaml names.
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "mirror-probe", "namespace": "default"},
           "spec": {"nodeName": AGENTS[0], "containers": [{"name": "c", "image": os.environ["LBX_PAUSE_IMAGE"]}],
                    "tolerations": [{"operator": "Exists"}]}}
    sh("kubectl", "--kubeconfig", KUBECONFIG_ADMIN, "apply", "-f", "-", input=json.dumps(pod))

    async def running():
        return kubectl("get", "pod", "mirror-probe", "-o", "jsonpath={.status.phase}", check_rc=False) == "Running"
    try:
        asyncio.run(wait_until("the mirror-probe pod runs", running, 90, every=1))
        check("registries.yaml: an agent pulls through the configured mirror", True)
    except TimeoutError:
        check("registries.yaml: an agent pulls through the configured mirror", False,
              kubectl("describe", "pod", "mirror-probe")[-1500:])
    kubectl("delete", "pod", "mirror-probe", "--wait=false")
    pids = {n: service_pid(n) for n in [MASTER, *AGENTS]}
    changed = WORK / "install-mirror2.yaml"
    changed.write_text(cfg.read_text())
    with_second_endpoint(changed, mirror)
    rc, out = installer(changed, "apply", log=logs / "apply-registries.log", what="apply with a changed registries.yaml")
    check("changed registries.yaml: exit 0", rc == 0, tail(out, 30))
    restarted = {n for n in pids if pids[n] and service_pid(n) and service_pid(n) != pids[n]}
    check("changed registries.yaml: k3s restarted on every machine", restarted == set(pids), f"restarted {restarted}")
    check("changed registries.yaml: the file on a machine is the new one (0600)",
          "v2-second" in on_machine(AGENTS[0], "cat /etc/rancher/k3s/registries.yaml").stdout and
          on_machine(AGENTS[0], "stat -c %a /etc/rancher/k3s/registries.yaml").stdout.strip() == "600")
    return changed


def grow_and_shrink(cfg, logs, mirror):
    hosts("up", EXTRA)
    grown = WORK / "install-grown.yaml"
    config(grown, [*AGENTS, EXTRA], mirror)
    with_second_endpoint(grown, mirror)
    uids = node_uids()
    rc, out = installer(grown, "apply", log=logs / "apply-grown.log", what="apply with a third agent")
    check("added agent: exit 0", rc == 0, tail(out, 30))
    check("added agent: it is a Ready node, the others unchanged",
          set(node_uids()) == {MASTER, *AGENTS, EXTRA} and all(node_uids()[n] == uids[n] for n in uids), str(node_uids()))
    rc, out = installer(grown, "node", "remove", "--hosts", hosts("ip", AGENTS[0]), log=logs / "remove.log",
                        what="node remove (one agent)")
    check("node remove: exit 0", rc == 0, tail(out, 30))
    check("node remove: the node is gone from the cluster", AGENTS[0] not in node_uids(), str(node_uids()))
    uninstalled("node remove", AGENTS[0])
    rc, out = installer(grown, "node", "remove", "--hosts", hosts("ip", MASTER))
    check("node remove refuses the master", rc != 0 and MASTER in node_uids(), tail(out))
    remove_absent(logs, mirror)


def uninstalled(what, name):
    """Checks that k3s is gone from machine NAME: no k3s, kubelet or containerd, no cgroups left."""
    left = on_machine(name, "ls /usr/local/bin; pgrep -l -x kubelet; pgrep -l -x containerd").stdout
    check(f"{what}: k3s is uninstalled from the machine (no k3s, no kubelet, no containerd)",
          "k3s" not in left and "kubelet" not in left and "containerd" not in left, left)
    cgroups = list(pathlib.Path("/sys/fs/cgroup").glob(f"*/k3s-fixture-{name}"))
    check(f"{what}: nothing of the node left in the VM's cgroups", not cgroups, str(cgroups[:3]))


def remove_absent(logs, mirror):
    """runtime.removeAbsentAgents with the third agent taken out of the list: its node goes and k3s
    leaves the machine; the test bed's own node, in the cluster but never joined by the installer,
    is left alone."""
    shrunk = WORK / "install-shrunk.yaml"
    ips = config(shrunk, [AGENTS[1]], mirror, extra="  removeAbsentAgents: true\n")
    with_second_endpoint(shrunk, mirror)  # registries.yaml as before: no restart
    own = json.loads(kubectl("get", "nodes", "-l", "!node.liteboxd.io/k3s-fixture", "-o", "json"))["items"]
    own = {n["metadata"]["name"]: n["metadata"]["uid"] for n in own}
    uids = node_uids()
    rc, out = installer(shrunk, "apply", log=logs / "apply-shrunk.log", what="apply, an agent taken out (removeAbsentAgents)")
    check("removeAbsentAgents: exit 0", rc == 0, tail(out, 30))
    check("removeAbsentAgents: the agent taken out of the list is gone from the cluster, the others unchanged",
          node_uids() == {n: u for n, u in uids.items() if n != EXTRA}, f"{uids} -> {node_uids()}")
    # Reached with state.json's host, port and user and the password's variable (${LBX_HOST_PASSWORD}).
    uninstalled("removeAbsentAgents", EXTRA)
    after = json.loads(kubectl("get", "nodes", "-l", "!node.liteboxd.io/k3s-fixture", "-o", "json"))["items"]
    check("removeAbsentAgents: the test bed's node (not joined by the installer) is left alone: same, schedulable",
          {n["metadata"]["name"]: n["metadata"]["uid"] for n in after} == own
          and not any(n["spec"].get("unschedulable") for n in after), str(own))
    left_alone = [line for line in out.splitlines() if "left alone, not joined by this installer:" in line]
    check("  and the run names it as left alone", bool(left_alone) and all(n in left_alone[0] for n in own),
          tail(out, 30))
    joined = state().get("joinedAgents", {})
    check("removeAbsentAgents: state.json forgets the removed agent and keeps the password's variable, by name",
          [(a["nodeIP"], a["passwordEnv"]) for a in joined.values()] == [(ips[AGENTS[1]], "LBX_HOST_PASSWORD")],
          str(joined))


def no_secrets(logs):
    token = on_machine(MASTER, "cat /var/lib/rancher/k3s/server/node-token").stdout.strip()
    texts = outputs + [p.read_text() for p in logs.glob("*.log")] + [STATE.read_text()]
    for secret, what in [(PASSWORD, "the machines' password"), (token, "the node token"),
                         (token.split(".")[-1] if token else "", "the node token's secret")]:
        leaks = sum(secret in t for t in texts) if secret else -1
        check(f"no secret in output, logs or state.json: {what}", leaks == 0, f"found in {leaks} of {len(texts)}")


def write_report(path):
    """bench/installer.md: each run of the installer and its phases, as the installer timed them."""
    phases = ["preflight", "registries", "k3s-server", "cluster-access", "cilium", "agents", "nodes-ready",
              "remove-absent", "liteboxd", "summary"]
    load = open("/proc/loadavg").read().split()[:3]
    lines = [
        "# liteboxd-installer: time of each phase",
        "",
        "Recorded by `bench/installer.sh` (the `installer` suite of `make test`, test/installer) on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; 2 vCPU, load average {' '.join(load)} at the end. "
        "Machines: network namespaces with their own Debian root and sshd (hack/installer/hosts.sh) on one VM; "
        "k3s: the declared test fixture (test/installer/k3s-fixture), a 73 MB air-gap `k3s` file per machine "
        "sent over SSH; LiteBoxd: this project's chart with the test bed's images, one replica each.",
        "",
        "| run | total s | " + " | ".join(phases) + " |",
        "|---|---|" + "---|" * len(phases),
    ]
    for what, took, per_phase in timings:
        cells = [f"{per_phase[p]:.1f}" if p in per_phase else "" for p in phases]
        lines.append(f"| {what} | {took:.1f} | " + " | ".join(cells) + " |")
    lines += ["", "Empty cell: the phase did not run in that run (failed before it, a resume past it, or not a phase of "
              "that command). The first apply stops at the agents phase on purpose (an agent's sshd is stopped while "
              "the server installs); resume goes on from there. The Java start of each run (about 1 s) is in the total.",
              ""]
    path.write_text("\n".join(lines))


def main():
    logs = WORK / "logs"
    logs.mkdir()
    hosts("up", MASTER, *AGENTS)
    bad_configs()
    dry_run()
    mirror = f"http://{os.environ['LBX_MIRROR']}"
    cfg = WORK / "install.yaml"
    config(cfg, AGENTS, mirror)
    first_install(cfg, logs)
    converges(cfg, logs)
    cfg = registries(cfg, logs, mirror)
    grow_and_shrink(cfg, logs, mirror)
    no_secrets(logs)
    print("# installer timings (s): " + "; ".join(f"{w} {t:.1f}" for w, t, _ in timings), flush=True)
    report = os.environ.get("LBX_INSTALLER_REPORT")
    if report:
        write_report(pathlib.Path(report))
    if failures:
        print(f"# {len(failures)} failed: {failures}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
