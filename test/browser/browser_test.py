"""A hostile sandbox page against a logged-in admin, in a real browser (Debian's chromium through
Debian's chromedriver). For both routing modes (path: the sandbox on the API's origin, under
/api/v1/sandbox/<id>/port/8080/; host: the sandbox on its own origin <port>-<id>.<sandboxDomain>):

- the page's script tries to read /api/v1/sandboxes with the user's cookie, open the terminal
  WebSocket, mint an API key, exec into a sandbox, and plant liteboxd_session by script and by
  response headers: every attempt must fail, and the admin's session must survive unchanged;
- a normal sandbox web app (its own cookie, a relative link, a WebSocket) must still work;
- the sandbox's server must never receive a control-plane credential.

A control run of the same probes from the API's own origin must succeed, so a probe that can no
longer detect success fails the test instead of passing it.

There is no DNS on the test bed: chromium maps the API's name and the sandbox domain to the
ingress address with --host-resolver-rules. Settings come from .liteboxd/env (make up).
"""
import http.cookiejar
import json
import os
import pathlib
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

HERE = pathlib.Path(__file__).resolve().parent
API_NAME = "liteboxd.test"          # the name the browser uses for the API (mapped, no DNS)
TEMPLATE = "browser-security-webapp"
PORT = 8080

results = []


def check(ok, text):
    results.append(bool(ok))
    print(("ok - " if ok else "not ok - ") + text, flush=True)


def wait_until(what, timeout, probe, interval=0.5):
    """The one way this test waits: poll probe() until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("timed out waiting for " + what)
        time.sleep(interval)


class Rest:
    """The admin's own REST client (a session of its own, not the browser's)."""

    def __init__(self, base, user, password):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        status, _ = self.call("POST", "/api/v1/auth/login", {"username": user, "password": password})
        if status != 200:
            raise SystemExit("cannot log in to " + base + ": " + str(status))

    def call(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with self.opener.open(request, timeout=60) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw.decode(errors="replace")


def make_sandbox(rest):
    script = (HERE / "webapp.py").read_text()
    spec = {
        "image": os.environ["LITEBOXD_SANDBOX_IMAGE"],
        "command": ["python3", "-u", "-c", script],
        "env": {"LBX_ATTACKS_JS": (HERE / "attacks.js").read_text()},
        "ttl": 1800,
        "readinessProbe": {"exec": {"command": ["bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{PORT}"]}, "periodSeconds": 1},
    }
    rest.call("DELETE", "/api/v1/templates/" + TEMPLATE)
    status, body = rest.call("POST", "/api/v1/templates", {"name": TEMPLATE, "spec": spec})
    if status != 201:
        raise SystemExit("cannot create the template: " + str(status) + " " + str(body))
    status, sandbox = rest.call("POST", "/api/v1/sandboxes", {"template": TEMPLATE})
    if status != 201:
        raise SystemExit("cannot create the sandbox: " + str(status) + " " + str(sandbox))
    wait_until("the sandbox to run", 180,
               lambda: rest.call("GET", "/api/v1/sandboxes/" + sandbox["id"])[1].get("status") == "running")
    return sandbox


def browser(api_ip, sandbox_domain):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("LBX_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--no-first-run", "--no-proxy-server",
                     f"--host-resolver-rules=MAP {API_NAME} {api_ip}, MAP *.{sandbox_domain} {api_ip}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(os.environ.get("LBX_CHROMEDRIVER", "/usr/bin/chromedriver")),
                              options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


def in_page(driver, script, *args):
    """Runs an async snippet in the current page; the snippet resolves `done`."""
    return driver.execute_async_script("const done = arguments[arguments.length - 1];" + script, *args)


def login_in_browser(driver, api, user, password):
    driver.get(api + "/openapi/liteboxd-api.yml")
    status = in_page(driver, """
        fetch("/api/v1/auth/login", {method: "POST", headers: {"Content-Type": "application/json"},
              body: JSON.stringify({username: arguments[0], password: arguments[1]})})
          .then(r => done(r.status), e => done(String(e)));""", user, password)
    check(status == 200, f"the admin logs in in the browser (status {status})")
    return session_cookie(driver)


def session_cookie(driver):
    return {c["name"]: c["value"] for c in driver.get_cookies() if "liteboxd_session" in c["name"]}


def me(driver, api):
    driver.get(api + "/openapi/liteboxd-api.yml")
    return in_page(driver, "fetch('/api/v1/auth/me').then(r => r.json()).then(done, e => done(String(e)));")


def attack(driver, label, base, api, sandbox, token):
    query = urllib.parse.urlencode({"api": api, "id": sandbox["id"], "access_token": token})
    driver.get(base + "/attack?" + query)
    text = element_text(driver, "result", "attack verdicts", timeout=60)
    if not text.startswith("{"):
        check(False, f"{label}: the attack page ran ({text})")
        return
    verdicts = json.loads(text)
    print(f"# {label}: {verdicts}")
    check(verdicts["read"] != "READ", f"{label}: the page cannot read /api/v1/sandboxes ({verdicts['read']})")
    check(verdicts["terminal"] != "OPENED", f"{label}: the page cannot open the terminal WebSocket ({verdicts['terminal']})")
    check("access_token" not in driver.current_url, f"{label}: the token left the address bar ({driver.current_url})")
    # The header attempt once more as a top-level navigation, where no fetch mode can hide it.
    driver.get(base + "/set-evil?domain=" + API_NAME)
    shown = element_text(driver, "evil", "evil page")
    check(shown == "evil headers sent", f"{label}: the sandbox's cookie-planting response reached the browser ({shown})")


def element_text(driver, element_id, what, timeout=30):
    """The text of an element once the page shows it; on a timeout, what the page showed instead."""
    try:
        return WebDriverWait(driver, timeout).until(
            lambda d: (t := d.find_element(By.ID, element_id).text) != "pending" and t)
    except TimeoutException:
        return f"<no {what}: {driver.current_url} showed {driver.find_element(By.TAG_NAME, 'body').text[:300]!r}>"


def normal_app(driver, label, base, token, fragment):
    driver.get(base + "/?access_token=" + token + (("#" + token) if fragment else ""))
    echoed = element_text(driver, "ws", "WebSocket answer")
    check(echoed == "echo:ping", f"{label}: the app's own WebSocket works ({echoed})")
    check("access_token" not in driver.current_url.split("#")[0],
          f"{label}: the token left the address bar for a cookie ({driver.current_url})")
    driver.find_element(By.ID, "next").click()
    seen = element_text(driver, "cookie", "next page")
    check(seen == "hello", f"{label}: a relative link works and the app's own cookie came back ({seen})")


def control(driver, api, sandbox):
    """The probes from the API's own origin: here they must succeed."""
    driver.get(api + "/openapi/liteboxd-api.yml")
    script = (HERE / "attacks.js").read_text()
    read = in_page(driver, script + "\nlbx.read(arguments[0]).then(done);", api)
    terminal = in_page(driver, script + "\nlbx.terminal(arguments[0], arguments[1]).then(done);", api, sandbox["id"])
    check(read == "READ", f"control: the read probe detects a readable API from its own origin ({read})")
    check(terminal == "OPENED", f"control: the terminal probe detects an open terminal from the API's origin ({terminal})")


