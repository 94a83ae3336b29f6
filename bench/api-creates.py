#!/usr/bin/env python3
"""Sandbox creates per second at concurrency 10 against the installed release (issue 15), with the
API scaled to each replica count in turn. Run by bench/api-creates.sh; prints Markdown rows.

Each round: ROUNDS_CREATES creates of a small template (sleep infinity, 20m CPU) from CONCURRENCY
threads through the Ingress, timed from the first request to the last 201; then every sandbox is
deleted and the round waits until the API lists none of them. Creates answer once the row is
written and the pod object exists (not when it runs), so this measures the API and the Kubernetes
API server, not the kubelet.
"""
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from apiclient import api_key, call, percentile

IMAGE = os.environ["LITEBOXD_SANDBOX_IMAGE"]
NAMESPACE = os.environ.get("LBX_NAMESPACE", "liteboxd-system")
CONCURRENCY = 10
CREATES = int(os.environ.get("LBX_BENCH_CREATES", "60"))


def scale(replicas):
    subprocess.run(["kubectl", "-n", NAMESPACE, "scale", "deployment/liteboxd-api", f"--replicas={replicas}"],
                   check=True, capture_output=True)
    subprocess.run(["kubectl", "-n", NAMESPACE, "rollout", "status", "deployment/liteboxd-api", "--timeout=300s"],
                   check=True, capture_output=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # exactly this many pods behind the Service, none terminating
        out = subprocess.run(["kubectl", "-n", NAMESPACE, "get", "pods", "-l", "app.kubernetes.io/component=api",
                              "-o", "json"], check=True, capture_output=True, text=True).stdout
        if len(json.loads(out)["items"]) == replicas:
            return
        time.sleep(1)
    raise AssertionError(f"API not at {replicas} pods")


def round_of_creates(auth, template):
    latencies, ids = [], []

    def one(_):
        start = time.monotonic()
        status, body, _ = call("POST", "/sandboxes", {"template": template}, auth)
        assert status == 201, f"create: {status} {body}"
        return time.monotonic() - start, body["id"]

    start = time.monotonic()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        for latency, sandbox_id in pool.map(one, range(CREATES)):
            latencies.append(latency * 1000)
            ids.append(sandbox_id)
    elapsed = time.monotonic() - start
    for sandbox_id in ids:
        call("DELETE", f"/sandboxes/{sandbox_id}", headers=auth)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        _, listed, _ = call("GET", "/sandboxes", headers=auth)
        if not {s["id"] for s in listed["items"]} & set(ids):
            break
        time.sleep(2)
    return CREATES / elapsed, latencies


def main():
    _, auth = api_key("creates")
    template = f"bench-creates-{int(time.time())}"
    status, body, _ = call("POST", "/templates", {"name": template, "spec": {
        "image": IMAGE, "ttl": 600, "resources": {"cpu": "20m", "memory": "32Mi"}, "command": ["sleep", "infinity"]}}, auth)
    assert status == 201, f"template: {status} {body}"
    before = json.loads(subprocess.run(["kubectl", "-n", NAMESPACE, "get", "deployment/liteboxd-api", "-o", "json"],
                                       check=True, capture_output=True, text=True).stdout)["spec"]["replicas"]
    try:
        round_of_creates(auth, template)  # warm-up, not counted
        for replicas in [int(r) for r in sys.argv[1:]] or [1, 2]:
            scale(replicas)
            rate, latencies = round_of_creates(auth, template)
            print(f"| {replicas} | {CREATES} | {CONCURRENCY} | {rate:.1f} | {percentile(latencies, 50):.0f} | "
                  f"{percentile(latencies, 99):.0f} |", flush=True)
    finally:
        scale(before)
        call("DELETE", f"/templates/{template}", headers=auth)


if __name__ == "__main__":
    main()
