"""Domain allowlists through the egress proxy, from inside sandboxes on the live install
(docs/security.md, "Egress"). A sandbox whose template allows `allowed.egress.test` and
`*.wild.egress.test` reaches those over HTTP and HTTPS with curl and Python as they come (the proxy
variables are set for it); is refused every other name, an IP literal and the wildcard's own
apex; cannot get out by ignoring the proxy (while a sandbox with open internet access reaches the
same servers directly). A live edit of its allowlist applies without a restart; a sandbox without
an allowlist cannot use the proxy; each decision is in the proxies' audit, through the API too,
and in their metrics. In the Cilium mode (the fixture installs Cilium's CRD, not its agent), the
controller's CiliumNetworkPolicy for the sandbox is accepted by Cilium's schema, follows the live
edit and goes with the sandbox. The names resolve to the test's own servers (test/egress/fixture.sh).
Prints one TAP line per check; exits non-zero when one fails."""
import asyncio
import base64
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request

import aiohttp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from live import API, call, check, failures, kubectl, wait_until  # noqa: E402

IMAGE = os.environ["LITEBOXD_SANDBOX_IMAGE"]
SANDBOX_NS = os.environ.get("LITEBOXD_SANDBOX_NAMESPACE", "liteboxd-sandbox")
NS = os.environ.get("LITEBOXD_NAMESPACE", "liteboxd-system")
TIMEOUT = 180

async def sandbox(http, template):
    status, body = await call(http, "POST", "/sandboxes", json={"template": template})
    assert status == 201, (status, body)

    async def running():
        _, view = await call(http, "GET", f"/sandboxes/{body['id']}")
        return view.get("status") == "running"
    await wait_until(f"sandbox {body['id']} running", running, TIMEOUT, every=0.5)
    return body["id"]


async def sh(http, sandbox_id, script):
    """(exit code, stdout, stderr) of `sh -c SCRIPT` in the sandbox."""
    status, body = await call(http, "POST", f"/sandboxes/{sandbox_id}/exec",
                              json={"command": ["sh", "-c", script], "timeout": 60})
    assert status == 200, (status, body)
    return body.get("exit_code"), body.get("stdout", ""), body.get("stderr", "")


def egress_pod_items():
    """Every egress proxy pod, terminating ones too."""
    return json.loads(kubectl("-n", NS, "get", "pods", "-l", "app.kubernetes.io/component=egress", "-o", "json"))["items"]


def egress_pods():
    """The IPs of the proxy pods that serve (not terminating)."""
    return [p["status"]["podIP"] for p in egress_pod_items()
            if p["status"].get("podIP") and not p["metadata"].get("deletionTimestamp")]


def from_every_proxy(path):
    """PATH from each egress pod's HTTP port (8083), read from the node like the kubelet's probes."""
    bodies = []
    for ip in egress_pods():
        with urllib.request.urlopen(f"http://{ip}:8083{path}", timeout=10) as reply:
            bodies.append(reply.read().decode())
    return bodies


def cilium_policy(sandbox_id):
    """The controller's CiliumNetworkPolicy for the sandbox (Cilium mode), or None."""
    out = kubectl("-n", SANDBOX_NS, "get", "ciliumnetworkpolicies.cilium.io", f"sandbox-egress-allowlist-{sandbox_id}",
                  "--ignore-not-found", "-o", "json")
    return json.loads(out) if out.strip() else None


async def cilium_policy_for(sandbox_id, names):
    """The policy once its toFQDNs name exactly NAMES (matchName or matchPattern), else None."""
    policy = await asyncio.to_thread(cilium_policy, sandbox_id)
    if policy is None:
        return None
    fqdns = [rule for rule in policy["spec"].get("egress", []) if "toFQDNs" in rule]
    got = [next(iter(s.values())) for s in fqdns[0]["toFQDNs"]] if fqdns else []
    return policy if got == names else None


def audit(sandbox_id):
    decisions, traffic = [], []
    for body in from_every_proxy(f"/egress/recent?sandbox={sandbox_id}"):
        recent = json.loads(body)
        decisions += recent["decisions"]
        traffic += recent["traffic"]
    return decisions, traffic


# Started in the sandbox: an HTTPS (CONNECT tunnel) or plain-HTTP download of 40 lines over 20 s
# through the proxy every 3 s, until /tmp/stop exists; each one's exit status and size is logged.
STREAMS = r"""rm -f /tmp/streams.log; i=0
while [ ! -e /tmp/stop ]; do
  i=$((i+1)); if [ $((i % 2)) = 0 ]; then s=http; else s=https; fi
  (curl -sSk -m 120 -o /tmp/stream$i $s://allowed.egress.test/stream/40; echo "$i $s $? $(wc -c < /tmp/stream$i)" >> /tmp/streams.log) &
  sleep 3
done
wait; echo done >> /tmp/streams.log
"""


