#!/usr/bin/env python3
"""Start-up of the service images: time from container start to the first `/readyz` 200, and
memory once ready. Driven by bench/starts.sh; two ways to run a container:

  runc  the image's root filesystem (unpacked from a Jib tar or an OCI layout) under runc, as the
        kubelet would run it: the image's entrypoint, user 65532, read-only root, a memory limit
        (a cgroup), no CPU limit, all capabilities dropped; host network, and the services'
        Kubernetes API is hack/images/fakekube.py (empty lists, idle watches).
  pod   a pod in a namespace of the test bed (the chart's security context, probes and limits),
        against the real API server with a namespaced ServiceAccount (bench/starts.sh sets it up).

Both poll /readyz every 20 ms from outside the container and read memory 10 s after ready:
VmRSS of the JVM, and the container cgroup's working set (usage - inactive_file, what
`kubectl top` shows). Prints one JSON object per start.
"""
import argparse
import calendar
import json
import os
import shutil
import subprocess
import sys
import tarfile
import threading
import time
import urllib.error
import urllib.request

SETTLE_SECONDS = 10


def unpack(image, dest):
    """Extracts IMAGE (a Jib/docker tar or an OCI layout directory) into DEST/rootfs, config in DEST/config.json."""
    if os.path.exists(dest):
        shutil.rmtree(dest)
    rootfs = os.path.join(dest, "rootfs")
    os.makedirs(rootfs)
    if os.path.isdir(image):  # OCI layout
        def blob(digest):
            return os.path.join(image, "blobs", *digest.split(":", 1))
        with open(os.path.join(image, "index.json")) as f:
            manifest_digest = json.load(f)["manifests"][0]["digest"]
        with open(blob(manifest_digest)) as f:
            manifest = json.load(f)
        with open(blob(manifest["config"]["digest"])) as f:
            config = json.load(f)
        layers = [blob(layer["digest"]) for layer in manifest["layers"]]
        opener = open
    else:  # docker save format (jib:buildTar)
        tmp = os.path.join(dest, "tar")
        with tarfile.open(image) as t:
            t.extractall(tmp)
        with open(os.path.join(tmp, "manifest.json")) as f:
            manifest = json.load(f)[0]
        with open(os.path.join(tmp, manifest["Config"])) as f:
            config = json.load(f)
        layers = [os.path.join(tmp, layer) for layer in manifest["Layers"]]
    for layer in layers:
        # tar(1) keeps owners, modes and modification times (the AOT cache checks the jars').
        subprocess.run(["tar", "--warning=no-unknown-keyword", "-xzf", layer, "-C", rootfs], check=True)
    if not os.path.isdir(image):
        shutil.rmtree(os.path.join(dest, "tar"))
    with open(os.path.join(dest, "config.json"), "w") as f:
        json.dump(config, f)


