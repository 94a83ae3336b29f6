"""Sandboxes under each runtime the test bed offers (runc, and gVisor through RuntimeClass gvisor),
against the live install: the isolation self-test passes behind the chart's fence with internet
closed and open, and exec, files, logs, the terminal and the gateway (HTTP and WebSocket) all work.
Prints one TAP line per check; exits non-zero when one fails.
"""
import asyncio
import json
import os
import secrets
import sys
import time

import aiohttp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from live import API, call, check, failures  # noqa: E402

GATEWAY = os.environ["LITEBOXD_GATEWAY_URL"]
IMAGE = os.environ["LITEBOXD_SANDBOX_IMAGE"]
SERVER = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "sandbox_server.py")).read()
RUNTIMES = {"runc": "", "gvisor": "gvisor"}  # name in the output: the template's runtimeClassName
START_TIMEOUT = 120


async def template(http, name, runtime_class, internet=False):
    spec = {"image": IMAGE, "command": ["python3", "-u", "-c", SERVER],
            "resources": {"cpu": "250m", "memory": "192Mi"}, "network": {"allowInternetAccess": internet}}
    if runtime_class:
        spec["runtimeClassName"] = runtime_class
    status, body = await call(http, "POST", "/templates", json={"name": name, "spec": spec})
    assert status == 201, (status, body)


async def verify(http, label, name, runtime_class, internet):
    status, report = await call(http, "POST", f"/templates/{name}/verify")
    failed = [c for c in report.get("checks", []) if c["status"] == "fail"] if status == 200 else report
    check(f"{label}: the self-test passes (internet {'open' if internet else 'closed'})",
          status == 200 and report["passed"], json.dumps(failed))
    if status != 200:
        return
    by_name = {c["name"]: c for c in report["checks"]}
    check(f"{label}: the self-test saw the internet {'reachable' if internet else 'unreachable'}",
          by_name["internet"]["status"] == "pass", json.dumps(by_name["internet"]))
    observed = by_name["runtime"]["observed"]
    check(f"{label}: the self-test saw {'gVisor' if runtime_class else 'the node kernel'}",
          observed.startswith("gVisor") == bool(runtime_class), observed)
    for fenced in ("kubernetes-api", "node", "control-plane", "metadata-endpoint"):
        if by_name[fenced]["status"] != "pass":
            check(f"{label}: {fenced} fenced off", False, json.dumps(by_name[fenced]))


async def running_sandbox(http, name):
    status, sandbox = await call(http, "POST", "/sandboxes", json={"template": name})
    assert status == 201, (status, sandbox)
    await wait_status(http, sandbox["id"], "running", passing=("creating", "pending"))
    return sandbox


async def wait_status(http, sid, want, passing=None, timeout=START_TIMEOUT):
    """The one wait of this test: GET the sandbox until its status is WANT (every 0.25 s, at most
    TIMEOUT s); with PASSING, any other status than those fails at once."""
    deadline = time.monotonic() + timeout
    got = {}
    while time.monotonic() < deadline:
        _, got = await call(http, "GET", "/sandboxes/" + sid)
        if got.get("status") == want:
            return got
        assert passing is None or got.get("status") in passing, got
        await asyncio.sleep(0.25)
    raise AssertionError(f"sandbox {sid} not {want} within {timeout}s: {got}")


async def exercise(http, label, sandbox, runtime_class):
    sid, token = sandbox["id"], sandbox["accessToken"]
    status, out = await call(http, "POST", f"/sandboxes/{sid}/exec",
                             json={"command": ["sh", "-c", "echo exec-ok; cat /proc/version"], "timeout": 30})
    check(f"{label}: exec", status == 200 and out["exit_code"] == 0 and "exec-ok" in out["stdout"], str(out))
    check(f"{label}: exec runs on {'gVisor' if runtime_class else 'the node kernel'}",
          status == 200 and ("gvisor" in out["stdout"]) == bool(runtime_class), str(out))

    # The hardened pod's capabilities at work: root gives a file away and drops to another user.
    status, out = await call(http, "POST", f"/sandboxes/{sid}/exec", json={"command": ["sh", "-c",
        "touch /workspace/f && chown nobody /workspace/f && stat -c %U /workspace/f && su -s /bin/sh nobody -c 'id -u'"],
        "timeout": 30})
    check(f"{label}: chown and su as root", status == 200 and out["stdout"].split() == ["nobody", "65534"], str(out))

    payload = secrets.token_bytes(256 * 1024)
    form = aiohttp.FormData()
    form.add_field("path", "/workspace/payload.bin")
    form.add_field("file", payload, filename="payload.bin", content_type="application/octet-stream")
    status, body = await call(http, "POST", f"/sandboxes/{sid}/files", data=form)
    check(f"{label}: file upload", status == 200, str(body))
    status, body = await call(http, "GET", f"/sandboxes/{sid}/files", params={"path": "/workspace/payload.bin"})
    check(f"{label}: file download returns the upload", status == 200 and body == payload, f"HTTP {status}")

    status, logs = await call(http, "GET", f"/sandboxes/{sid}/logs")
    check(f"{label}: logs", status == 200 and "runtime-test server ready" in logs.get("logs", ""), str(logs)[:300])

    async with http.ws_connect(f"{API}/sandboxes/{sid}/exec/interactive?command=sh&tty=true&cols=80&rows=24") as ws:
        await ws.send_str(json.dumps({"type": "input", "data": "echo T$((40 + 2)); exit 3\n"}))
        output, exit_code = "", None
        async for message in ws:
            frame = json.loads(message.data)
            if frame["type"] == "output":
                output += frame.get("data", "")
            elif frame["type"] == "exit":
                exit_code = frame.get("exitCode", 0)
                break
    check(f"{label}: terminal", "T42" in output and exit_code == 3, f"exit {exit_code}, output {output!r}")

    port_url = f"{GATEWAY}/api/v1/sandbox/{sid}/port/8080"
    async with http.get(port_url + "/", headers={"X-Access-Token": token}) as reply:
        text = await reply.text()
    check(f"{label}: gateway HTTP", reply.status == 200 and text.startswith("hello from"), f"{reply.status} {text[:200]}")
    check(f"{label}: gateway HTTP reaches {'gVisor' if runtime_class else 'the node kernel'}",
          ("gvisor" in text) == bool(runtime_class), text[:200])
    async with http.ws_connect(port_url + "/ws", headers={"X-Access-Token": token}) as ws:
        await ws.send_str("ping")
        echoed = await ws.receive(timeout=10)
    check(f"{label}: gateway WebSocket", echoed.type == aiohttp.WSMsgType.TEXT and echoed.data == "echo:ping",
          str(echoed))