async def proxy_rollout(http, sid):
    """A rollout of the proxy while connections run through it (drain, don't kick; docs/upgrade.md):
    the old pods stop taking connections but wait for their open ones, every download started
    before, during and after the rollout completes, and no drain ends with a connection left."""
    old = [p["metadata"]["name"] for p in egress_pod_items() if not p["metadata"].get("deletionTimestamp")]
    logs = {name: tempfile.TemporaryFile("w+") for name in old}
    followers = [subprocess.Popen(["kubectl", "-n", NS, "logs", "-f", name], stdout=logs[name],
                                  stderr=subprocess.DEVNULL) for name in old]
    try:
        script = base64.b64encode(STREAMS.encode()).decode()
        code, _, err = await sh(http, sid, f"rm -f /tmp/stop /tmp/stream*; echo {script} | base64 -d > /tmp/streams.sh; "
                                            "nohup sh /tmp/streams.sh > /dev/null 2>&1 &")
        assert code == 0, err

        async def started(n):
            _, out, _ = await sh(http, sid, "ls /tmp | grep -c '^stream[0-9]'")
            return int(out.strip() or 0) >= n
        await wait_until("downloads running through the proxy", lambda: started(3), 60, every=1)
        kubectl("-n", NS, "rollout", "restart", "deployment/liteboxd-egress")
        kubectl("-n", NS, "rollout", "status", "deployment/liteboxd-egress", "--timeout=300s")

        async def old_gone():
            return not {p["metadata"]["name"] for p in egress_pod_items()} & set(old)
        await wait_until("the old proxy pods gone", old_gone, 180, every=1)
        await sh(http, sid, "touch /tmp/stop")

        async def finished():
            _, out, _ = await sh(http, sid, "cat /tmp/streams.log")
            return out if out.rstrip().endswith("done") else None
        report = await wait_until("the downloads finished", finished, 120, every=1)
    finally:
        for follower in followers:  # each ends with its pod's container; a stuck one is stopped
            try:
                follower.wait(timeout=10)
            except subprocess.TimeoutExpired:
                follower.terminate()
    rows = [line.split() for line in report.splitlines() if line != "done"]
    broken = [r for r in rows if r[2:] != ["0", "440"]]
    check(f"proxy rollout: {len(rows)} downloads (HTTPS and HTTP) through it, before, during and after, each complete",
          len(rows) >= 5 and not broken, f"incomplete (n scheme exit bytes): {broken}")
    drains, timed_out = [], []
    for name in old:
        logs[name].seek(0)
        text = logs[name].read()
        if "drain timed out" in text:
            timed_out.append(name)
        begun = re.search(r"drain started: (\d+) requests and (\d+) sessions in flight", text)
        ended = re.search(r"drain finished in (\d+) ms with (\d+) requests and (\d+) sessions left", text)
        drains.append((name, begun and int(begun.group(2)), ended and (int(ended.group(2)), int(ended.group(3)))))
    check("proxy rollout: the old pods drained their open connections and left none behind",
          all(d[1] is not None and d[2] == (0, 0) for d in drains) and sum(d[1] for d in drains) >= 1
          and not timed_out, f"(pod, connections open at SIGTERM, left at exit): {drains}; timed out: {timed_out}")


