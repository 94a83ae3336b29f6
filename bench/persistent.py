#!/usr/bin/env python3
"""Persistent sandboxes against the installed release (issue 16): how long a stopped sandbox takes
to run again, through the API and through the gateway. Run by bench/persistent.sh; prints Markdown.

One template (persistence on, 1Gi, an HTTP server on 8080 with a 1 s readiness probe), two
sandboxes from it, each seeded once (its first start, not counted):

  start     API stop and start. Per cycle: POST stop, until GET says `stopped`, until the pod is
            gone; then POST start and the time until GET says `running` (GET polled every 50 ms).
  wake      the sandbox has an idle timeout (overrides.idleTimeout): the controller suspends it
            (status `stopped`, reason `idle for …`); once its pod is gone, one GET through the
            gateway, timed from the request's first byte sent to the response's first byte
            received (the gateway holds it until the woken pod is Ready, then proxies it).

Both wait for the old pod to be gone before the start or the request: a sandbox stopped for real
has no pod, and a pod still terminating (grace period 5 s) would hold the Recreate Deployment's
new one back and be counted. One uncounted cycle of each first.
"""
import http.client
import json
import os
import socket
import subprocess
import time
import urllib.parse

from apiclient import api_key, call, login, percentile

IMAGE = os.environ["LITEBOXD_SANDBOX_IMAGE"]
SANDBOX_NS = os.environ.get("LBX_SANDBOX_NAMESPACE", "liteboxd-sandbox")
CYCLES = int(os.environ.get("LBX_BENCH_CYCLES", "20"))
IDLE_TIMEOUT = int(os.environ.get("LBX_BENCH_IDLE_TIMEOUT", "5"))  # seconds
POLL = 0.05


def until_status(auth, sandbox_id, wanted, timeout, reason_prefix=""):
    """Polls GET /sandboxes/{id} until its status is WANTED (and its reason starts with
    REASON_PREFIX); returns the sandbox. Fails on `failed` or `deleted`, or after TIMEOUT s."""
    deadline = time.monotonic() + timeout
    while True:
        status, body, _ = call("GET", f"/sandboxes/{sandbox_id}", headers=auth)
        assert status == 200, f"get {sandbox_id}: {status} {body}"
        if body["status"] == wanted and (body.get("status_reason") or "").startswith(reason_prefix):
            return body
        assert body["status"] not in ("failed", "deleted"), f"sandbox {sandbox_id}: {body['status']} {body.get('status_reason')}"
        assert time.monotonic() < deadline, f"sandbox {sandbox_id} not {wanted} after {timeout} s: {body['status']}"
        time.sleep(POLL)


def until_no_pod(sandbox_id, timeout=60):
    """Returns once the sandbox has no pod (one `kubectl wait` watch, not a poll)."""
    names = subprocess.run(["kubectl", "-n", SANDBOX_NS, "get", "pods", "-l", f"sandbox-id={sandbox_id}", "-o", "name"],
                           check=True, capture_output=True, text=True).stdout.split()
    if names:
        subprocess.run(["kubectl", "-n", SANDBOX_NS, "wait", "--for=delete", f"--timeout={timeout}s", *names],
                       check=True, capture_output=True)


def pod_warnings(sandbox_id):
    """Reasons of the Warning events of the sandbox's current pod, but the readiness probe's (every
    start has one: the probe runs before the server listens): what made a slow cycle slow."""
    pods = json.loads(subprocess.run(["kubectl", "-n", SANDBOX_NS, "get", "pods", "-l", f"sandbox-id={sandbox_id}",
                                      "-o", "json"], check=True, capture_output=True, text=True).stdout)["items"]
    reasons = set()
    for pod in pods:
        if pod["metadata"].get("deletionTimestamp"):
            continue
        events = json.loads(subprocess.run(
            ["kubectl", "-n", SANDBOX_NS, "get", "events", "-o", "json", "--field-selector",
             f"involvedObject.name={pod['metadata']['name']},type=Warning"],
            check=True, capture_output=True, text=True).stdout)["items"]
        reasons |= {e["reason"] for e in events if e["reason"] != "Unhealthy"}
    return ", ".join(sorted(reasons)) or "no warning"


