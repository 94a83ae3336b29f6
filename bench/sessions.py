#!/usr/bin/env python3
"""Sessions (issue 20, docs/sessions.md) against the installed release: how long a reattach takes
and what an idle session costs inside the sandbox. Run by bench/sessions.sh; prints Markdown.

  reattach  one terminal session (`sh`, tty) in a sandbox; REATTACHES times: open the WebSocket
            with `session=<id>&cursor=<last cursor>`, time until the `session` frame (the helper
            has replayed nothing new and is live), then type `echo` and time until its output,
            then close. Through the Traefik Ingress, like any client.
  memory    the helper daemon's VmRSS (from /proc, through the exec API) with 0 sessions, then
            with 1, 10 and 50 idle `sh` terminal sessions started in the background.
"""
import asyncio
import json
import os
import time

import aiohttp

from apiclient import API, api_key, call, percentile

IMAGE = os.environ["LITEBOXD_SANDBOX_IMAGE"]
REATTACHES = int(os.environ.get("LBX_BENCH_REATTACHES", "50"))
BASE = os.environ["LITEBOXD_API_URL"]


def sh(sandbox, auth, script):
    status, body, _ = call("POST", f"/sandboxes/{sandbox}/exec", {"command": ["sh", "-c", script]}, auth)
    assert status == 200, (status, body)
    return body["stdout"]


def daemon_rss_kib(sandbox, auth):
    out = sh(sandbox, auth, "for p in /proc/[0-9]*; do c=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null); "
                            "case \"$c\" in '/.liteboxd/lbx-session daemon'*) grep -E '^(VmRSS|RssAnon)' $p/status;; esac; done")
    values = {line.split(":")[0]: int(line.split()[1]) for line in out.splitlines()}
    return (values.get("VmRSS"), values.get("RssAnon")) if values else (None, None)


async def reattach(http, auth, sandbox):
    ws_url = BASE.replace("http", "ws", 1) + f"/api/v1/sandboxes/{sandbox}/exec/interactive"
    attach_ms, echo_ms = [], []
    session, cursor = None, 0
    async with http.ws_connect(ws_url + "?session=new&tty=true&command=sh", headers=auth) as ws:
        async for message in ws:
            frame = json.loads(message.data)
            if frame["type"] == "session":
                session = frame["session"]
                break
        await ws.close()
    for i in range(REATTACHES):
        started = time.monotonic()
        async with http.ws_connect(ws_url + f"?session={session}&cursor={cursor}", headers=auth) as ws:
            token = f"tok{i}x"
            seen = ""
            async for message in ws:
                frame = json.loads(message.data)
                if frame["type"] == "session":
                    attach_ms.append((time.monotonic() - started) * 1000)
                    typed = time.monotonic()
                    await ws.send_str(json.dumps({"type": "input", "data": f"echo {token[:3]}''{token[3:]}\r"}))
                elif frame["type"] == "output":
                    seen += frame["data"]
                    cursor = frame.get("cursor", cursor)
                    if token in seen:
                        echo_ms.append((time.monotonic() - typed) * 1000)
                        break
            await ws.close()
    call("DELETE", f"/sandboxes/{sandbox}/sessions/{session}", None, auth)
    return attach_ms, echo_ms


def main():
    _, auth = api_key("sessions")
    name = f"bench-sessions-{int(time.time())}"
    status, body, _ = call("POST", "/templates", {"name": name, "spec": {
        "image": IMAGE, "command": ["sleep", "infinity"], "resources": {"cpu": "500m", "memory": "512Mi"}}}, auth)
    assert status == 201, (status, body)
    status, sandbox, _ = call("POST", "/sandboxes", {"template": name}, auth)
    assert status == 201, (status, sandbox)
    sid = sandbox["id"]
    try:
        for _ in range(600):
            if call("GET", f"/sandboxes/{sid}", None, auth)[1].get("status") == "running":
                break
            time.sleep(0.1)
        print(f"Sandbox `{sid}` (500m CPU, 512Mi, runc), {REATTACHES} reattaches to one `sh` terminal session.")
        print()

        async def run():
            async with aiohttp.ClientSession() as http:
                return await reattach(http, auth, sid)
        attach_ms, echo_ms = asyncio.run(run())
        print("| | n | p50 ms | p99 ms | max ms |")
        print("|---|---|---|---|---|")
        for label, values in (("reattach: WebSocket open → `session` frame", attach_ms),
                              ("then: `echo` typed → its output", echo_ms)):
            print(f"| {label} | {len(values)} | {percentile(values, 50):.0f} | {percentile(values, 99):.0f} "
                  f"| {max(values):.0f} |")
        print()
        rows = [("daemon, no session left (its last one closed)", daemon_rss_kib(sid, auth))]
        started = 0
        for target in (1, 10, 50):
            while started < target:
                status, body, _ = call("POST", f"/sandboxes/{sid}/sessions", {"command": ["sh"], "tty": True}, auth)
                assert status == 201, (status, body)
                started += 1
            time.sleep(1)
            rows.append((f"daemon with {target} idle `sh` terminal session(s)", daemon_rss_kib(sid, auth)))
        print("| helper daemon | VmRSS KiB | of it anonymous (RssAnon) KiB |")
        print("|---|---|---|")
        for label, (rss, anon) in rows:
            print(f"| {label} | {rss} | {anon} |")
        if rows[1][1][1] and rows[-1][1][1]:
            print()
            print(f"Per idle session (1 → 50): {(rows[-1][1][1] - rows[1][1][1]) / 49:.0f} KiB of the daemon's own "
                  f"(anonymous) memory; each session's `sh` is a process of its own besides (not counted here). "
                  f"VmRSS also counts the binary's mapped pages, which the kernel may drop and re-read.")
    finally:
        call("DELETE", f"/sandboxes/{sid}", None, auth)
        call("DELETE", f"/templates/{name}", None, auth)


if __name__ == "__main__":
    main()
