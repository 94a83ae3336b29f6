"""The hot-upgrade test's sessions (docs/sessions.md): a terminal session and a background command,
both counting lines, started before a phase. The terminal's client stays connected and reconnects
with its cursor whenever a draining API pod hands it over (close 1012) or its connection breaks;
after the phase, the lines it saw must be every line, once, in order, from one process. The
background command's whole output is read back through whatever API pods serve afterwards."""
import asyncio
import json
import re
import urllib.parse

import aiohttp

from common import now

# Prints n1, n2, ... twice a second until closed.
COUNTER = "i=0; while :; do i=$((i+1)); echo n$i; sleep 0.5; done"
LINE = re.compile(r"n(\d+)\n")


def numbers(text):
    return [int(n) for n in LINE.findall(text)]


def every_line_once(lines):
    """Whether LINES are 1, 2, ..., len(LINES)."""
    return lines == list(range(1, len(lines) + 1))


class KeptSessions:
    def __init__(self, api, base, auth):
        self.api, self.auth = api, auth
        self.ws_base = base.replace("http", "ws", 1)

    @staticmethod
    def describe():
        return ("Before each rollout, a terminal session (`exec/interactive?session=new`) and a background "
                "command (`POST …/sessions`), both printing a numbered line twice a second. The terminal's "
                "client reconnects with its cursor whenever its connection ends (a draining API pod hands it "
                "over with close 1012). After the phase: every line once and in order, from one PID, at least "
                "one hand-over; the background command still running with the same PID and all of its output "
                "readable from the API pods that serve now.")

    async def start(self, http, sandbox):
        """Starts both sessions in SANDBOX; returns a handle for check()."""
        run = {"sandbox": sandbox, "started": now(), "frames": [], "text": "", "pids": set(), "closes": [],
               "failures": [], "stop": False, "session": None, "cursor": None, "replays": []}
        async with http.post(f"{self.api}/sandboxes/{sandbox}/sessions",
                             json={"command": ["sh", "-c", COUNTER]}, headers=self.auth) as r:
            body = await r.json(content_type=None)
            run["background"] = body.get("id") if r.status == 201 else None
            run["background_pid"] = body.get("pid")
            if r.status != 201:
                run["failures"].append(f"background session not started: {r.status} {body}")
        run["task"] = asyncio.ensure_future(self._terminal(http, run))
        return run

    async def _terminal(self, http, run):
        command = "&".join("command=" + urllib.parse.quote(a) for a in ("sh", "-c", COUNTER))
        while not run["stop"]:
            if run["session"] is None:
                query = f"session=new&tty=false&{command}"
            else:
                query = f"session={run['session']}&cursor={run['cursor']}"
            url = f"{self.ws_base}/api/v1/sandboxes/{run['sandbox']}/exec/interactive?{query}"
            try:
                async with http.ws_connect(url, headers=self.auth, heartbeat=None,
                                           timeout=aiohttp.ClientWSTimeout(ws_close=5)) as ws:
                    while not run["stop"]:
                        try:
                            message = await ws.receive(timeout=1)
                        except asyncio.TimeoutError:
                            continue
                        if message.type != aiohttp.WSMsgType.TEXT:
                            break
                        frame = json.loads(message.data)
                        kind = frame.get("type")
                        if kind == "session":
                            if run["session"] is not None and frame.get("cursor", 0) != run["cursor"]:
                                run["failures"].append(f"replay from {frame.get('cursor', 0)}, asked {run['cursor']}")
                            if frame.get("dropped", 0):
                                run["failures"].append(f"{frame['dropped']} bytes dropped")
                            run["session"] = frame["session"]
                            run["pids"].add(frame["pid"])
                            run["replays"].append(frame.get("cursor", 0))
                        elif kind == "output":
                            run["text"] += frame.get("data", "")
                            run["cursor"] = frame.get("cursor", run["cursor"])
                        elif kind == "exit":
                            run["failures"].append(f"the counter exited: {frame}")
                            return
                        elif kind == "error":
                            run["failures"].append(f"error frame: {frame.get('message')}")
                    if run["stop"]:
                        await ws.close()
                        return
                    run["closes"].append(ws.close_code)
            except Exception as e:  # noqa: BLE001 - a failed reconnect is retried, and reported
                run["failures"].append(f"{type(e).__name__}: {e}")
            await asyncio.sleep(0.5)

    async def check(self, http, phase, run, handed_over_expected):
        """After the phase: stop the terminal's client, then check both sessions and close them."""
        run["stop"] = True
        await asyncio.wait([run["task"]], timeout=10)
        seconds = now() - run["started"]
        lines = numbers(run["text"])
        # A reconnect that asked for a cursor the helper could not replay, or lost bytes, is in failures.
        problems = [f for f in run["failures"] if not f.startswith(("ClientConnectorError", "WSServerHandshakeError",
                                                                       "ServerDisconnectedError"))]
        phase.check(every_line_once(lines) and len(lines) >= seconds * 2 * 0.5 and len(run["pids"]) == 1
                    and not problems,
                    f"terminal session: lines 1..{len(lines)} each once in {seconds:.0f} s, pid(s) {sorted(run['pids'])}, "
                    f"{len(run['replays'])} attach(es) from cursors {run['replays'][:6]}, closes {run['closes'][:6]}"
                    f"{', problems: ' + '; '.join(problems[:3]) if problems else ''}")
        if handed_over_expected:
            phase.check(1012 in run["closes"],
                        f"terminal session handed over by a draining API pod (close codes {run['closes'][:6]})")
        if run["session"]:
            async with http.delete(f"{self.api}/sandboxes/{run['sandbox']}/sessions/{run['session']}",
                                   headers=self.auth):
                pass
        if not run.get("background"):
            phase.check(False, f"background session: {run['failures'][:1]}")
            return
        text, cursor, running, pid, produced = "", 0, None, None, None
        async with http.get(f"{self.api}/sandboxes/{run['sandbox']}/sessions", headers=self.auth) as r:
            listed = (await r.json(content_type=None)).get("items", []) if r.status == 200 else []
        mine = [s for s in listed if s.get("id") == run["background"]]
        if mine:
            running, pid, produced = mine[0].get("running"), mine[0].get("pid"), mine[0].get("produced")
        # Up to what it had produced when listed: the counter goes on, and reading its new lines
        # as they come would only end at the loop's cap (a read takes longer than a line).
        for _ in range(100):
            if produced is not None and cursor >= produced:
                break
            async with http.get(f"{self.api}/sandboxes/{run['sandbox']}/sessions/{run['background']}/output",
                                params={"cursor": cursor}, headers=self.auth) as r:
                part = await r.json(content_type=None)
            if r.status != 200 or part.get("next", cursor) == cursor:
                break
            text, cursor = text + part.get("data", ""), part["next"]
        lines = numbers(text)
        phase.check(running is True and pid == run["background_pid"] and every_line_once(lines)
                    and len(lines) >= seconds * 2 * 0.5,
                    f"background session: running {running}, pid {pid} (started as {run['background_pid']}), "
                    f"lines 1..{len(lines)} readable after the phase ({seconds:.0f} s)")
        async with http.delete(f"{self.api}/sandboxes/{run['sandbox']}/sessions/{run['background']}",
                               headers=self.auth):
            pass
