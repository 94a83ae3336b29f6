#!/usr/bin/env python3
"""Warm pools against the installed release (issue 17): POST /sandboxes → running, from a pool
and cold, in one run. Run by bench/pool.sh; prints Markdown.

One template (`sleep infinity`, 100m CPU, 64Mi). Each create is timed from sending the POST to
the first moment the sandbox is `running`: for a claim that is the POST's own answer (the pod
was Ready before it was claimed); otherwise GET /sandboxes/{id} is polled every 50 ms. Every
sandbox is deleted right after it was measured.

  pool      the template has a pool (min = max = POOL); creates one after another, each waiting
            until the pool has POOL Ready pods again, so every one of them finds a Ready pod.
  cold      the same template without a pool, the same sequence.
  burst     BURST creates at once against a pool of POOL_BURST (the first POOL_BURST are claims,
            the rest go cold): what a burst larger than the pool sees.
"""
import concurrent.futures
import json
import os
import subprocess
import time

from apiclient import api_key, call, percentile

IMAGE = os.environ["LITEBOXD_SANDBOX_IMAGE"]
SANDBOX_NS = os.environ.get("LBX_SANDBOX_NAMESPACE", "liteboxd-sandbox")
CREATES = int(os.environ.get("LBX_BENCH_CREATES", "100"))
COLD = int(os.environ.get("LBX_BENCH_COLD", "30"))
POOL = int(os.environ.get("LBX_BENCH_POOL", "3"))
BURST = int(os.environ.get("LBX_BENCH_BURST", "20"))
POOL_BURST = int(os.environ.get("LBX_BENCH_POOL_BURST", "6"))
POLL = 0.05


def ready_pool_pods(template):
    out = subprocess.run(["kubectl", "-n", SANDBOX_NS, "get", "pods", "-l", f"liteboxd.io/pool={template}", "-o", "json"],
                         check=True, capture_output=True, text=True).stdout
    return sum(1 for p in json.loads(out)["items"] if not p["metadata"].get("deletionTimestamp") and any(
        c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", [])))


def until_pool(template, size, timeout=180):
    deadline = time.monotonic() + timeout
    while ready_pool_pods(template) < size:
        assert time.monotonic() < deadline, f"pool {template} not refilled to {size}"
        time.sleep(0.25)


def create_until_running(auth, template):
    """(seconds from POST to running, create path)."""
    started = time.monotonic()
    status, body, headers = call("POST", "/sandboxes", {"template": template}, auth)
    assert status == 201, (status, body)
    path = headers.get("X-Liteboxd-Create-Path")
    while body["status"] != "running":
        assert body["status"] in ("creating", "pending"), body["status"]
        time.sleep(POLL)
        status, body, _ = call("GET", f"/sandboxes/{body['id']}", headers=auth)
    took = time.monotonic() - started
    call("DELETE", f"/sandboxes/{body['id']}", headers=auth)
    return took, path


def row(label, samples):
    ms = [s * 1000 for s in samples]
    return (f"| {label} | {len(ms)} | {percentile(ms, 50):.0f} | {percentile(ms, 90):.0f} | {percentile(ms, 99):.0f} "
            f"| {max(ms):.0f} |")


def main():
    _, auth = api_key("pool")
    template = f"bench-pool-{int(time.time())}"
    spec = {"image": IMAGE, "command": ["sleep", "infinity"], "ttl": 600, "resources": {"cpu": "100m", "memory": "64Mi"}}
    status, body, _ = call("POST", "/templates", {"name": template, "spec": spec}, auth)
    assert status == 201, (status, body)
    try:
        results, paths = {}, {}
        status, _, _ = call("PUT", f"/templates/{template}/pool", {"min": POOL, "max": POOL}, auth)
        assert status == 200, status
        until_pool(template, POOL)
        create_until_running(auth, template)  # warm-up, not counted
        pool = []
        for _ in range(CREATES):
            until_pool(template, POOL)
            took, path = create_until_running(auth, template)
            pool.append(took)
            paths[path] = paths.get(path, 0) + 1
        results["pool"] = pool

        call("DELETE", f"/templates/{template}/pool", headers=auth)
        cold = [create_until_running(auth, template)[0] for _ in range(COLD)]
        results["cold"] = cold

        status, _, _ = call("PUT", f"/templates/{template}/pool", {"min": POOL_BURST, "max": POOL_BURST}, auth)
        until_pool(template, POOL_BURST)
        with concurrent.futures.ThreadPoolExecutor(BURST) as executor:
            burst = list(executor.map(lambda _: create_until_running(auth, template), range(BURST)))
        hits = [t for t, p in burst if p == "pool"]
        misses = [t for t, p in burst if p != "pool"]

        print("| creates | n | p50 ms | p90 ms | p99 ms | max ms |")
        print("|---|---|---|---|---|---|")
        print(row(f"from a pool of {POOL} (one after another)", results["pool"]))
        print(row("cold (no pool, one after another)", results["cold"]))
        print(row(f"burst of {BURST} at once, pool of {POOL_BURST}: claimed", hits))
        if misses:
            print(row(f"burst of {BURST} at once, pool of {POOL_BURST}: cold", misses))
        print()
        print(f"Create paths of the sequential pool creates: {paths}.")
    finally:
        call("DELETE", f"/templates/{template}/pool", headers=auth)
        call("DELETE", f"/templates/{template}", headers=auth)


if __name__ == "__main__":
    main()
