"""Warm pools against the live install (docs/pools.md): two creates racing for a pool's one Ready
pod get two different sandboxes (one claimed, one cold), a claimed sandbox is a full sandbox
(exec, its token's hash on its pod, listed, deletable), a claim works while the controller's pods
are being replaced, a new template version rolls the pool, removing the pool removes its pods, and
a pool declared in the template's spec (spec.pool) is created when that version becomes current.
Prints one TAP line per check; exits non-zero when one fails.
"""
import asyncio
import hashlib
import json
import os
import secrets
import sys

import aiohttp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from live import API, check, failures, kubectl, wait_until  # noqa: E402

IMAGE = os.environ["LITEBOXD_SANDBOX_IMAGE"]
NAMESPACE = os.environ.get("LITEBOXD_SANDBOX_NAMESPACE", "liteboxd-sandbox")
RELEASE_NAMESPACE = os.environ.get("LITEBOXD_NAMESPACE", "liteboxd-system")
TIMEOUT = 120


def pool_pods(template):
    """(name, hash, ready) of the pool's unclaimed pods that are not being deleted."""
    items = json.loads(kubectl("-n", NAMESPACE, "get", "pods", "-l", f"liteboxd.io/pool={template}", "-o", "json"))["items"]
    pods = []
    for pod in items:
        if pod["metadata"].get("deletionTimestamp"):
            continue
        ready = any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions", []))
        pods.append((pod["metadata"]["name"], pod["metadata"]["labels"].get("liteboxd.io/pool-hash"), ready))
    return pods


async def call(http, method, path, **kwargs):
    async with http.request(method, API + path, **kwargs) as reply:
        body = await reply.read()
        try:
            return reply.status, json.loads(body), reply.headers
        except ValueError:
            return reply.status, body, reply.headers


async def pool_ready(template, size, hash_=None):
    async def probe():
        pods = await asyncio.to_thread(pool_pods, template)
        ready = [p for p in pods if p[2] and (hash_ is None or p[1] == hash_)]
        return len(ready) >= size and all(p[1] == ready[0][1] for p in pods) and pods
    return await wait_until(f"{size} Ready pod(s) in pool {template}", probe, TIMEOUT)


async def create(http, template):
    status, body, headers = await call(http, "POST", "/sandboxes", json={"template": template})
    assert status == 201, (status, body)
    return body, headers.get("X-Liteboxd-Create-Path")


