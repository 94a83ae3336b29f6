#!/usr/bin/env python3
"""Benchmark: runc against gVisor sandboxes on the test bed, in one run.

For each runtime (runc: the node's default, no RuntimeClass; gvisor: RuntimeClass gvisor,
handler runsc):
  1. create -> running latency through the API, one template per runtime, against a bare
     `kubectl run` + `kubectl wait --for=condition=Ready` of the same image and runtime;
  2. exec round trip: POST /sandboxes/{id}/exec ["true"] on one running sandbox, against
     `kubectl exec -- true` on the same pod.

Usage: bench/runtimes.sh (builds the API jar, runs it on a namespace of its own, runs this).
Prints the rows of a Markdown table on stdout.
"""
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

# call, summary and api_key are the API sandbox benchmark's; they talk to LBX_BENCH_API, which
# bench/runtimes.sh points at this run's API. No bench/__pycache__ left behind by the import.
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location("api_sandboxes", Path(__file__).with_name("api-sandboxes.py"))
api_sandboxes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_sandboxes)
call, summary, api_key = api_sandboxes.call, api_sandboxes.summary, api_sandboxes.api_key

IMAGE = os.environ["LBX_SANDBOX_IMAGE"]
NAMESPACE = os.environ["LBX_BENCH_NAMESPACE"]
CREATES = int(os.environ.get("BENCH_N", "30"))
EXECS = 50
EXEC_WARMUPS = 3  # first execs pay for connection setup and JIT; not what a busy API sees
# Runtime -> RuntimeClass; None leaves the pod on the node's default runtime (runc).
RUNTIMES = {"runc": None, "gvisor": "gvisor"}
POLL_SECONDS = 0.02
READY_TIMEOUT_SECONDS = 120
# Sandbox pods have terminationGracePeriodSeconds 5 (SandboxPods); the floor's pods get the same,
# else `sleep` as PID 1 ignores SIGTERM and each delete waits kubectl run's default 30 s.
GRACE_SECONDS = 5
STARTING = {"creating", "pending"}


def kubectl(*args):
    return subprocess.run(["kubectl", "-n", NAMESPACE, *args], check=True, capture_output=True, text=True)


def fail(pod, what):
    """Stops the run with what went wrong and the pod's own account of it (events, statuses)."""
    described = subprocess.run(["kubectl", "-n", NAMESPACE, "describe", "pod", pod], capture_output=True, text=True)
    sys.exit(f"{what}\n--- kubectl describe pod {pod}:\n{described.stdout}{described.stderr}")


def wait_gone(pod):
    # Delete each pod before the next starts: a terminating pod still holds the 2-CPU node.
    kubectl("wait", "--for=delete", "pod/" + pod, f"--timeout={READY_TIMEOUT_SECONDS}s")


def make_template(token, runtime, runtime_class):
    spec = {"image": IMAGE, "command": ["sleep", "infinity"]}
    if runtime_class:
        spec["runtimeClassName"] = runtime_class
    status, body, _ = call("POST", "/api/v1/templates", {"name": "bench-" + runtime, "spec": spec}, token=token)
    if status != 201:
        sys.exit(f"POST /api/v1/templates ({runtime}) -> {status} {json.dumps(body)}")


def api_create(token, runtime):
    """Creates a sandbox from the runtime's template; returns its id and ms until `running`."""
    start = time.monotonic()
    status, body, _ = call("POST", "/api/v1/sandboxes", {"template": "bench-" + runtime}, token=token)
    if status != 201:
        sys.exit(f"POST /api/v1/sandboxes ({runtime}) -> {status} {json.dumps(body)}")
    deadline = start + READY_TIMEOUT_SECONDS
    while True:
        _, got, _ = call("GET", "/api/v1/sandboxes/" + body["id"], token=token)
        if got["status"] == "running":
            return body["id"], (time.monotonic() - start) * 1000
        if got["status"] not in STARTING or time.monotonic() > deadline:
            fail("sandbox-" + body["id"], f"sandbox {body['id']} ({runtime}): {json.dumps(got)}")
        time.sleep(POLL_SECONDS)


