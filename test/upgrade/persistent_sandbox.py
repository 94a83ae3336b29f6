"""The hot-upgrade test's persistent sandbox: data written into it in setup must still be there
after every phase, on the same pod (docs/persistence.md, Upgrades: a control-plane upgrade rolls
the API, gateway and controller only, never a sandbox's Deployment)."""
import json
import random

import aiohttp

from common import kubectl, off_loop, wait_until

# Both on the sandbox's claim (kept directories): a file in /root and a program in
# /usr/local/bin, run by its name through PATH.
KEPT_FILE = "/root/upgrade-kept.txt"
KEPT_TOOL = "/usr/local/bin/upgrade-kept"


class PersistentSandbox:
    def __init__(self, api, auth, sandbox_ns, template):
        self.api, self.auth, self.sandbox_ns, self.template = api, auth, sandbox_ns, template
        self.id = self.uid = None
        token = f"{random.randrange(16 ** 12):012x}"
        self.content = {KEPT_FILE: f"kept across upgrades {token}\n",
                        KEPT_TOOL: f"#!/bin/sh\necho upgrade-kept {token}\n"}
        self.output = f"upgrade-kept {token}\n"  # what the program prints

    @staticmethod
    def describe():
        return (f"One persistent sandbox (1Gi claim, no idle timeout) with {KEPT_FILE} and {KEPT_TOOL} written "
                "through exec in setup: after every phase both must read back unchanged, the program must run, "
                "and its pod must be the same one (UID).")

    def template_body(self, image):
        # No idleTimeout: an idle suspension would stop it (a new pod) between phases. 50m CPU
        # (so 50m requested) leaves the rollouts' surge pods room on the 2-CPU node; at that, its
        # first start's copy to the claim takes 30-50 s, while the web sandboxes start.
        return {"name": self.template, "spec": {
            "image": image, "ttl": 7200, "resources": {"cpu": "50m", "memory": "64Mi"},
            "command": ["sleep", "infinity"], "persistence": {"enabled": True, "size": "1Gi"}}}

    async def create(self, http):
        """Creates the sandbox (its template must exist); it starts while the rest of setup waits."""
        async with http.post(self.api + "/sandboxes", json={"template": self.template}, headers=self.auth) as r:
            assert r.status == 201, f"persistent sandbox: {r.status} {await r.text()}"
            self.id = (await r.json())["id"]

    async def prepare(self, http):
        """Waits until it runs (the first start copies the image's kept directories to the claim),
        writes the file and the program through exec and records the pod's UID."""
        if not await wait_until(300, lambda: self.running(http), interval=2):
            raise AssertionError(f"persistent sandbox {self.id} not running after 300 s")
        # The contents travel as arguments: no quoting of them in the script.
        status, body = await self.exec(http, [
            "sh", "-c", f'printf %s "$1" > {KEPT_FILE} && printf %s "$2" > {KEPT_TOOL} && chmod 755 {KEPT_TOOL}',
            "sh", self.content[KEPT_FILE], self.content[KEPT_TOOL]])
        assert status == 200 and body.get("exit_code") == 0, f"persistent sandbox: writing its data: {status} {body}"
        ok, seen = await self.data(http)
        assert ok, f"persistent sandbox: its data reads back as {seen!r}"
        # What is checked must be on the claim, not in the container's own layer: the kept
        # directories are mounts.
        status, body = await self.exec(http, ["awk", '$5 == "/root" || $5 == "/usr" {print $5}', "/proc/self/mountinfo"])
        mounts = sorted(body.get("stdout", "").split()) if status == 200 and isinstance(body, dict) else body
        assert mounts == ["/root", "/usr"], f"persistent sandbox: /root and /usr are not mounts of its claim: {mounts}"
        pods = await off_loop(self.pods)
        assert len(pods) == 1 and pods[0][1] == "Running" and not pods[0][2], f"persistent sandbox pods: {pods}"
        self.uid = pods[0][0]

    async def check(self, http, phase):
        """The phase's checks: the same pod, running, with the file and the program intact."""
        pods = await off_loop(self.pods)
        phase.check(pods == [(self.uid, "Running", False)],
                    f"persistent sandbox {self.id}: the same pod, not restarted (UID {self.uid[:8]}…; now "
                    + (", ".join(f"{uid[:8]}… {state}{' deleting' if deleting else ''}" for uid, state, deleting in pods)
                       or "none") + ")")
        status = await self.status(http)
        phase.check(status == "running", f"the API reports the persistent sandbox {status}")
        try:
            ok, seen = await self.data(http)
        except Exception as e:  # noqa: BLE001 - an exec that fails is a finding, not the end of the test
            ok, seen = False, f"{type(e).__name__}: {e}"
        phase.check(ok, f"persistent sandbox keeps {KEPT_FILE} and {KEPT_TOOL} with their content, and the program runs"
                        + ("" if ok else f" (exec printed {seen!r})"))

    async def delete(self, http):
        """Deletes the sandbox (its claim goes with its Deployment) and its template."""
        if self.id:
            async with http.delete(f"{self.api}/sandboxes/{self.id}", headers=self.auth):
                pass
        async with http.delete(f"{self.api}/templates/{self.template}", headers=self.auth):
            pass

    # --- reading it

    async def status(self, http):
        async with http.get(f"{self.api}/sandboxes/{self.id}", headers=self.auth) as r:
            return (await r.json()).get("status") if r.status == 200 else r.status

    async def running(self, http):
        return await self.status(http) == "running"

    async def exec(self, http, command):
        """POST /sandboxes/{id}/exec: (HTTP status, the JSON answer)."""
        async with http.post(f"{self.api}/sandboxes/{self.id}/exec", json={"command": command, "timeout": 60},
                             headers=self.auth, timeout=aiohttp.ClientTimeout(total=90)) as r:
            return r.status, await r.json(content_type=None)

    async def data(self, http):
        """(whether the file and the program are there with their content and the program runs,
        what exec printed)."""
        expected = self.content[KEPT_FILE] + "--\n" + self.content[KEPT_TOOL] + "--\n" + self.output
        status, body = await self.exec(http, [
            "sh", "-c", f"cat {KEPT_FILE} && echo -- && cat {KEPT_TOOL} && echo -- && {KEPT_TOOL.rsplit('/', 1)[1]}"])
        if status != 200 or not isinstance(body, dict) or body.get("exit_code") != 0:
            return False, f"{status} {body}"
        return body.get("stdout") == expected, body.get("stdout")

    def pods(self):
        """Its Deployment's pods: [(uid, phase, being deleted)] (blocking: call through off_loop)."""
        items = json.loads(kubectl("-n", self.sandbox_ns, "get", "pods", "-l", f"sandbox-id={self.id}",
                                   "-o", "json"))["items"]
        return [(p["metadata"]["uid"], p["status"].get("phase"), bool(p["metadata"].get("deletionTimestamp")))
                for p in items]