async def main():
    name = "pool-" + secrets.token_hex(3)
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=180)) as http:
        status, body, _ = await call(http, "POST", "/auth/login", json={
            "username": os.environ["LITEBOXD_ADMIN_USER"], "password": os.environ["LITEBOXD_ADMIN_PASSWORD"]})
        assert status == 200, (status, body)
        spec = {"image": IMAGE, "command": ["sleep", "infinity"], "ttl": 600,
                "resources": {"cpu": "100m", "memory": "64Mi"}, "env": {"POOL_GENERATION": "1"}}
        status, body, _ = await call(http, "POST", "/templates", json={"name": name, "spec": spec})
        assert status == 201, (status, body)
        created = []
        try:
            status, body, _ = await call(http, "PUT", f"/templates/{name}/pool", json={"min": 1, "max": 1})
            check("PUT pool: 200 with the bounds", status == 200 and body["min"] == 1 and body["max"] == 1, str(body))
            status, body, _ = await call(http, "PUT", f"/templates/{name}/pool", json={"min": 3, "max": 1})
            check("PUT pool with max < min: 400, nothing changed", status == 400, str(body))
            status, body, _ = await call(http, "PUT", "/templates/no-such-template/pool", json={"min": 1})
            check("PUT pool of a missing template: 404", status == 404, str(body))
            pods = await pool_ready(name, 1)
            check("the controller filled the pool", len(pods) == 1, str(pods))

            # Two callers race for the one Ready pod: two sandboxes, one claimed, one cold.
            (first, path1), (second, path2) = await asyncio.gather(create(http, name), create(http, name))
            created += [first["id"], second["id"]]
            check("two racing creates: two different sandboxes", first["id"] != second["id"])
            check("two racing creates: exactly one claimed the pool's pod", sorted([path1, path2]) == ["cold", "pool"],
                  f"{path1}, {path2}")
            claimed = first if path1 == "pool" else second
            check("a claimed sandbox is running at once", claimed["status"] == "running", claimed["status"])
            pod = json.loads(kubectl("-n", NAMESPACE, "get", "pods", "-l", f"sandbox-id={claimed['id']}", "-o", "json"))["items"]
            check("the claimed pod carries the sandbox id, and left the pool",
                  len(pod) == 1 and "liteboxd.io/pool" not in pod[0]["metadata"]["labels"], str(len(pod)))
            if pod:
                annotations = pod[0]["metadata"]["annotations"]
                check("the claimed pod carries the hash of the sandbox's own token",
                      annotations.get("liteboxd.io/access-token-sha256")
                      == hashlib.sha256(claimed["accessToken"].encode()).hexdigest())
                check("the claimed pod has the sandbox's expiry", "liteboxd.io/expires-at" in annotations)
            status, body, _ = await call(http, "POST", f"/sandboxes/{claimed['id']}/exec",
                                         json={"command": ["sh", "-c", "echo $POOL_GENERATION"]})
            check("exec in a claimed sandbox", status == 200 and body.get("stdout", "").strip() == "1", str(body)[:200])
            status, listed, _ = await call(http, "GET", "/sandboxes")
            mine = sorted(s["id"] for s in listed["items"] if s.get("template") == name)
            check("the template's sandboxes are the two created; its pool pod is none of them",
                  mine == sorted(created), f"{mine} vs {created}")
            status, view, _ = await call(http, "GET", f"/templates/{name}/pool")
            check("GET pool: 200", status == 200, str(view))

            # A claim while the controller's pods are replaced (no controller leading for a while).
            await pool_ready(name, 1)
            kubectl("-n", RELEASE_NAMESPACE, "delete", "pods", "-l", "app.kubernetes.io/component=controller", "--wait=false")
            sandbox, path = await create(http, name)
            created.append(sandbox["id"])
            check("a claim while the controller restarts", path == "pool", path)
            await pool_ready(name, 1)
            check("the new controller refilled the pool", True)

            # A new template version rolls the pool; the next create claims a pod of the new version.
            old_hash = (await asyncio.to_thread(pool_pods, name))[0][1]
            spec["env"]["POOL_GENERATION"] = "2"
            status, body, _ = await call(http, "PUT", f"/templates/{name}", json={"spec": spec})
            assert status == 200, (status, body)
            new_hash = json.loads(kubectl("-n", NAMESPACE, "get", "podtemplate", "pool-" + name, "-o", "json")
                                  )["metadata"]["annotations"]["liteboxd.io/pool-hash"]
            check("a new template version gives the pool a new pod template", new_hash != old_hash)
            pods = await pool_ready(name, 1, new_hash)
            check("the pool rolled to the new version", all(p[1] == new_hash for p in pods), str(pods))
            sandbox, path = await create(http, name)
            created.append(sandbox["id"])
            status, body, _ = await call(http, "POST", f"/sandboxes/{sandbox['id']}/exec",
                                         json={"command": ["sh", "-c", "echo $POOL_GENERATION"]})
            check("the next create claims a pod of the new version",
                  path == "pool" and body.get("stdout", "").strip() == "2", f"{path} {body}")

            # Overrides that change the pod go cold (and count as a miss).
            status, body, headers = await call(http, "POST", "/sandboxes",
                                               json={"template": name, "overrides": {"env": {"X": "1"}}})
            created.append(body.get("id"))
            check("overrides that change the pod: a cold create", status == 201
                  and headers.get("X-Liteboxd-Create-Path") == "cold", str(status))

            status, _, _ = await call(http, "DELETE", f"/templates/{name}/pool")
            check("DELETE pool: 204", status == 204)

            async def pool_gone():
                return not await asyncio.to_thread(pool_pods, name)
            await wait_until("the pool's pods deleted", pool_gone, TIMEOUT)
            check("the pool's unclaimed pods are gone", True)
            status, _, _ = await call(http, "GET", f"/templates/{name}/pool")
            check("GET a removed pool: 404", status == 404)

            # A pool declared in the template (spec.pool) applies when that version becomes current.
            spec["pool"] = {"min": 1, "max": 2}
            status, body, _ = await call(http, "PUT", f"/templates/{name}", json={"spec": spec})
            check("a version with spec.pool: 200, kept in the spec", status == 200
                  and body["spec"].get("pool") == {"min": 1, "max": 2}, str(body)[:300])
            status, view, _ = await call(http, "GET", f"/templates/{name}/pool")
            check("spec.pool created the pool with its bounds", status == 200 and view.get("min") == 1
                  and view.get("max") == 2, str(view))
            await pool_ready(name, 1)
            check("the controller filled the declared pool", True)
        finally:
            for sid in created:
                if sid:
                    await call(http, "DELETE", f"/sandboxes/{sid}")
            await call(http, "DELETE", f"/templates/{name}/pool")
            await call(http, "DELETE", f"/templates/{name}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