def api_delete(token, sandbox_id):
    status, body, _ = call("DELETE", "/api/v1/sandboxes/" + sandbox_id, token=token)
    assert status == 202, (status, body)
    wait_gone("sandbox-" + sandbox_id)


def floor_create(runtime, runtime_class, i):
    """A bare pod of the same image and runtime: ms from `kubectl run` to Ready."""
    name = f"floor-{runtime}-{i}"
    spec = {"terminationGracePeriodSeconds": GRACE_SECONDS}
    if runtime_class:
        spec["runtimeClassName"] = runtime_class
    start = time.monotonic()
    kubectl("run", name, "--image", IMAGE, "--restart=Never", "--image-pull-policy=IfNotPresent",
            "--overrides", json.dumps({"spec": spec}), "--command", "--", "sleep", "infinity")
    try:
        kubectl("wait", "--for=condition=Ready", "pod/" + name, f"--timeout={READY_TIMEOUT_SECONDS}s")
    except subprocess.CalledProcessError as e:
        fail(name, f"pod {name} ({runtime}) not Ready: {e.stderr}")
    latency = (time.monotonic() - start) * 1000
    kubectl("delete", "pod", name, "--wait=false")
    wait_gone(name)
    return latency


def timed(action, count):
    """ms of each of count runs of action, after EXEC_WARMUPS untimed ones."""
    for _ in range(EXEC_WARMUPS):
        action()
    latencies = []
    for _ in range(count):
        start = time.monotonic()
        action()
        latencies.append((time.monotonic() - start) * 1000)
    return latencies


def api_exec(token, sandbox_id, command=("true",)):
    status, body, _ = call("POST", f"/api/v1/sandboxes/{sandbox_id}/exec", {"command": list(command)}, token=token)
    assert status == 200 and body["exit_code"] == 0, (status, body)
    return body["stdout"]


def check_runtime(token, sandbox_id, runtime):
    """gVisor's own kernel answers uname (e.g. 4.19.0-gvisor): proof the sandbox runs where we think."""
    kernel = api_exec(token, sandbox_id, ["uname", "-r"]).strip()
    if ("gvisor" in kernel) != (runtime == "gvisor"):
        sys.exit(f"sandbox {sandbox_id} ({runtime}) runs on kernel {kernel}")


def main():
    token = api_key()
    for runtime, runtime_class in RUNTIMES.items():
        make_template(token, runtime, runtime_class)

    creates = {runtime: [] for runtime in RUNTIMES}
    floors = {runtime: [] for runtime in RUNTIMES}
    # Runtimes alternate within each round, so drift on the shared VM (other load, page cache,
    # the JIT warming up) falls on both alike instead of on whichever ran second.
    for i in range(CREATES):
        for runtime, runtime_class in RUNTIMES.items():
            sandbox_id, latency = api_create(token, runtime)
            creates[runtime].append(latency)
            api_delete(token, sandbox_id)
            floors[runtime].append(floor_create(runtime, runtime_class, i))
        print(f"round {i + 1}/{CREATES} done", file=sys.stderr)

    execs, kubectl_execs = {}, {}
    for runtime in RUNTIMES:
        sandbox_id, _ = api_create(token, runtime)
        check_runtime(token, sandbox_id, runtime)
        execs[runtime] = timed(lambda: api_exec(token, sandbox_id), EXECS)
        kubectl_execs[runtime] = timed(lambda: kubectl("exec", "sandbox-" + sandbox_id, "-c", "main", "--", "true"),
                                       EXECS)
        api_delete(token, sandbox_id)

    for runtime in RUNTIMES:
        print(f"| API: POST /sandboxes → status running ({runtime}) | {CREATES} | {summary(creates[runtime])} |")
    for runtime in RUNTIMES:
        print(f"| floor: kubectl run + kubectl wait Ready ({runtime}) | {CREATES} | {summary(floors[runtime])} |")
    for runtime in RUNTIMES:
        print(f'| API: POST /sandboxes/{{id}}/exec ["true"] round trip ({runtime}) | {EXECS} '
              f"| {summary(execs[runtime])} |")
    for runtime in RUNTIMES:
        print(f"| floor: kubectl exec -- true round trip ({runtime}) | {EXECS} | {summary(kubectl_execs[runtime])} |")


if __name__ == "__main__":
    main()