def first_byte(url, token):
    """GET URL with the sandbox's token: milliseconds from sending it to the first response byte
    (peeked, not consumed), then the whole response, which must be a 200."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=300)
    try:
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        started = time.monotonic()
        conn.request("GET", parts.path, headers={"X-Access-Token": token})
        assert conn.sock.recv(1, socket.MSG_PEEK), "connection closed without an answer"
        elapsed = (time.monotonic() - started) * 1000
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200, f"gateway: {response.status} {body[:200]!r}"
        return elapsed
    finally:
        conn.close()


def start_cycle(auth, sandbox_id):
    """One stop and start through the API: (ms to `stopped`, ms more until the pod is gone, ms start -> running)."""
    t0 = time.monotonic()
    status, body, _ = call("POST", f"/sandboxes/{sandbox_id}/stop", headers=auth)
    assert status == 200, f"stop: {status} {body}"
    until_status(auth, sandbox_id, "stopped", 60)
    t1 = time.monotonic()
    until_no_pod(sandbox_id)
    t2 = time.monotonic()
    status, body, _ = call("POST", f"/sandboxes/{sandbox_id}/start", headers=auth)
    assert status == 200, f"start: {status} {body}"
    until_status(auth, sandbox_id, "running", 300)
    t3 = time.monotonic()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000


def wake_cycle(auth, sandbox):
    """Waits for the controller to suspend the sandbox and its pod to go, then one GET through
    the gateway: (s from the last request to the suspension as the API saw it, ms to first byte)."""
    since = time.monotonic()
    until_status(auth, sandbox["id"], "stopped", IDLE_TIMEOUT + 120, reason_prefix="idle")
    suspended_after = time.monotonic() - since
    until_no_pod(sandbox["id"])
    return suspended_after, first_byte(sandbox["accessUrl"] + "/port/8080/", sandbox["accessToken"])


SLOW_MS = 5000


def row(label, values):
    return (f"| {label} | {len(values)} | {percentile(values, 50):.0f} | {percentile(values, 90):.0f} | "
            f"{percentile(values, 99):.0f} | {max(values):.0f} | {min(values):.0f} |")


def slow(label, values, causes):
    """One line on the cycles over SLOW_MS and the warnings their pods had."""
    over = [f"{v / 1000:.1f} s ({c})" for v, c in zip(values, causes) if v > SLOW_MS]
    return f"- {label}: {len(over)} of {len(values)} cycles over {SLOW_MS / 1000:.0f} s" + (": " + "; ".join(over) if over else ".")


def main():
    cookie = login()
    key, auth = api_key("persistent", cookie)
    template = f"bench-persistent-{int(time.time())}"
    status, body, _ = call("POST", "/templates", {"name": template, "spec": {
        "image": IMAGE, "ttl": 3600, "resources": {"cpu": "250m", "memory": "128Mi"},
        "command": ["python3", "-m", "http.server", "8080"],
        "readinessProbe": {"exec": {"command": ["curl", "-fs", "-o", "/dev/null", "http://127.0.0.1:8080/"]},
                           "periodSeconds": 1},
        "persistence": {"enabled": True, "size": "1Gi"}}}, auth)
    assert status == 201, f"template: {status} {body}"
    ids = []
    try:
        status, plain, _ = call("POST", "/sandboxes", {"template": template}, auth)
        assert status == 201, f"sandbox: {status} {plain}"
        ids.append(plain["id"])
        status, idle, _ = call("POST", "/sandboxes", {"template": template, "overrides": {"idleTimeout": IDLE_TIMEOUT}}, auth)
        assert status == 201, f"sandbox: {status} {idle}"
        ids.append(idle["id"])
        seed_started = time.monotonic()
        for sandbox_id in ids:  # the first start copies the image's kept directories to the claim
            until_status(auth, sandbox_id, "running", 600)
        print(f"First starts (both claims seeded, the two sandboxes at once): {time.monotonic() - seed_started:.0f} s.\n",
              flush=True)

        start_cycle(auth, plain["id"])  # warm-up
        stops, gone, starts, start_causes = [], [], [], []
        for _ in range(CYCLES):
            a, b, c = start_cycle(auth, plain["id"])
            stops.append(a)
            gone.append(b)
            starts.append(c)
            start_causes.append(pod_warnings(plain["id"]) if c > SLOW_MS else "")
        # The idle sandbox was left alone meanwhile: it is suspended, or soon will be.
        wake_cycle(auth, idle)  # warm-up
        suspended, wakes, wake_causes = [], [], []
        for _ in range(CYCLES):
            s, ms = wake_cycle(auth, idle)
            suspended.append(s)
            wakes.append(ms)
            wake_causes.append(pod_warnings(idle["id"]) if ms > SLOW_MS else "")
        print("| measure | cycles | p50 ms | p90 ms | p99 ms | max ms | min ms |")
        print("|---|---|---|---|---|---|---|")
        print(row("**stop → start → running**: POST start → GET `running`", starts))
        print(row("**suspended → first proxied byte**: gateway GET sent → first byte", wakes))
        print(row("POST stop → GET `stopped`", stops))
        print(row("`stopped` → the pod gone (grace period 5 s)", gone))
        print()
        print("Slow cycles, with the Warning events of their pods (the readiness probe's left out):")
        print()
        print(slow("stop → start → running", starts, start_causes))
        print(slow("suspended → first proxied byte", wakes, wake_causes))
        print()
        print(f"Idle suspension: {percentile(suspended, 50):.1f} s median ({min(suspended):.1f}–{max(suspended):.1f} s) "
              f"from the answer to the previous gateway GET to GET `stopped` (idle timeout {IDLE_TIMEOUT} s).", flush=True)
    finally:
        for sandbox_id in ids:
            call("DELETE", f"/sandboxes/{sandbox_id}", headers=auth)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # the template can go once its sandboxes have
            _, listed, _ = call("GET", "/sandboxes", headers=auth)
            if not {s["id"] for s in listed["items"]} & set(ids):
                break
            time.sleep(1)
        call("DELETE", f"/templates/{template}", headers=auth)
        call("DELETE", f"/auth/api-keys/{key['id']}", headers={"Cookie": cookie})


if __name__ == "__main__":
    main()
