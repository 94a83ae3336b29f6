"""What the Python suites against the live install share (test/runtimes, test/pool, test/egress):
TAP lines, kubectl, JSON calls to the API, and the one way they wait. Imported, never run."""
import asyncio
import json
import os
import subprocess
import time

API = os.environ.get("LITEBOXD_API_URL", "") + "/api/v1"
# The names of the failed checks, for the suite's exit status.
failures = []


def check(name, ok, detail=""):
    """One TAP line; a failed check is remembered in `failures`."""
    print(("ok - " if ok else "not ok - ") + name + ("" if ok or not detail else f"  # {detail}"), flush=True)
    if not ok:
        failures.append(name)


def kubectl(*args):
    return subprocess.run(["kubectl", *args], check=True, capture_output=True, text=True).stdout


async def call(http, method, path, **kwargs):
    """(status, JSON body or raw bytes) of one API call through the aiohttp session HTTP."""
    async with http.request(method, API + path, **kwargs) as reply:
        body = await reply.read()
        try:
            return reply.status, json.loads(body)
        except ValueError:
            return reply.status, body


async def wait_until(what, probe, timeout, every=0.25):
    """The one wait of these suites: PROBE() every EVERY seconds until it returns a true value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = await probe()
        if got:
            return got
        await asyncio.sleep(every)
    raise TimeoutError(what)