async def persistent(http, label, name, runtime_class):
    """A persistent sandbox under this runtime: its root filesystem (a file in /root, an
    executable in /usr/local/bin) survives stop and start, and no container in it is privileged."""
    spec = {"image": IMAGE, "command": ["sleep", "infinity"], "resources": {"cpu": "250m", "memory": "192Mi"},
            "persistence": {"enabled": True, "size": "1Gi"}}
    if runtime_class:
        spec["runtimeClassName"] = runtime_class
    status, body = await call(http, "POST", "/templates", json={"name": name, "spec": spec})
    assert status == 201, (status, body)
    sandbox = await running_sandbox(http, name)
    sid = sandbox["id"]
    try:
        write = "echo kept > /root/kept && printf '#!/bin/sh\\necho tool-ok\\n' > /usr/local/bin/tool && chmod +x /usr/local/bin/tool"
        status, out = await call(http, "POST", f"/sandboxes/{sid}/exec", json={"command": ["sh", "-c", write]})
        assert status == 200 and out["exit_code"] == 0, (status, out)
        status, _ = await call(http, "POST", f"/sandboxes/{sid}/stop")
        assert status == 200, status
        await wait_status(http, sid, "stopped")
        status, _ = await call(http, "POST", f"/sandboxes/{sid}/start")
        assert status == 200, status
        await wait_status(http, sid, "running")
        status, out = await call(http, "POST", f"/sandboxes/{sid}/exec",
                                 json={"command": ["sh", "-c", "cat /root/kept; tool"]})
        lines = out.get("stdout", "").splitlines() if status == 200 else []
        check(f"{label}: a persistent sandbox keeps /root and /usr/local across stop and start",
              lines[:2] == ["kept", "tool-ok"], str(out))
    finally:
        await call(http, "DELETE", "/sandboxes/" + sid)


async def main():
    jar = aiohttp.CookieJar(unsafe=True)  # the test bed's API is an IP address
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=timeout) as http:
        status, body = await call(http, "POST", "/auth/login", json={
            "username": os.environ["LITEBOXD_ADMIN_USER"], "password": os.environ["LITEBOXD_ADMIN_PASSWORD"]})
        assert status == 200, (status, body)
        suffix = secrets.token_hex(3)
        status, body = await call(http, "POST", "/templates", json={"name": "rt-unknown-" + suffix, "spec": {
            "image": IMAGE, "runtimeClassName": "kata"}})
        check("a template naming a RuntimeClass the cluster lacks is a 400",
              status == 400 and "not a RuntimeClass of this cluster" in body["error"]["message"], str(body))
        created = []
        try:
            for label, runtime_class in RUNTIMES.items():
                closed, open_ = f"rt-{label}-{suffix}", f"rt-{label}-net-{suffix}"
                await template(http, closed, runtime_class)
                await template(http, open_, runtime_class, internet=True)
                created += [closed, open_]
                await verify(http, label, closed, runtime_class, False)
                await verify(http, label, open_, runtime_class, True)
                sandbox = await running_sandbox(http, closed)
                try:
                    await exercise(http, label, sandbox, runtime_class)
                finally:
                    await call(http, "DELETE", "/sandboxes/" + sandbox["id"])
                kept = f"rt-{label}-kept-{suffix}"
                created.append(kept)
                await persistent(http, label, kept, runtime_class)
        finally:
            for name in created:
                await call(http, "DELETE", "/templates/" + name)
    if failures:
        print(f"# {len(failures)} failed: {', '.join(failures)}")
        sys.exit(1)


asyncio.run(main())
