"""What every part of the hot-upgrade test shares: its clock, its one way to wait, blocking calls
kept off the event loop, kubectl and the log."""
import asyncio
import subprocess
import time


def now():
    return time.monotonic()


async def wait_until(timeout, condition, interval=0.5):
    """The test's one way to wait: polls CONDITION (a function, plain or async) every INTERVAL s
    until it is true or TIMEOUT s passed; returns whether it held."""
    deadline = now() + timeout
    while True:
        held = condition()
        if asyncio.iscoroutine(held):
            held = await held
        if held:
            return True
        if now() >= deadline:
            return False
        await asyncio.sleep(interval)


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def kubectl(*args, check=True):
    out = subprocess.run(["kubectl", *args], capture_output=True, text=True)
    if check and out.returncode != 0:
        raise RuntimeError(f"kubectl {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout


async def off_loop(fn, *args, **kw):
    """Runs a blocking call (kubectl, curl, crictl) in a thread. Called on the event loop it would
    stall every request in flight, and their measured latency would include the stall (a run
    once recorded gateway p50 6.4 s while Postgres restarted, from this test polling kubectl)."""
    return await asyncio.to_thread(fn, *args, **kw)