async def main():
    suffix = secrets.token_hex(3)
    allowlisted, closed, open_ = f"egress-{suffix}", f"egress-closed-{suffix}", f"egress-open-{suffix}"
    base = {"image": IMAGE, "command": ["sleep", "infinity"], "ttl": 600,
            "resources": {"cpu": "100m", "memory": "64Mi"}}
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=180)) as http:
        status, body = await call(http, "POST", "/auth/login", json={
            "username": os.environ["LITEBOXD_ADMIN_USER"], "password": os.environ["LITEBOXD_ADMIN_PASSWORD"]})
        assert status == 200, (status, body)
        status, body = await call(http, "POST", "/templates", json={"name": allowlisted, "spec": {
            **base, "network": {"allowInternetAccess": True,
                                "allowedDomains": ["allowed.egress.test", "*.wild.egress.test"]}}})
        assert status == 201, (status, body)
        status, body = await call(http, "POST", "/templates", json={"name": closed, "spec": base})
        assert status == 201, (status, body)
        status, body = await call(http, "POST", "/templates", json={"name": open_, "spec": {
            **base, "network": {"allowInternetAccess": True}}})
        assert status == 201, (status, body)
        status, body = await call(http, "POST", "/templates", json={"name": f"egress-ip-{suffix}", "spec": {
            **base, "network": {"allowInternetAccess": True, "allowedDomains": ["198.18.0.10"]}}})
        check("an IP literal in allowedDomains: 400", status == 400, f"{status} {body}")
        created = []
        try:
            sid = await sandbox(http, allowlisted)
            created.append(sid)
            pod = json.loads(kubectl("-n", SANDBOX_NS, "get", "pod", f"sandbox-{sid}", "-o", "json"))
            check("the pod is labelled for the proxy and carries its allowlist",
                  pod["metadata"]["labels"].get("liteboxd.io/egress") == "proxy"
                  and json.loads(pod["metadata"]["annotations"].get("liteboxd.io/allowed-domains", "[]"))
                  == ["allowed.egress.test", "*.wild.egress.test"], str(pod["metadata"].get("annotations")))
            _, proxy, _ = await sh(http, sid, "echo $HTTPS_PROXY")
            proxy = proxy.strip()
            check("the sandbox has the proxy variables", proxy.startswith("http://") and proxy.endswith(":3128"), proxy)

            for url, scheme in (("http://allowed.egress.test/", "http"), ("https://allowed.egress.test/", "https"),
                                ("https://api.wild.egress.test/", "https"), ("http://deep.api.wild.egress.test/", "http")):
                code, out, err = await sh(http, sid, f"curl -sSk -m 20 {url}")
                host = url.split("/")[2]
                check(f"allowed: curl {url}", code == 0 and out.strip() == f"egress-target {host} {scheme}",
                      f"exit {code}: {out.strip()} {err.strip()}")
            code, out, err = await sh(http, sid, "python3 -c \"import ssl, urllib.request; print(urllib.request.urlopen("
                                                 "'https://allowed.egress.test/', context=ssl._create_unverified_context(),"
                                                 " timeout=20).read().decode().strip())\"")
            check("allowed: Python's urllib through the proxy, unchanged", code == 0
                  and out.strip() == "egress-target allowed.egress.test https", f"exit {code}: {out} {err[-300:]}")

            for url in ("http://denied.egress.test/", "http://wild.egress.test/", "http://198.18.0.10/"):
                code, out, err = await sh(http, sid, f"curl -s -m 20 -o /dev/null -w '%{{http_code}}' {url}")
                check(f"denied: curl {url} gets 403 from the proxy", out.strip() == "403", f"exit {code}: {out} {err}")
            # An allowed name that resolves to a private address: the proxy refuses to connect.
            code, out, err = await sh(http, sid, "curl -s -m 20 -o /dev/null -w '%{http_code}' http://intranet.wild.egress.test/")
            check("denied: an allowed name resolving to a private address gets 403", out.strip() == "403",
                  f"exit {code}: {out} {err}")
            for url in ("https://denied.egress.test/", "https://wild.egress.test/"):
                code, out, err = await sh(http, sid, f"curl -sSk -m 20 {url}")
                check(f"denied: curl {url} (CONNECT refused)", code != 0 and "403" in err and "egress-target" not in out,
                      f"exit {code}: {out} {err}")

            # Cilium mode: the fixture installed Cilium's CRD, so the chart turned it on; the API server
            # validates the controller's policy against Cilium's own schema.
            uid = pod["metadata"]["uid"]
            policy = await wait_until("the Cilium policy", lambda: cilium_policy_for(
                sid, ["allowed.egress.test", "*.wild.egress.test"]), 60, every=0.5)
            egress = policy["spec"]["egress"]
            check("cilium: the controller's CiliumNetworkPolicy selects the sandbox, is owned by its pod, names "
                  "its domains on 80/443 and lets lookups through Cilium's DNS proxy",
                  policy["spec"]["endpointSelector"]["matchLabels"] == {"app": "liteboxd", "sandbox-id": sid}
                  and [o["uid"] for o in policy["metadata"].get("ownerReferences", [])] == [uid]
                  and egress[0]["toPorts"][0].get("rules") == {"dns": [{"matchPattern": "*"}]}
                  and {p["port"] for p in egress[1]["toPorts"][0]["ports"]} == {"80", "443"}
                  and egress[1]["toFQDNs"] == [{"matchName": "allowed.egress.test"},
                                               {"matchPattern": "*.wild.egress.test"}], json.dumps(policy["spec"]))

            # A live edit: the running sandbox's allowlist replaced through the API, in effect within
            # seconds (the proxy's informer sees the pod's new annotation), no restart.
            status, body = await call(http, "PUT", f"/sandboxes/{sid}/allowed-domains",
                                      json={"allowedDomains": ["Allowed.egress.test.", "denied.egress.test"]})
            check("live edit: PUT allowed-domains 200, normalised", status == 200
                  and body.get("allowedDomains") == ["allowed.egress.test", "denied.egress.test"], f"{status} {body}")
            edited = time.monotonic()

            async def reachable(url, want):
                code, out, _ = await sh(http, sid, f"curl -sSk -m 10 {url}")
                return (code == 0 and "egress-target" in out) == want
            await wait_until("the edit applies", lambda: reachable("https://denied.egress.test/", True), 30, every=0.5)
            check(f"live edit: a newly allowed domain is reachable {time.monotonic() - edited:.1f} s later", True)
            check("live edit: a domain dropped from the list is refused",
                  await reachable("https://api.wild.egress.test/", False))
            await wait_until("the Cilium policy follows the edit", lambda: cilium_policy_for(
                sid, ["allowed.egress.test", "denied.egress.test"]), 60, every=0.5)
            check(f"cilium: the policy follows the live edit {time.monotonic() - edited:.1f} s after it", True)
            status, body = await call(http, "GET", f"/sandboxes/{sid}/allowed-domains")
            check("live edit: GET allowed-domains shows the new list",
                  status == 200 and body.get("allowedDomains") == ["allowed.egress.test", "denied.egress.test"], str(body))
            status, body = await call(http, "PUT", f"/sandboxes/{sid}/allowed-domains",
                                      json={"allowedDomains": ["allowed.egress.test", "10.0.0.1"]})
            check("live edit: an IP literal is refused with 400, nothing changed",
                  status == 400 and "allowedDomains contains invalid value: 10.0.0.1" in str(body)
                  and json.loads(kubectl("-n", SANDBOX_NS, "get", "pod", f"sandbox-{sid}", "-o",
                                         "jsonpath={.metadata.annotations.liteboxd\\.io/allowed-domains}"))
                  == ["allowed.egress.test", "denied.egress.test"], f"{status} {body}")
            status, body = await call(http, "PUT", f"/sandboxes/{sid}/allowed-domains",
                                      json={"allowedDomains": ["allowed.egress.test", "*.wild.egress.test"]})
            assert status == 200, (status, body)
            edited = time.monotonic()
            await wait_until("the edit back applies", lambda: reachable("https://denied.egress.test/", False), 30, every=0.5)
            check(f"live edit back: the domain is refused again {time.monotonic() - edited:.1f} s later", True)
            # Emptied: nothing left to reach, through the proxy or (Cilium) directly; then restored.
            status, body = await call(http, "PUT", f"/sandboxes/{sid}/allowed-domains", json={"allowedDomains": []})
            assert status == 200 and body.get("allowedDomains") == [], (status, body)
            await wait_until("the emptied list applies", lambda: reachable("https://allowed.egress.test/", False),
                             30, every=0.5)
            policy = await wait_until("the Cilium policy follows the emptied list",
                                      lambda: cilium_policy_for(sid, []), 60, every=0.5)
            check("live edit to an empty list: the proxy refuses the domain of before, the Cilium policy keeps "
                  "lookups only", len(policy["spec"]["egress"]) == 1, json.dumps(policy["spec"]))
            status, body = await call(http, "PUT", f"/sandboxes/{sid}/allowed-domains",
                                      json={"allowedDomains": ["allowed.egress.test", "*.wild.egress.test"]})
            assert status == 200, (status, body)
            await wait_until("the list is restored", lambda: reachable("https://allowed.egress.test/", True), 30, every=0.5)
            now = json.loads(kubectl("-n", SANDBOX_NS, "get", "pod", f"sandbox-{sid}", "-o", "json"))
            check("live edit: the same pod, never restarted", now["metadata"]["uid"] == uid and all(
                c.get("restartCount", 0) == 0 for c in now["status"].get("containerStatuses", [])))

            # Ignoring the proxy gets nowhere: the NetworkPolicy admits only the proxy and DNS.
            for url in ("http://allowed.egress.test/", "https://allowed.egress.test/", "http://198.18.0.10/"):
                code, out, err = await sh(http, sid, f"curl -sSk -m 5 --noproxy '*' {url}")
                check(f"bypass: curl --noproxy '*' {url} fails", code != 0 and "egress-target" not in out,
                      f"exit {code}: {out} {err}")

            # The control: the same servers are reachable directly from a sandbox with open internet
            # access, so the bypass above failed because of the allowlisted sandbox's fence.
            opened = await sandbox(http, open_)
            created.append(opened)
            code, out, err = await sh(http, opened, "curl -sSk -m 10 https://allowed.egress.test/")
            check("control: a sandbox with open internet access reaches the server directly",
                  code == 0 and out.strip() == "egress-target allowed.egress.test https", f"exit {code}: {out} {err}")

            # A sandbox without an allowlist cannot use the proxy either.
            other = await sandbox(http, closed)
            created.append(other)
            code, out, err = await sh(http, other, f"curl -sSk -m 5 --proxy {proxy} https://allowed.egress.test/")
            check("a sandbox without an allowlist cannot reach the proxy", code != 0 and "egress-target" not in out,
                  f"exit {code}: {out} {err}")
            status, body = await call(http, "PUT", f"/sandboxes/{other}/allowed-domains",
                                      json={"allowedDomains": ["allowed.egress.test"]})
            check("live edit of a sandbox not behind the proxy: 409", status == 409, f"{status} {body}")
            status, body = await call(http, "PUT", "/sandboxes/00000000/allowed-domains",
                                      json={"allowedDomains": ["allowed.egress.test"]})
            check("live edit of a missing sandbox: 404", status == 404, f"{status} {body}")

            # The audit: every decision, allowed ones with their bytes.
            decisions, traffic = await asyncio.to_thread(audit, sid)
            seen = {(d["host"], d["port"], d["decision"]) for d in decisions}
            want = {("allowed.egress.test", 80, "allowed"), ("allowed.egress.test", 443, "allowed"),
                    ("api.wild.egress.test", 443, "allowed"), ("denied.egress.test", 80, "denied"),
                    ("denied.egress.test", 443, "denied"), ("wild.egress.test", 443, "denied"),
                    ("198.18.0.10", 80, "denied"), ("intranet.wild.egress.test", 80, "denied")}
            check("the audit lists each decision for the sandbox", want <= seen, f"missing {want - seen}; saw {sorted(seen)}")
            private = [d["reason"] for d in decisions if d["host"] == "intranet.wild.egress.test"]
            check("the private address was refused as such", private and all(r.startswith("blocked address: 192.168.77.7")
                                                                              for r in private), str(private))
            moved = [t for t in traffic if t["host"] == "allowed.egress.test"]
            check("the audit has the bytes of the allowed requests",
                  moved and all(t.get("bytesUp", t.get("bytes_up", 0)) > 0 and t.get("bytesDown", t.get("bytes_down", 0)) > 0
                                for t in moved), str(moved))
            status, body = await call(http, "GET", f"/sandboxes/{sid}/egress")
            through_api = {(d["host"], d["port"], d["decision"]) for d in body.get("decisions", [])} if status == 200 else set()
            check("the audit through the API: every proxy answered, every decision listed, oldest first",
                  status == 200 and body["proxies"] == body["answered"] == len(egress_pods()) and want <= through_api
                  and [d["at"] for d in body["decisions"]] == sorted(d["at"] for d in body["decisions"]),
                  f"{status} proxies {body.get('proxies')} answered {body.get('answered')}; missing {want - through_api}")
            status, body = await call(http, "GET", f"/sandboxes/{other}/egress")
            check("the audit through the API of a sandbox that never used the proxy: empty",
                  status == 200 and body["decisions"] == [] and body["traffic"] == [], f"{status} {body}")
            metrics = "".join(await asyncio.to_thread(from_every_proxy, "/management/prometheus"))
            counted = {m for m in re.findall(r'liteboxd_egress_requests_total\{[^}]*decision="(\w+)"', metrics)}
            check("the proxy's metrics count allowed and denied requests", {"allowed", "denied"} <= counted,
                  str(counted))
            await proxy_rollout(http, sid)

            # The policy goes with the sandbox: Kubernetes collects it once its owner, the pod, is gone.
            status, _ = await call(http, "DELETE", f"/sandboxes/{sid}")
            assert status in (200, 202), status
            await wait_until("the Cilium policy goes with the pod",
                             lambda: asyncio.to_thread(lambda: cilium_policy(sid) is None), 120, every=1)
            check("cilium: the policy is gone with the sandbox", True)
        finally:
            for sid in created:
                await call(http, "DELETE", f"/sandboxes/{sid}")
            for name in (allowlisted, closed, open_):
                await call(http, "DELETE", f"/templates/{name}")
    print(f"# {len(failures)} failed" if failures else "# all passed")
    return not failures


if __name__ == "__main__":
    sys.exit(0 if asyncio.run(main()) else 1)