def http_status(url, timeout=1.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def wait_ready(url, t0, alive, deadline_s=180):
    polls = 0
    while time.monotonic() - t0 < deadline_s:
        if http_status(url, timeout=0.5) == 200:
            return time.monotonic()
        polls += 1
        if polls % 25 == 0 and not alive():
            return None
        time.sleep(0.02)
    return None


def runc_status(name):
    out = subprocess.run(["runc", "state", name], capture_output=True).stdout
    return json.loads(out)["status"] if out else "stopped"


def rss_mib(pid):
    """VmRSS of a process and its anonymous and file-backed parts (the AOT cache is mapped), MiB."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


def cgroup_working_set(path):
    """usage - total_inactive_file of a cgroup v1 memory cgroup, in bytes."""
    with open(os.path.join(path, "memory.usage_in_bytes")) as f:
        usage = int(f.read())
    inactive = 0
    with open(os.path.join(path, "memory.stat")) as f:
        for line in f:
            key, value = line.split()
            if key == "total_inactive_file":
                inactive = int(value)
    return usage - inactive


def runc_spec(rootfs, config, args, env, mem_bytes, cgroup, mounts):
    user = config.get("config", {}).get("User", "65532:65532").split(":")
    image_env = config.get("config", {}).get("Env", [])
    return {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": int(user[0]), "gid": int(user[1] if len(user) > 1 else user[0])},
            "args": args,
            "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + image_env + env,
            "cwd": "/",
            "capabilities": {k: [] for k in ("bounding", "effective", "permitted", "ambient")},
            "noNewPrivileges": True,
        },
        "root": {"path": rootfs, "readonly": True},
        "hostname": "starts",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
            {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
            {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]},
            {"destination": "/etc/resolv.conf", "type": "bind", "source": "/etc/resolv.conf", "options": ["rbind", "ro"]},
        ] + [{"destination": d, "type": "bind", "source": s, "options": ["rbind", "rw"]} for d, s in mounts],
        "linux": {
            "cgroupsPath": cgroup,
            "resources": {"memory": {"limit": mem_bytes}, "devices": [{"allow": False, "access": "rwm"}]},
            "namespaces": [{"type": t} for t in ("pid", "ipc", "uts", "mount")],
            "maskedPaths": ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"],
            "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
        },
    }


def run_runc(args):
    """Runs the image under runc and measures its start; with --restart, a second container on
    the same /data and /tmp after the first one exited on SIGTERM (the API finds its database)."""
    with open(os.path.join(args.image_dir, "config.json")) as f:
        config = json.load(f)
    entrypoint = config["config"]["Entrypoint"] + (config["config"].get("Cmd") or [])
    if args.entrypoint:
        entrypoint = json.loads(args.entrypoint)
    name = f"lbx-starts-{args.service}-{os.getpid()}"
    bundle = os.path.abspath(os.path.join(args.work, name))
    os.makedirs(bundle)
    mounts = []
    for d in ("/tmp", "/data"):
        host = os.path.join(bundle, d.strip("/"))
        os.makedirs(host)
        os.chown(host, 65532, 65532)
        mounts.append((d, host))
    for m in args.mount:
        dest, src = m.split("=", 1)
        mounts.append((dest, os.path.abspath(src)))
    cgroup = f"/lbx-starts/{name}"
    spec = runc_spec(os.path.abspath(os.path.join(args.image_dir, "rootfs")), config, entrypoint, args.env,
                     args.memory_mib * 1024 * 1024, cgroup, mounts)
    with open(os.path.join(bundle, "config.json"), "w") as f:
        json.dump(spec, f)
    url = f"http://127.0.0.1:{args.port}/readyz"
    if http_status(url) is not None:
        sys.exit(f"port {args.port} is taken")
    results = []
    try:
        for service in [args.service] + ([args.service + "-restart"] if args.restart else []):
            log = open(os.path.join(args.work, f"{args.label}-{service}-{args.run}.log"), "w")
            results.append(dict(runc_once(args, name, bundle, cgroup, url, log, args.term or bool(args.restart)),
                                service=service))
            if results[-1]["ready_s"] is None:
                break
    finally:
        shutil.rmtree(bundle, ignore_errors=True)
    return [dict({"label": args.label, "run": args.run, "load1": os.getloadavg()[0]}, **r) for r in results]


def runc_once(args, name, bundle, cgroup, url, log, term):
    t0 = time.monotonic()
    subprocess.run(["runc", "run", "--detach", "--bundle", bundle, name], stdin=subprocess.DEVNULL,
                   stdout=log, stderr=log, check=True)
    try:
        state = json.loads(subprocess.run(["runc", "state", name], capture_output=True, check=True).stdout)
        pid = state["pid"]
        t1 = wait_ready(url, t0, lambda: runc_status(name) != "stopped")
        rss = ws = None
        if t1 is not None:
            time.sleep(max(0.0, t1 + SETTLE_SECONDS - time.monotonic()))
            rss = rss_mib(pid)
            ws = cgroup_working_set(f"/sys/fs/cgroup/memory{cgroup}")
        if term:
            subprocess.run(["runc", "kill", name, "TERM"], capture_output=True)
            for _ in range(int(max(float(term), 60) * 20)):
                if runc_status(name) == "stopped":
                    break
                time.sleep(0.05)
    finally:
        subprocess.run(["runc", "kill", name, "KILL"], capture_output=True)
        for _ in range(100):
            if runc_status(name) == "stopped":
                break
            time.sleep(0.05)
        subprocess.run(["runc", "delete", "--force", name], capture_output=True)
    return {"ready_s": None if t1 is None else round(t1 - t0, 3),
            "rss_mib": rss and rss["VmRSS"], "rss_anon_mib": rss and rss["RssAnon"],
            "rss_file_mib": rss and rss["RssFile"], "working_set_mib": ws and round(ws / 1048576, 1)}


def kubectl(*args, stdin=None, check=True):
    return subprocess.run(["kubectl", *args], input=stdin, capture_output=True, text=True, check=check).stdout


def crictl_inspect(container_id):
    out = subprocess.run([os.environ.get("CRICTL", "crictl"), "--runtime-endpoint",
                          "unix://" + os.environ["CONTAINERD_SOCK"], "inspect", container_id],
                         capture_output=True, check=True).stdout
    return json.loads(out)


def rfc3339_ns(value):
    """Seconds since the epoch of an RFC 3339 time with up to nanoseconds (containerd's)."""
    date, _, frac = value.rstrip("Z").partition(".")
    base = calendar.timegm(time.strptime(date, "%Y-%m-%dT%H:%M:%S"))
    return base + (float("0." + frac) if frac else 0.0)


class PodWatch:
    """Follows one pod through `kubectl get -w`: its IP, its container's ID and when the pod
    became Ready (local clock; again after it was not Ready)."""

    def __init__(self, namespace, name):
        self.ip = self.ready_at = self.container_id = self.phase = None
        self.proc = subprocess.Popen(["kubectl", "-n", namespace, "get", "pod", name, "-w", "-o", "json"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        threading.Thread(target=self._follow, daemon=True).start()

    def _follow(self):
        decoder, buf = json.JSONDecoder(), ""
        for line in self.proc.stdout:
            buf += line
            try:
                pod, end = decoder.raw_decode(buf.lstrip())
            except ValueError:
                continue
            buf = buf.lstrip()[end:]
            status = pod.get("status", {})
            self.phase = status.get("phase")
            self.ip = self.ip or status.get("podIP")
            for c in status.get("containerStatuses") or []:
                self.container_id = (c.get("containerID") or "").split("://")[-1] or self.container_id
            ready = any(c["type"] == "Ready" and c["status"] == "True" for c in status.get("conditions") or [])
            if not ready:
                self.ready_at = None
            elif self.ready_at is None:
                self.ready_at = time.time()

    def stop(self):
        self.proc.kill()


def measure_pod(watch, url, deadline, previous_container=None):
    """One start of the pod's container: (seconds to /readyz 200, to Ready, RSS, working set, container)."""
    while time.time() < deadline and (watch.container_id in (None, previous_container) or watch.ip is None):
        time.sleep(0.02)
    container = watch.container_id
    t_app = rss = ws = None
    while time.time() < deadline:
        if http_status(url, timeout=0.5) == 200:
            t_app = time.time()
            break
        if watch.phase in ("Failed", "Succeeded"):
            break
        time.sleep(0.02)
    while watch.ready_at is None and t_app is not None and time.time() < deadline:
        time.sleep(0.02)
    ready_at = watch.ready_at
    info = crictl_inspect(container)
    t_start = rfc3339_ns(info["status"]["startedAt"])
    if t_app is not None:
        time.sleep(max(0.0, t_app + SETTLE_SECONDS - time.time()))
        rss = rss_mib(info["info"]["pid"])
        ws = cgroup_working_set("/sys/fs/cgroup/memory" + info["info"]["runtimeSpec"]["linux"]["cgroupsPath"])
    return {"ready_s": None if t_app is None else round(t_app - t_start, 3),
            "pod_ready_s": None if ready_at is None else round(ready_at - t_start, 3),
            "rss_mib": rss and rss["VmRSS"], "rss_anon_mib": rss and rss["RssAnon"],
            "rss_file_mib": rss and rss["RssFile"], "working_set_mib": ws and round(ws / 1048576, 1),
            "pid": info["info"]["pid"], "container": container}


def run_pod(args):
    """Creates the pod in ARGS.manifest (JSON), measures its start, deletes it. With --restart,
    also the start after SIGTERM (the kubelet restarts the container in the same pod, which
    keeps its volumes: the API finds its database)."""
    with open(args.manifest) as f:
        pod = json.load(f)
    namespace, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
    port = pod["spec"]["containers"][0]["ports"][0]["containerPort"]
    if args.restart:
        pod["spec"]["restartPolicy"] = "Always"
    kubectl("delete", "pod", "-n", namespace, name, "--ignore-not-found", "--wait=true", "--grace-period=1")
    kubectl("create", "-f", "-", stdin=json.dumps(pod))
    watch = PodWatch(namespace, name)  # after the create: `kubectl get -w` of a missing pod fails
    results = []
    try:
        deadline = time.time() + 240
        while watch.ip is None and time.time() < deadline:
            time.sleep(0.02)
        url = f"http://{watch.ip}:{port}/readyz"
        first = measure_pod(watch, url, deadline)
        results.append(dict(first, service=args.service))
        if args.restart and first["ready_s"] is not None:
            os.kill(first["pid"], 15)
            deadline = time.time() + 240
            results.append(dict(measure_pod(watch, url, deadline, first["container"]), service=args.service + "-restart"))
    finally:
        watch.stop()
        with open(os.path.join(args.work, f"{args.label}-{args.service}-{args.run}.log"), "w") as f:
            f.write(kubectl("logs", "-n", namespace, name, check=False))
        kubectl("delete", "pod", "-n", namespace, name, "--wait=true", "--grace-period=1", check=False)
    return [dict({"label": args.label, "run": args.run, "load1": os.getloadavg()[0]},
                 **{k: v for k, v in r.items() if k not in ("pid", "container")}) for r in results]


def make_pod(args):
    """A bare pod from the chart's Deployment (rendered by `helm template`, as JSON): the same
    containers, probes, security context and limits, with IMAGE, this bench's namespace
    and service account, and the Kubernetes settings of bench/starts.sh."""
    with open(args.deployment) as f:
        objects = json.load(f)
    deployment = next(o for o in objects if o["kind"] == "Deployment")
    spec = deployment["spec"]["template"]["spec"]
    spec.pop("affinity", None)
    spec["restartPolicy"] = "Never"
    container = spec["containers"][0]
    container["image"] = args.image
    container["imagePullPolicy"] = "IfNotPresent"
    env = [e for e in container.get("env", []) if e["name"] not in dict(v.split("=", 1) for v in args.env)]
    container["env"] = env + [{"name": k, "value": v} for k, v in (v.split("=", 1) for v in args.env)]
    for volume in spec.get("volumes", []):
        if "persistentVolumeClaim" in volume:  # the API's data: a fresh directory, like a first install
            volume.pop("persistentVolumeClaim")
            volume["emptyDir"] = {}
    if args.service_account_configmap:
        # The API's ServiceAccount cannot be granted what the API needs (RuntimeClasses are
        # cluster-scoped): it talks to fakekube.py instead, through an in-cluster configuration.
        spec["automountServiceAccountToken"] = False
        spec["volumes"].append({"name": "fake-sa", "configMap": {"name": args.service_account_configmap}})
        container["volumeMounts"].append({"name": "fake-sa", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                          "readOnly": True})
    labels = dict(deployment["spec"]["template"]["metadata"]["labels"], **{"liteboxd.io/starts": args.label})
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": f"starts-{args.label}-{args.service}", "namespace": deployment["metadata"]["namespace"],
                        "labels": labels},
           "spec": spec}
    json.dump(pod, sys.stdout)


def summarize(args):
    """Markdown table of a results file (JSON lines): medians and ranges per service and label."""
    import statistics
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    pod = any("pod_ready_s" in r for r in rows)

    def cell(values, fmt):
        values = [v for v in values if v is not None]
        if not values:
            return "-"
        return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"

    head = ["service", "image", "starts", "ready (s)"] + (["pod Ready (s)"] if pod else []) + \
           ["RSS (MiB)", "anon + file (MiB)", "working set (MiB)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for service in ("api", "api-restart", "gateway", "controller"):
        for label in ("before", "after"):
            rs = [r for r in rows if r["service"] == service and r["label"] == label]
            if not rs:
                continue
            failed = sum(r["ready_s"] is None for r in rs)
            med = lambda k: statistics.median([r[k] for r in rs if r.get(k) is not None] or [0])
            names = {"api": "api, first start", "api-restart": "api, restart"}
            line = [names.get(service, service), label, f"{len(rs)}" + (f" ({failed} never ready)" if failed else ""),
                    cell([r["ready_s"] for r in rs], "{:.2f}")]
            if pod:
                line.append(cell([r.get("pod_ready_s") for r in rs], "{:.2f}"))
            line += [cell([r["rss_mib"] for r in rs], "{:.0f}"),
                     f"{med('rss_anon_mib'):.0f} + {med('rss_file_mib'):.0f}",
                     cell([r["working_set_mib"] for r in rs], "{:.0f}")]
            print("| " + " | ".join(line) + " |")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("unpack")
    u.add_argument("image")
    u.add_argument("dest")
    r = sub.add_parser("runc")
    r.add_argument("--image-dir", required=True)
    r.add_argument("--service", required=True)
    r.add_argument("--label", required=True)
    r.add_argument("--run", type=int, default=0)
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--memory-mib", type=int, required=True)
    r.add_argument("--env", action="append", default=[])
    r.add_argument("--work", required=True)
    r.add_argument("--term", type=float, default=0, help="after measuring, SIGTERM and wait this many seconds for the exit")
    r.add_argument("--restart", action="store_true", help="also measure a second start on the same volumes")
    r.add_argument("--entrypoint", help="JSON list replacing the image's entrypoint")
    r.add_argument("--mount", action="append", default=[], help="DEST=SRC bind mount (read-write)")
    q = sub.add_parser("pod")
    q.add_argument("--manifest", required=True, help="the pod, as JSON")
    q.add_argument("--service", required=True)
    q.add_argument("--label", required=True)
    q.add_argument("--run", type=int, default=0)
    q.add_argument("--work", required=True)
    q.add_argument("--restart", action="store_true", help="also measure a restart of the container")
    m = sub.add_parser("make-pod")
    m.add_argument("--deployment", required=True, help="helm template output for the component, as a JSON list")
    m.add_argument("--image", required=True)
    m.add_argument("--service", required=True)
    m.add_argument("--label", required=True)
    m.add_argument("--env", action="append", default=[])
    m.add_argument("--service-account-configmap")
    t = sub.add_parser("summarize")
    t.add_argument("results")
    args = p.parse_args()
    if args.cmd == "unpack":
        unpack(args.image, args.dest)
    elif args.cmd == "runc":
        for result in run_runc(args):
            print(json.dumps(result), flush=True)
    elif args.cmd == "summarize":
        summarize(args)
    elif args.cmd == "make-pod":
        make_pod(args)
    elif args.cmd == "pod":
        for result in run_pod(args):
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
