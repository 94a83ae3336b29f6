#!/usr/bin/env python3
"""Benchmark for the API's sandboxes (issue 3), run on the test bed:

  1. create -> running latency over N sandboxes with the image cached (p50/p99), against a bare
     `kubectl run` + `kubectl wait --for=condition=Ready` of the same image in the same run;
  2. GET /sandboxes and GET /sandboxes/metadata latency with 10,000 rows, in SQLite and in Postgres
     (after one uncounted round per route: the list keeps each row's serialized view).

Usage: bench/api-sandboxes.sh (builds the API jar, brings the test bed up, runs this).
Prints a Markdown report on stdout.
"""
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

API = os.environ.get("LBX_BENCH_API", "http://127.0.0.1:18080")
IMAGE = os.environ["LBX_SANDBOX_IMAGE"]
SANDBOXES = int(os.environ.get("LBX_BENCH_SANDBOXES", "30"))
ROWS = 10_000
REQUESTS = 50


def call(method, path, body=None, token=None, cookie=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"null"), response.headers
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null"), e.headers


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(values):
    return f"{percentile(values, 50):.0f} | {percentile(values, 99):.0f} | {min(values):.0f} | {max(values):.0f}"


def api_key():
    status, _, headers = call("POST", "/api/v1/auth/login",
                              {"username": "admin", "password": os.environ["ADMIN_PASSWORD"]})
    assert status == 200, status
    cookie = headers["Set-Cookie"].split(";")[0]
    status, key, _ = call("POST", "/api/v1/auth/api-keys", {"name": "bench"}, cookie=cookie)
    assert status == 201, key
    return key["key"]


def create_to_running(token):
    call("POST", "/api/v1/templates", {"name": "bench", "spec": {"image": IMAGE, "command": ["sleep", "infinity"]}},
         token=token)
    latencies = []
    for _ in range(SANDBOXES):
        start = time.monotonic()
        status, body, _ = call("POST", "/api/v1/sandboxes", {"template": "bench"}, token=token)
        assert status == 201, body
        deadline = start + 120
        while True:
            _, got, _ = call("GET", "/api/v1/sandboxes/" + body["id"], token=token)
            if got["status"] == "running":
                break
            assert got["status"] == "pending" and time.monotonic() < deadline, got
            time.sleep(0.02)
        latencies.append((time.monotonic() - start) * 1000)
        # One at a time: the 2-CPU node has room for about 18 sandboxes' CPU requests.
        call("DELETE", "/api/v1/sandboxes/" + body["id"], token=token)
    return latencies


def kubectl_run_floor():
    latencies = []
    for i in range(SANDBOXES):
        name = f"bench-floor-{i}"
        start = time.monotonic()
        subprocess.run(["kubectl", "-n", "liteboxd-sandbox", "run", name, "--image", IMAGE, "--restart=Never",
                        "--image-pull-policy=IfNotPresent", "--command", "--", "sleep", "infinity"],
                       check=True, capture_output=True)
        subprocess.run(["kubectl", "-n", "liteboxd-sandbox", "wait", "--for=condition=Ready", "pod/" + name,
                        "--timeout=120s"], check=True, capture_output=True)
        latencies.append((time.monotonic() - start) * 1000)
        subprocess.run(["kubectl", "-n", "liteboxd-sandbox", "delete", "pod", name, "--wait=false"],
                       check=True, capture_output=True)
    return latencies


COLUMNS = """id, template_name, template_version, image, cpu, memory, ttl, env_json,
        desired_state, lifecycle_status, status_reason, cluster_namespace, pod_name, pod_uid, pod_phase, pod_ip,
        access_token_ciphertext, access_token_nonce, access_token_key_id, access_token_sha256, access_url,
        created_at, expires_at, updated_at"""


def bench_rows():
    now = "2026-01-01 00:00:00.000000000+00:00"
    return [(f"{i:08x}", "bench", 1, IMAGE, "500m", "512Mi", 0, "{}", "active", "running", "", "liteboxd-sandbox",
             f"sandbox-{i:08x}", "", "Running", "10.0.0.1", "c2VhbGVk", "bm9uY2U=", "v1", "hash",
             f"http://gw/api/v1/sandbox/{i:08x}", now, "9999-12-31 23:59:59.000000000+00:00", now)
            for i in range(0x10000000, 0x10000000 + ROWS)]


def seed_rows(database):
    """10,000 rows in the layout the API writes, into its SQLite file (the API is stopped meanwhile)."""
    db = sqlite3.connect(database)
    db.executemany(f"INSERT INTO sandboxes ({COLUMNS}) VALUES ({','.join('?' * 24)})", bench_rows())
    db.commit()
    db.close()


def seed_postgres(jdbc_url):
    """The same rows into Postgres (psql's COPY; the API migrated the database before)."""
    import csv
    import io
    import urllib.parse
    url = urllib.parse.urlsplit(jdbc_url.removeprefix("jdbc:"))
    query = dict(urllib.parse.parse_qsl(url.query))
    env = dict(os.environ, PGPASSWORD=query["password"])
    data = io.StringIO()
    csv.writer(data, quoting=csv.QUOTE_ALL).writerows(bench_rows())  # "" is an empty string, not NULL
    subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-h", url.hostname, "-p", str(url.port), "-U", query["user"],
                    "-d", url.path.lstrip("/"), "-c", f"\\copy sandboxes ({' '.join(COLUMNS.split())}) FROM STDIN WITH (FORMAT csv)"],
                   input=data.getvalue(), text=True, env=env, check=True, stdout=subprocess.DEVNULL)


def read_latencies(token, path):
    """Request to last byte received; the body is checked (JSON, a list) outside the timing: parsing
    the 10,000-row list in Python alone takes longer than the API needs to send it."""
    latencies = []
    for _ in range(REQUESTS):
        request = urllib.request.Request(API + path, headers={"Authorization": "Bearer " + token})
        start = time.monotonic()
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
            assert response.status == 200
        latencies.append((time.monotonic() - start) * 1000)
        assert isinstance(json.loads(body)["items"], list)
    return latencies


def main():
    phase = sys.argv[1]
    if phase == "create":
        token = api_key()
        ours = create_to_running(token)
        floor = kubectl_run_floor()
        print(f"| API: POST /sandboxes → status running | {SANDBOXES} | {summary(ours)} |")
        print(f"| floor: kubectl run + kubectl wait Ready | {SANDBOXES} | {summary(floor)} |")
    elif phase == "seed":
        seed_rows(sys.argv[2])
    elif phase == "seed-postgres":
        seed_postgres(sys.argv[2])
    elif phase == "read":
        database = sys.argv[2] if len(sys.argv) > 2 else "SQLite"
        token = api_key()
        for path in ["/api/v1/sandboxes", "/api/v1/sandboxes/metadata", "/api/v1/sandboxes/metadata?page_size=100"]:
            read_latencies(token, path)  # an uncounted round: warms the path (and the list's kept views)
            print(f"| GET {path} ({ROWS:,} rows, {database}) | {REQUESTS} | {summary(read_latencies(token, path))} |")


if __name__ == "__main__":
    main()
