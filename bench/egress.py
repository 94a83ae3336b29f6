"""bench/egress.sh's measurements: from inside two sandboxes on the same node, one behind the
egress proxy (allowlist `allowed.egress.test`) and one with open internet access (direct), the
time of single requests (a new connection each: curl's time_total, DNS and TLS included) and the
throughput of one large download, over HTTP and HTTPS, to test/egress's servers. Prints Markdown."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from apiclient import api_key, call, percentile  # noqa: E402

IMAGE = os.environ["LITEBOXD_SANDBOX_IMAGE"]
REQUESTS = int(os.environ.get("LBX_BENCH_REQUESTS", "100"))
MIB = int(os.environ.get("LBX_BENCH_MIB", "256"))
DOWNLOADS = 3


def main():
    key, auth = api_key("egress")
    suffix = str(int(time.time()))
    base = {"image": IMAGE, "command": ["sleep", "infinity"], "ttl": 900, "resources": {"cpu": "1", "memory": "256Mi"}}
    templates = {"proxy": {"allowInternetAccess": True, "allowedDomains": ["allowed.egress.test"]},
                 "direct": {"allowInternetAccess": True}}
    sandboxes = {}
    try:
        for way, network in templates.items():
            status, body, _ = call("POST", "/templates", {"name": f"bench-egress-{way}-{suffix}",
                                                          "spec": {**base, "network": network}}, auth)
            assert status == 201, (status, body)
            status, body, _ = call("POST", "/sandboxes", {"template": f"bench-egress-{way}-{suffix}"}, auth)
            assert status == 201, (status, body)
            sandboxes[way] = body["id"]
        for sid in sandboxes.values():
            deadline = time.monotonic() + 180
            while call("GET", f"/sandboxes/{sid}", headers=auth)[1]["status"] != "running":
                assert time.monotonic() < deadline, f"sandbox {sid} not running"
                time.sleep(0.5)

        def sh(way, script):
            status, body, _ = call("POST", f"/sandboxes/{sandboxes[way]}/exec",
                                   {"command": ["sh", "-c", script], "timeout": 300}, auth)
            assert status == 200 and body["exit_code"] == 0, (status, body)
            return body["stdout"]

        rows = []
        for scheme in ("http", "https"):
            for way in ("direct", "proxy"):
                url = f"{scheme}://allowed.egress.test"
                sh(way, f"curl -sk -o /dev/null {url}/")  # a first request: DNS cache, the proxy's JIT
                times = [float(t) * 1000 for t in sh(way, f"for i in $(seq {REQUESTS}); do curl -sk -o /dev/null "
                                                          f"-w '%{{time_total}}\\n' {url}/; done").split()]
                speeds = [float(s) / 2 ** 20 for s in sh(way, f"for i in $(seq {DOWNLOADS}); do curl -sk -o /dev/null "
                                                             f"-w '%{{speed_download}}\\n' {url}/bytes/{MIB << 20}; done").split()]
                rows.append((scheme, way, percentile(times, 50), percentile(times, 99), max(times), sorted(speeds)[1]))
        print(f"{REQUESTS} requests each (one connection each), then {DOWNLOADS} downloads of {MIB} MiB (the median shown):")
        print()
        print("| scheme | way | request p50 ms | p99 ms | max ms | download MiB/s |")
        print("|---|---|---|---|---|---|")
        for scheme, way, p50, p99, top, speed in rows:
            print(f"| {scheme} | {way} | {p50:.1f} | {p99:.1f} | {top:.1f} | {speed:.0f} |")
        print()
        by = {(r[0], r[1]): r for r in rows}
        for scheme in ("http", "https"):
            d, p = by[(scheme, "direct")], by[(scheme, "proxy")]
            print(f"- {scheme}: the proxy adds {p[2] - d[2]:.1f} ms at p50 and {p[3] - d[3]:.1f} ms at p99 per request; "
                  f"throughput {p[5] / d[5] * 100:.0f} % of direct.")
    finally:
        for sid in sandboxes.values():
            call("DELETE", f"/sandboxes/{sid}", headers=auth)
        time.sleep(2)
        for way in templates:
            call("DELETE", f"/templates/bench-egress-{way}-{suffix}", headers=auth)
        call("DELETE", f"/auth/api-keys/{key['id']}", headers=auth)


if __name__ == "__main__":
    main()