def main():
    api_url = os.environ["LITEBOXD_API_URL"]
    parsed = urllib.parse.urlsplit(api_url)
    api = f"{parsed.scheme}://{API_NAME}:{parsed.port or 80}"
    user, password = os.environ["LITEBOXD_ADMIN_USER"], os.environ["LITEBOXD_ADMIN_PASSWORD"]
    rest = Rest(api_url, user, password)
    keys_before = {k["id"] for k in rest.call("GET", "/api/v1/auth/api-keys")[1]}
    sandbox = make_sandbox(rest)
    token, template = sandbox["accessToken"], sandbox.get("accessUrlTemplate")
    check(template is not None, f"the API returns accessUrlTemplate next to accessUrl ({template})")
    host_base = template.replace("{port}", str(PORT))
    sandbox_domain = urllib.parse.urlsplit(host_base).hostname.split(".", 1)[1]
    path_base = api + "/api/v1/sandbox/" + sandbox["id"] + "/port/" + str(PORT)

    driver = browser(parsed.hostname, sandbox_domain)
    try:
        original = login_in_browser(driver, api, user, password)
        check(bool(original), f"the browser holds a session cookie ({sorted(original)})")
        control(driver, api, sandbox)
        for label, base in (("path mode", path_base), ("host mode", host_base)):
            attack(driver, label, base, api, sandbox, token)
            after = me(driver, api)
            check(session_cookie(driver) == original,
                  f"{label}: the admin's session cookie is unchanged (no stolen, shadowing or cleared cookie)")
            check(isinstance(after, dict) and after.get("auth_method") == "session",
                  f"{label}: the admin is still logged in ({after})")
        normal_app(driver, "path mode", path_base, token, fragment=True)
        normal_app(driver, "host mode", host_base, token, fragment=False)
    finally:
        driver.quit()

    keys_after = {k["id"] for k in rest.call("GET", "/api/v1/auth/api-keys")[1]}
    check(keys_after == keys_before, "no API key was minted by a sandbox page")
    status, out = rest.call("POST", f"/api/v1/sandboxes/{sandbox['id']}/exec",
                            {"command": ["sh", "-c", "ls /tmp/pwned-by-page 2>/dev/null || echo absent"]})
    check(status == 200 and out["stdout"].strip() == "absent", f"no exec ran on a sandbox page's behalf ({out})")
    seen = json.loads(urllib.request.urlopen(urllib.request.Request(
        api_url + "/api/v1/sandbox/" + sandbox["id"] + "/port/" + str(PORT) + "/seen", headers={"X-Access-Token": token}), timeout=30).read())
    check(seen["requests"] > 5 and seen["violations"] == [],
          f"the sandbox never received a control-plane credential ({seen})")
    rest.call("DELETE", "/api/v1/sandboxes/" + sandbox["id"])
    rest.call("DELETE", "/api/v1/templates/" + TEMPLATE)
    passed = sum(results)
    print(f"browser: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
