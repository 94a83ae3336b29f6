"""The web console end to end, in a real browser (Debian's chromium through Debian's chromedriver),
against the live install: everything a user does in it, through its own pages, in one page load.

Log in with the form; write a template in the YAML editor (an invalid spec first: the server's
message shows inline, the page stays), edit it into a second version, diff the versions and roll
back; start a sandbox from it and watch it turn running live on its page (no reload); run a command
(exec tab), type into the terminal (xterm on the WebSocket), let another client take its session
over and reattach the same shell with Reconnect, and exit it; upload a file and download it back
(same sha256 on both sides); open its port 8080 in a new tab through the gateway; check the
list at phone width; mint an API key, use it, revoke it; delete the sandbox and the template; log
out, and log in again with Enter from the password field. The browser's console log is read after
every step: a SEVERE entry fails that step's "no console errors" check, except the few network
errors named (and justified) where they are expected.

Elements are found by their data-testid (the contract in web/README.md, "Test ids"). REST (the
admin's own session, not the browser's) only verifies what the pages did and cleans up in the end,
so a failed run leaves nothing behind. There is no DNS on the test bed: chromium maps the API's
name and the sandbox domain to the ingress address with --host-resolver-rules, as
test/browser/browser_test.py does. Settings come from .liteboxd/env (make up).
"""
import contextlib
import hashlib
import json
import os
import pathlib
import re
import secrets
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import (ElementClickInterceptedException, ElementNotInteractableException,
                                        NoSuchElementException, StaleElementReferenceException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "test" / "browser"))
import browser_test  # noqa: E402  (module-level helpers; its main() runs only as a script)
from browser_test import API_NAME, Rest, check, wait_until  # noqa: E402

PORT = 8080
UI_TIMEOUT = 30
SANDBOX_TIMEOUT = 180
UPLOAD_TARGET = "/tmp/console-e2e.bin"
UPLOAD_SIZE = 300 * 1024
ENV_KEY = "CONSOLE_E2E_STEP"
COMMAND = ["python3", "-u", "-m", "http.server", str(PORT)]
READINESS = ["bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{PORT}"]

# What a probe may meet while the page re-renders: the element is not there yet, was replaced,
# or is covered for a moment (a toast). The probe then answers "not yet" and is asked again.
TRANSIENT = (NoSuchElementException, StaleElementReferenceException, ElementClickInterceptedException,
             ElementNotInteractableException)

# The terminal's screen as text, one line per row (xterm's DOM renderer; spaces are U+00A0 there).
SCREEN_JS = r"""
const rows = document.querySelector('[data-testid="terminal"] .xterm-rows');
return rows ? Array.from(rows.children, r => r.textContent.replace(/\u00a0/g, ' ').replace(/\s+$/, '')).join('\n') : null;
"""

# A second client of the terminal's session (docs/sessions.md), opened in the page so that it has
# the browser's own login (the Selenium environment has no WebSocket client): attaching takes the
# session over from the console's terminal; it types one line and keeps what the shell prints.
TAKEOVER_JS = r"""
const [sandbox, session, line] = arguments;
const url = new URL(`api/v1/sandboxes/${encodeURIComponent(sandbox)}/exec/interactive`, location.href);
url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
url.search = new URLSearchParams({ session }).toString();
const other = { ws: new WebSocket(url), text: '' };
other.ws.onopen = () => other.ws.send(JSON.stringify({ type: 'input', data: line + '\r' }));
other.ws.onmessage = (e) => { const f = JSON.parse(e.data); if (f.type === 'output') other.text += f.data; };
window.__lbxOtherClient = other;
"""


# ------------------------------------------------------------------------------------------------
# Setup shared with screenshots.py


def settings():
    """The live install from .liteboxd/env, and the names the browser uses for it."""
    api_url = os.environ["LITEBOXD_API_URL"].rstrip("/")
    parsed = urllib.parse.urlsplit(api_url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    api = f"{parsed.scheme}://{API_NAME}:{port}"
    return {
        "api_url": api_url,                  # what REST and urllib use (the ingress address itself)
        "api": api,                          # what the browser uses (mapped to that address)
        "console": api + "/",                # the console is the API's / ("api base /")
        "ingress_ip": parsed.hostname,
        "user": os.environ["LITEBOXD_ADMIN_USER"],
        "password": os.environ["LITEBOXD_ADMIN_PASSWORD"],
        "image": os.environ["LITEBOXD_SANDBOX_IMAGE"],
        "sandbox_domain": sandbox_domain(),
    }


def sandbox_domain():
    """The domain of host-mode sandbox URLs, needed before the browser starts (its resolver rules
    are fixed at launch) and so before the console has created the sandbox whose accessUrlTemplate
    would name it: LBX_SANDBOX_DOMAIN, else the test bed's own chart values (what `make up`
    installs). The sandbox's accessUrlTemplate is checked against it once the sandbox exists."""
    override = os.environ.get("LBX_SANDBOX_DOMAIN")
    if override is not None:
        return override.strip()
    values = (ROOT / "hack" / "chart" / "testbed-hosts-values.yaml").read_text()
    found = re.search(r'^sandboxDomain:\s*"?([A-Za-z0-9.-]*)"?\s*$', values, re.M)
    return found.group(1) if found else ""


def start_browser(cfg, download_dir=None):
    """Headless chromium at 1280x800, every console message logged, downloads saved without asking."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("LBX_CHROMIUM", "/usr/bin/chromium")
    rules = [f"MAP {API_NAME} {cfg['ingress_ip']}"]
    if cfg["sandbox_domain"]:
        rules.append(f"MAP *.{cfg['sandbox_domain']} {cfg['ingress_ip']}")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--no-first-run", "--no-proxy-server", "--window-size=1280,800",
                     "--host-resolver-rules=" + ", ".join(rules)):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if download_dir:
        options.add_experimental_option("prefs", {
            "download.default_directory": str(download_dir),
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
        })
    driver = webdriver.Chrome(service=Service(os.environ.get("LBX_CHROMEDRIVER", "/usr/bin/chromedriver")),
                              options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    if download_dir:
        # Headless chromium drops downloads unless told where they go (the prefs alone are not enough).
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    return driver


def template_yaml(name, image, step, ttl=1800):
    """The editor's document: python's http.server on port 8080, ready once the port answers."""
    return "\n".join([
        f"name: {name}",
        "description: console end-to-end test (test/console)",
        "spec:",
        f"  image: {json.dumps(image)}",          # a JSON string is a valid YAML double-quoted scalar
        f"  command: {json.dumps(COMMAND)}",
        f"  ttl: {ttl}",
        "  env:",
        f"    {ENV_KEY}: {step}",
        "  readinessProbe:",
        "    exec:",
        f"      command: {json.dumps(READINESS)}",
        "    periodSeconds: 1",
    ]) + "\n"


def quiet(probe):
    """probe() for wait_until, answering None while the page is mid-render (see TRANSIENT)."""
    def run():
        try:
            return probe()
        except TRANSIENT:
            return None
    return run


class UI:
    """The console's elements by data-testid; every wait is browser_test's wait_until."""

    def __init__(self, driver):
        self.driver = driver

    def find(self, testid):
        found = self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')
        return found[0] if found else None

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def hash(self):
        return self.js("return location.hash")

    def goto(self, fragment):
        """Same-document navigation (hash routing): no reload. For screenshots; the test clicks."""
        self.js("location.hash = arguments[0]", fragment)

    def shown(self, testid, timeout=UI_TIMEOUT):
        def probe():
            element = self.find(testid)
            return element if element is not None and element.is_displayed() else None
        return wait_until(f"{testid} to show", timeout, quiet(probe))

    def gone(self, testid, timeout=UI_TIMEOUT):
        return wait_until(f"{testid} to go away", timeout, quiet(lambda: self.find(testid) is None))

    def click(self, testid, timeout=UI_TIMEOUT):
        def probe():
            element = self.find(testid)
            if element is None or not element.is_displayed() or not element.is_enabled():
                return None
            element.click()
            return element
        return wait_until(f"{testid} to be clickable", timeout, quiet(probe))

    def text(self, testid):
        element = self.find(testid)
        return None if element is None else (element.get_attribute("textContent") or "").strip()

    def wait_text(self, testid, predicate, what, timeout=UI_TIMEOUT):
        """The element's text once predicate(text) holds; on a timeout, the last text seen."""
        last = {}

        def probe():
            value = self.text(testid)
            last["text"] = value
            return [value] if value is not None and predicate(value) else None
        try:
            return wait_until(what, timeout, quiet(probe))[0]
        except TimeoutError:
            raise TimeoutError(f"timed out waiting for {what} ({testid} showed {last.get('text')!r})") from None

    def wait_hash(self, predicate, what, timeout=UI_TIMEOUT):
        last = {}

        def probe():
            last["hash"] = self.hash()
            return [last["hash"]] if predicate(last["hash"]) else None
        try:
            return wait_until(what, timeout, probe)[0]
        except TimeoutError:
            raise TimeoutError(f"timed out waiting for {what} (the address is {last.get('hash')!r})") from None

    def type(self, testid, text):
        """Replaces a field's text by typing, as a user would (select all, delete, type)."""
        element = self.shown(testid)
        element.send_keys(Keys.CONTROL, "a")
        element.send_keys(Keys.DELETE)
        wait_until(f"{testid} to be empty", UI_TIMEOUT, quiet(lambda: element.get_attribute("value") == ""))
        element.send_keys(text)
        wait_until(f"{testid} to hold the typed text", UI_TIMEOUT,
                   quiet(lambda: element.get_attribute("value").replace("\r\n", "\n") == text))
        return element

    def screen(self):
        return self.js(SCREEN_JS)

    def terminal_type(self, *keys):
        """Keys to xterm: into its helper textarea, which holds the focus once the terminal is clicked."""
        ActionChains(self.driver).click(self.shown("terminal")).perform()
        wait_until("the terminal to take the keyboard focus", UI_TIMEOUT,
                   lambda: self.js("return document.activeElement && "
                                   "document.activeElement.classList.contains('xterm-helper-textarea')"))
        ActionChains(self.driver).send_keys(*keys).perform()


def network_error(url, status):
    """Matches only Chrome's log line for a response of `status` to exactly `url`."""
    prefix = f"{url} - Failed to load resource: the server responded with a status of {status} "
    return lambda entry: entry.get("message", "").startswith(prefix)


def bearer_status(api_url, key):
    """GET /api/v1/sandboxes with the key as its only credential (urllib: no cookie jar)."""
    request = urllib.request.Request(api_url + "/api/v1/sandboxes", headers={"Authorization": "Bearer " + key})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------------------------------
# The test


class ConsoleTest:
    def __init__(self, cfg, rest, driver, work, downloads):
        self.cfg, self.rest, self.driver, self.work, self.downloads = cfg, rest, driver, work, downloads
        self.ui = UI(driver)
        self.name = "console-e2e-" + secrets.token_hex(3)
        self.key_name = self.name + "-key"
        self.run_marker = secrets.token_hex(8)
        self.sid = None
        self.key_id = None
        self.allow = []          # log entries the running step expects (matchers); reset per step
        self.done = set()        # steps that ran to their end (their checks may still have failed)
        self.failures = pathlib.Path(os.environ.get("LBX_CONSOLE_ARTIFACTS") or tempfile.gettempdir()) / f"console-e2e-{self.name}"

    # -- the step runner: one step at a time, its console log checked at its end

    def steps(self):
        return [
            ("open the console", self.open_console, []),
            ("log in", self.log_in, ["open the console"]),
            ("save an invalid template", self.invalid_template, ["log in"]),
            ("create the template", self.create_template, ["log in"]),
            ("edit the template", self.edit_template, ["create the template"]),
            ("diff the versions", self.diff_versions, ["edit the template"]),
            ("roll back", self.roll_back, ["edit the template"]),
            ("create a sandbox", self.create_sandbox, ["create the template"]),
            ("exec", self.exec_tab, ["create a sandbox"]),
            ("terminal", self.terminal_tab, ["create a sandbox"]),
            ("files", self.files_tab, ["create a sandbox"]),
            ("open a port", self.open_port, ["create a sandbox"]),
            ("phone width", self.phone_width, ["log in"]),
            ("API keys", self.api_keys, ["log in"]),
            ("delete the sandbox", self.delete_sandbox, ["create a sandbox"]),
            ("delete the template", self.delete_template, ["create the template"]),
            ("log out", self.log_out, ["log in"]),
            ("log in with Enter", self.keyboard_login, ["log out"]),
            ("one page load", self.one_page_load, ["open the console"]),
        ]

    def run(self):
        for name, step, needs in self.steps():
            missing = [n for n in needs if n not in self.done]
            if missing:
                print(f"# skipped: {name} (needs {', '.join(missing)})", flush=True)
                continue
            self.allow = []
            started = time.monotonic()
            try:
                step()
                self.done.add(name)
            except Exception as e:  # noqa: BLE001 — any failure of a step is reported, then the next runs
                check(False, f"{name}: {type(e).__name__}: {e}{self.where()}")
                self.failure_screenshot(name)
            print(f"# step {name}: {time.monotonic() - started:.1f} s", flush=True)
            self.console_log(name)

    def where(self):
        """Where the page was when a step failed: its address, any error it shows, its text."""
        with contextlib.suppress(WebDriverException):
            errors = [e.text for e in self.driver.find_elements(
                By.CSS_SELECTOR, '[data-testid="error"], [data-testid="toast-error"], [data-testid="template-error"]')]
            body = self.driver.find_element(By.TAG_NAME, "body").text
            return f" (at {self.driver.current_url}; errors shown {errors}; page {body[:300]!r})"
        return ""

    def failure_screenshot(self, name):
        with contextlib.suppress(WebDriverException, OSError):
            self.failures.mkdir(parents=True, exist_ok=True)
            path = self.failures / (re.sub(r"[^a-z0-9]+", "-", name.lower()) + ".png")
            self.driver.save_screenshot(str(path))
            print(f"# screenshot of the failure: {path}", flush=True)

    def console_log(self, name):
        try:
            entries = self.driver.get_log("browser")
        except WebDriverException as e:
            check(False, f"{name}: the browser's console log can be read ({e})")
            return
        severe = []
        for entry in entries:
            if entry.get("level") == "SEVERE":
                if any(allowed(entry) for allowed in self.allow):
                    print(f"# {name}: expected console error: {entry.get('message')}")
                else:
                    severe.append(entry.get("message", ""))
            elif entry.get("level") == "WARNING":
                print(f"# {name}: console warning: {entry.get('message')}")
        check(not severe, f"{name}: no console errors" + (f": {severe}" if severe else ""))

    # -- the steps

    def open_console(self):
        # Logged out, the console asks GET /auth/me to learn whether a session exists; the API answers
        # 401 (spec §2.3) and Chrome logs every 4xx response as a SEVERE network error. Only that one
        # request, with that status, and only here (before the login).
        self.allow.append(network_error(self.cfg["api"] + "/api/v1/auth/me", 401))
        self.driver.get(self.cfg["console"])
        form = self.ui.shown("login-form")
        self.ui.js("window.__lbxConsoleRun = arguments[0]", self.run_marker)
        check(form.is_displayed(), f"{self.cfg['console']} shows the console's login form")

    def log_in(self):
        self.ui.type("login-username", self.cfg["user"])
        self.ui.type("login-password", self.cfg["password"])
        self.ui.click("login-submit")
        who = self.ui.wait_text("whoami", lambda t: t == self.cfg["user"], "the console after the login")
        landed = self.ui.wait_hash(lambda h: h == "#/sandboxes", "the sandbox list after the login")
        check(self.ui.find("login-form") is None and who == self.cfg["user"],
              f"the login form logs {who} in and lands on {landed}")

    def open_editor(self):
        self.ui.click("nav-templates")
        self.ui.click("template-create")
        self.ui.wait_hash(lambda h: h == "#/templates/new", "the new-template editor")
        return self.ui.shown("template-yaml")

    def invalid_template(self):
        self.open_editor()
        text = template_yaml(self.name, self.cfg["image"], "one", ttl=-5)
        area = self.ui.type("template-yaml", text)
        # The save is meant to fail: POST /api/v1/templates answers 400 INVALID_REQUEST, which Chrome
        # logs as a SEVERE network error. Only that URL with that status, and only in this step.
        self.allow.append(network_error(self.cfg["api"] + "/api/v1/templates", 400))
        self.ui.click("template-save")
        shown = self.ui.wait_text("template-error", bool, "the server's validation message")
        # The server's own words (TemplateSpecRules: "invalid spec: ttl must be >= 0"); the editor
        # checks YAML syntax and keys only, so this message can only have come from the API.
        check("ttl must be >= 0" in shown, f"an invalid spec (ttl -5): the server's message shows inline in template-error ({shown!r})")
        check(self.ui.hash() == "#/templates/new" and area.get_attribute("value").replace("\r\n", "\n") == text,
              f"the editor stays open with the text as typed ({self.ui.hash()})")
        status, _ = self.rest.call("GET", f"/api/v1/templates/{self.name}")
        check(status == 404, f"the invalid save created nothing (GET /templates/{self.name}: {status})")

    def create_template(self):
        if self.ui.hash() != "#/templates/new":
            self.open_editor()
        self.ui.type("template-yaml", template_yaml(self.name, self.cfg["image"], "one"))
        self.ui.click("template-save")
        self.ui.wait_hash(lambda h: h == f"#/templates/{self.name}", "the new template's page")
        shown = self.ui.wait_text("template-name", lambda t: t == self.name, "the template's name")
        version = self.ui.wait_text("template-version", bool, "the template's version")
        check(version == "1", f"saving the editor creates template {shown}, version {version}")
        status, t = self.rest.call("GET", f"/api/v1/templates/{self.name}")
        spec = ((t or {}).get("spec") or {}) if status == 200 else {}
        check(status == 200 and spec.get("image") == self.cfg["image"] and spec.get("command") == COMMAND
              and spec.get("ttl") == 1800 and spec.get("env") == {ENV_KEY: "one"}
              and (spec.get("readinessProbe") or {}).get("exec", {}).get("command") == READINESS,
              f"the API holds the spec as written in the editor ({status}: {spec})")

    def edit_template(self):
        self.ui.click("template-edit")
        self.ui.wait_hash(lambda h: h == f"#/templates/{self.name}/edit", "the template's editor")
        def current_yaml():
            area = self.ui.find("template-yaml")
            return area is not None and f"{ENV_KEY}: one" in (area.get_attribute("value") or "")
        loaded = wait_until("the editor to load the template", UI_TIMEOUT, quiet(current_yaml))
        check(loaded, "the editor opens with the template's current YAML")
        self.ui.type("template-yaml", template_yaml(self.name, self.cfg["image"], "two"))
        self.ui.click("template-save")
        self.ui.wait_hash(lambda h: h == f"#/templates/{self.name}", "the template's page after the edit")
        version = self.ui.wait_text("template-version", lambda t: t == "2", "version 2")
        status, t = self.rest.call("GET", f"/api/v1/templates/{self.name}")
        check(status == 200 and t.get("latestVersion") == 2 and t["spec"].get("env") == {ENV_KEY: "two"},
              f"saving the edit makes version {version} with the changed env ({status}: {t and t.get('spec', {}).get('env')})")

    def diff_versions(self):
        self.ui.click("tab-versions")
        latest = self.ui.shown("version-row-2")
        self.ui.shown("version-row-1")
        marked = latest.find_elements(By.CSS_SELECTOR, '[data-testid="versions-latest"]')
        check(bool(marked), "the versions tab lists versions 1 and 2, version 2 marked latest")
        self.ui.click("version-diff-1")
        diff = self.ui.shown("version-diff").get_attribute("textContent")
        check(f"{ENV_KEY}: one" in diff and f"{ENV_KEY}: two" in diff,
              f"the diff of version 1 against the latest shows the changed line ({ENV_KEY}: one → two)")

    def roll_back(self):
        if not self.ui.hash().endswith("/versions"):
            self.ui.click("tab-versions")
        self.ui.click("rollback-1")
        self.ui.click("confirm-ok")
        version = self.ui.wait_text("template-version", lambda t: t == "3", "version 3 (the rollback)")
        self.ui.shown("version-row-3")
        self.ui.click("version-diff-1")
        diff = self.ui.shown("version-diff").get_attribute("textContent")
        check(f"{ENV_KEY}: one" in diff and f"{ENV_KEY}: two" not in diff,
              f"after rolling back to version 1 the current version is {version} and equals version 1 (no change in its diff)")
        status, t = self.rest.call("GET", f"/api/v1/templates/{self.name}")
        check(status == 200 and t.get("latestVersion") == 3 and t["spec"].get("env") == {ENV_KEY: "one"},
              f"the API's current spec is version 1's again ({status}: v{t and t.get('latestVersion')} {t and t.get('spec', {}).get('env')})")

    def create_sandbox(self):
        self.ui.click("nav-sandboxes")
        self.ui.wait_hash(lambda h: h == "#/sandboxes", "the sandbox list")
        self.ui.click("sandbox-create")
        select = self.ui.shown("sandbox-create-template")
        wait_until(f"{self.name} among the templates to choose", UI_TIMEOUT, quiet(
            lambda: select.find_elements(By.CSS_SELECTOR, f'option[value="{self.name}"]')))
        Select(select).select_by_value(self.name)
        wait_until("the template to be chosen", UI_TIMEOUT, quiet(lambda: select.get_attribute("value") == self.name))
        # Proof that the page never reloads from here on: a marker in this document's window.
        marker = secrets.token_hex(8)
        before = self.ui.js("window.__lbxNoReload = arguments[0];"
                            "return [performance.getEntriesByType('navigation').length, performance.timeOrigin];", marker)
        self.ui.click("sandbox-create-submit")
        fragment = self.ui.wait_hash(lambda h: re.match(r"^#/sandboxes/[^/?]+$", h), "the new sandbox's page", timeout=60)
        self.sid = urllib.parse.unquote(fragment.split("/")[2])
        shown = self.ui.wait_text("sandbox-id", lambda t: t == self.sid, "the sandbox's page")
        first = self.ui.text("sandbox-status")
        print(f"# sandbox {self.sid}: {first} when its page opened", flush=True)

        def running():
            status = self.ui.text("sandbox-status")
            if status in ("failed", "error", "deleted", "lost"):
                raise RuntimeError(f"the sandbox became {status}")
            return status == "running"
        started = time.monotonic()
        wait_until("the sandbox's status to turn running", SANDBOX_TIMEOUT, quiet(running))
        after = self.ui.js("return [window.__lbxNoReload, performance.getEntriesByType('navigation').length, performance.timeOrigin];")
        check(after[0] == marker and after[1:] == before,
              f"sandbox {shown}: its page shows {first} → running live after {time.monotonic() - started:.0f} s, "
              f"without a reload (marker kept, navigation entries {after[1]}, same timeOrigin)")
        status, s = self.rest.call("GET", f"/api/v1/sandboxes/{self.sid}")
        check(status == 200 and s.get("template") == self.name and s.get("status") == "running",
              f"the API has the sandbox running from {self.name} ({status}: {s and s.get('template')} {s and s.get('status')})")
        template = (s or {}).get("accessUrlTemplate")
        if template:
            host = urllib.parse.urlsplit(template.replace("{port}", str(PORT))).hostname or ""
            check(self.cfg["sandbox_domain"] and host.endswith("." + self.cfg["sandbox_domain"]),
                  f"the sandbox's host-mode address {host} is in the domain the browser maps "
                  f"({self.cfg['sandbox_domain']!r}; set LBX_SANDBOX_DOMAIN if it differs)")

    def sandbox_tab(self, tab):
        """The sandbox's page by the list's link unless it is open already, then the tab."""
        if not re.match(rf"^#/sandboxes/{re.escape(self.sid)}(/|$)", self.ui.hash()):
            self.ui.click("nav-sandboxes")
            self.ui.click(f"sandbox-link-{self.sid}")
        self.ui.click(f"tab-{tab}")
        self.ui.wait_hash(lambda h: h == f"#/sandboxes/{self.sid}/{tab}", f"the {tab} tab")

    def exec_tab(self):
        self.sandbox_tab("exec")
        # The tab splits the line like a shell (quotes honoured) without running one: sh -c does
        # the arithmetic, so 42 can only come from the sandbox's shell.
        self.ui.type("exec-command", "sh -c 'echo console-e2e-$((6*7))'")
        self.ui.click("exec-run")
        code = self.ui.wait_text("exec-exit-code", bool, "the command's exit code", timeout=60)
        out = self.ui.text("exec-stdout")
        check("console-e2e-42" in out and code == "0", f"exec: echo console-e2e-$((6*7)) → stdout {out!r}, exit code {code}")

    def terminal_tab(self):
        self.sandbox_tab("terminal")
        self.ui.wait_text("terminal-state", lambda t: t == "connected", "the terminal to connect")
        self.ui.terminal_type("echo term-$((40+2))", Keys.ENTER)
        # The typed line shows $((40+2)); term-42 can only be the shell's answer.
        screen = wait_until("term-42 on the terminal's screen", UI_TIMEOUT,
                            lambda: (s := self.ui.screen()) and "term-42" in s and s)
        check("term-42" in screen, "terminal: the shell answers echo term-$((40+2)) with term-42 on the xterm screen")
        self.terminal_reattach()
        self.ui.terminal_type("exit", Keys.ENTER)
        state = self.ui.wait_text("terminal-state", lambda t: t not in ("connecting", "connected"), "the shell to exit")
        check(state == "exited 0" and "undefined" not in (self.ui.screen() or ""),
              f"terminal: exit ends the session, terminal-state {state!r} (exit code 0, not undefined)")

    def terminal_answer(self, command, pattern):
        """Types COMMAND into the terminal; PATTERN's group once it is a whole line of the screen
        (the typed line starts with the prompt and `echo`, so only the shell's answer matches)."""
        self.ui.terminal_type(command, Keys.ENTER)
        found = wait_until(f"the answer to {command} on the terminal's screen", UI_TIMEOUT,
                           lambda: re.search(rf"^{pattern}$", self.ui.screen() or "", re.M))
        return found.group(1)

    def terminal_reattach(self):
        """The shell is a session in the sandbox and outlives the terminal's connection: another
        client takes the session over (the API closes the console's socket with 4001) and runs a
        command meanwhile; Reconnect reattaches from the console's cursor. The screen keeps what it
        showed and gains what it missed, each line once, and the shell is the same process."""
        session = self.ui.shown("terminal-state").get_attribute("data-session")
        check(bool(session), f"terminal: terminal-state names the terminal's session (data-session={session!r})")
        if not session:
            return
        before = self.terminal_answer("echo before-$$", r"before-(\d+)")
        self.ui.js(TAKEOVER_JS, self.sid, session, "echo away-$((50+8))")
        try:
            state = self.ui.wait_text("terminal-state", lambda t: t != "connected", "the session to be taken over")
            wait_until("away-58 from the other client's command", UI_TIMEOUT,
                       lambda: "away-58" in (self.ui.js("return window.__lbxOtherClient.text") or ""))
        finally:
            self.ui.js("const o = window.__lbxOtherClient; o.ws.onmessage = null; o.ws.close();")
        check(state == "attached elsewhere" and "away-58" not in (self.ui.screen() or ""),
              f"terminal: another client's attach takes the session over: terminal-state {state!r}, "
              f"no automatic reconnect, the other client's output not on the console's screen")

        self.ui.click("terminal-reconnect")
        self.ui.wait_text("terminal-state", lambda t: t == "connected", "the terminal to reattach")
        screen = wait_until("away-58 replayed on the terminal's screen", UI_TIMEOUT,
                            lambda: (s := self.ui.screen()) and re.search(r"^away-58$", s, re.M) and s)
        lines = screen.split("\n")
        counts = {line: lines.count(line) for line in ("term-42", f"before-{before}", "away-58")}
        check(all(n == 1 for n in counts.values()),
              f"terminal: Reconnect reattaches on the same screen: what it showed is kept and what it missed "
              f"is replayed from its cursor, each line once ({counts})")
        after = self.terminal_answer("echo after-$$", r"after-(\d+)")
        same = self.ui.find("terminal-state").get_attribute("data-session")
        check(after == before and same == session,
              f"terminal: the same shell after the reattach (PID {before} → {after}, session {session} → {same})")

    def files_tab(self):
        self.sandbox_tab("files")
        data = os.urandom(UPLOAD_SIZE)
        local = self.work / "console-e2e-upload.bin"
        local.write_bytes(data)
        self.ui.type("upload-path", UPLOAD_TARGET)
        chooser = wait_until("the upload's file input", UI_TIMEOUT, lambda: self.ui.find("upload-file"))
        chooser.send_keys(str(local))
        self.ui.click("upload-submit")
        done = self.ui.wait_text("upload-done", bool, "the upload to finish", timeout=120)
        check(bool(done), f"files: the upload of {UPLOAD_SIZE} random bytes to {UPLOAD_TARGET} finishes ({done!r})")
        status, out = self.rest.call("POST", f"/api/v1/sandboxes/{self.sid}/exec", {"command": ["sha256sum", UPLOAD_TARGET]})
        remote = (out or {}).get("stdout", "").split()[:1] if status == 200 else []
        check(remote == [sha256(data)], f"files: the sandbox holds the same bytes (sha256 {remote} vs {sha256(data)})")

        self.ui.type("download-path", UPLOAD_TARGET)
        self.ui.click("download-submit")
        target = self.downloads / pathlib.PurePosixPath(UPLOAD_TARGET).name

        def downloaded():
            partial = list(self.downloads.glob("*.crdownload"))
            return not partial and target.is_file() and target.stat().st_size == len(data)
        wait_until(f"{target.name} in the download directory", 120, downloaded)
        check(sha256(target.read_bytes()) == sha256(data), f"files: the download of {UPLOAD_TARGET} has the uploaded bytes")

    def open_port(self):
        self.sandbox_tab("overview")
        console_window = self.driver.current_window_handle
        before = set(self.driver.window_handles)
        self.ui.type("port-input", str(PORT))
        self.ui.click("port-open")
        opened = wait_until("port-open's new tab", UI_TIMEOUT, lambda: set(self.driver.window_handles) - before)
        self.driver.switch_to.window(opened.pop())
        try:
            seen = {}

            def listing():
                try:
                    seen["url"] = self.driver.current_url
                    return "Directory listing" in self.driver.title or \
                        "Directory listing" in self.driver.find_element(By.TAG_NAME, "body").text
                except WebDriverException:
                    return False
            try:
                wait_until("python's directory listing in the new tab", 60, listing)
            except TimeoutError:
                raise TimeoutError(f"timed out waiting for python's directory listing in the new tab "
                                   f"(at {seen.get('url')})") from None
            parts = urllib.parse.urlsplit(seen["url"])
            origin = f"{parts.scheme}://{parts.netloc}"
            # The new tab is the sandbox's own app (python's http.server), not the console: it has no
            # /favicon.ico, and Chrome asks every site for one. Only that URL with 404 is let through.
            self.allow.append(network_error(origin + "/favicon.ico", 404))
            check("access_token" not in seen["url"],
                  f"port-open opens {origin}{parts.path} in a new tab: python's directory listing, through the gateway")
            self.console_log("open a port (the sandbox's tab)")
        finally:
            self.driver.close()
            self.driver.switch_to.window(console_window)
        check(self.ui.text("sandbox-id") == self.sid, "the console's tab is still there, unchanged")

    def phone_width(self):
        self.ui.click("nav-sandboxes")
        self.ui.wait_hash(lambda h: h == "#/sandboxes", "the sandbox list")
        self.ui.shown("sandbox-create")
        if self.sid:
            self.ui.shown(f"sandbox-row-{self.sid}")
        self.driver.set_window_size(390, 844)
        emulated = False

        def narrow():
            width = self.ui.js("return window.innerWidth")
            return width if width <= 400 else None
        try:
            try:
                width = wait_until("the page to take the phone's width", 5, narrow)
            except TimeoutError:
                # Some chromium builds keep a minimum window width even headless; what the page sees
                # is its viewport, so that is set to the phone's size instead (and reset below).
                print("# phone width: the window kept a minimum width; emulating a 390x844 viewport", flush=True)
                emulated = True
                self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": False})
                width = wait_until("the page to take the phone's width", UI_TIMEOUT, narrow)
            # No test id for the menu button in the contract: it is the shell's .menu-toggle (app.jsx).
            toggle = self.driver.find_element(By.CSS_SELECTOR, "button.menu-toggle")
            check(toggle.is_displayed(), f"phone width ({width} px): the menu toggle shows")
            scroll, inner = self.ui.js("return [document.documentElement.scrollWidth, window.innerWidth]")
            check(scroll <= inner + 1, f"phone width: the page does not scroll sideways (scrollWidth {scroll}, innerWidth {inner})")
            hidden = not self.ui.find("nav-sandboxes").is_displayed()
            toggle.click()
            opened = self.ui.shown("nav-templates")
            check(hidden and opened.is_displayed(), "phone width: the navigation is folded away and the toggle opens it")
            toggle.click()
        finally:
            if emulated:
                self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            self.driver.set_window_size(1280, 800)

    def api_keys(self):
        self.ui.click("nav-account")
        self.ui.wait_hash(lambda h: h == "#/account", "the account page")
        self.ui.type("apikey-name", self.key_name)
        self.ui.click("apikey-create")
        shown = self.ui.wait_text("apikey-secret", bool, "the new key")
        found = re.search(r"lbxk_[0-9a-f]{64}", shown)
        check(found, f"the account page shows the new key once ({shown[:9]}…)")
        if not found:
            raise AssertionError(f"apikey-secret holds no lbxk_ key: {shown!r}")
        key = found.group(0)

        def row():
            for element in self.driver.find_elements(By.CSS_SELECTOR, '[data-testid^="apikey-row-"]'):
                if self.key_name in (element.get_attribute("textContent") or ""):
                    return element.get_attribute("data-testid")[len("apikey-row-"):]
            return None
        self.key_id = wait_until(f"{self.key_name} in the list of keys", UI_TIMEOUT, quiet(row))
        status, keys = self.rest.call("GET", "/api/v1/auth/api-keys")
        check(status == 200 and any(k["id"] == self.key_id and k["name"] == self.key_name for k in keys),
              f"the API lists the key {self.key_id} as {self.key_name}")
        used = bearer_status(self.cfg["api_url"], key)
        check(used == 200, f"the key works as a Bearer token: GET /api/v1/sandboxes → {used}")

        self.ui.click(f"apikey-revoke-{self.key_id}")
        self.ui.click("confirm-ok")
        self.ui.gone(f"apikey-row-{self.key_id}")
        last = {}

        def refused():
            last["status"] = bearer_status(self.cfg["api_url"], key)
            return last["status"] == 401
        with contextlib.suppress(TimeoutError):
            wait_until("the revoked key to be refused", UI_TIMEOUT, refused)
        check(last.get("status") == 401, f"revoked in the console, the key is refused: GET /api/v1/sandboxes → {last.get('status')}")
        status, keys = self.rest.call("GET", "/api/v1/auth/api-keys")
        check(status == 200 and not any(k["id"] == self.key_id for k in keys), "the API no longer lists the revoked key")

    def delete_sandbox(self):
        if not re.match(rf"^#/sandboxes/{re.escape(self.sid)}(/|$)", self.ui.hash()):
            self.ui.click("nav-sandboxes")
            self.ui.click(f"sandbox-link-{self.sid}")
        self.ui.shown("sandbox-id")
        marker = secrets.token_hex(8)
        self.ui.js("window.__lbxNoReload = arguments[0]", marker)
        self.ui.click("sandbox-delete")
        self.ui.click("confirm-ok")
        self.ui.wait_hash(lambda h: h == "#/sandboxes", "the sandbox list after the delete")
        started = time.monotonic()
        # The row may show terminating first; the `deleted` event removes it (the deletion is asynchronous).
        self.ui.gone(f"sandbox-row-{self.sid}", timeout=SANDBOX_TIMEOUT)
        kept = self.ui.js("return window.__lbxNoReload") == marker
        check(kept, f"deleting sandbox {self.sid}: the list drops it live, {time.monotonic() - started:.0f} s later, without a reload")

    def delete_template(self):
        self.ui.click("nav-templates")
        self.ui.click(f"template-link-{self.name}")
        self.ui.wait_text("template-name", lambda t: t == self.name, "the template's page")
        self.ui.click("template-delete")
        self.ui.click("confirm-ok")
        self.ui.wait_hash(lambda h: h == "#/templates", "the template list after the delete")
        self.ui.gone(f"template-row-{self.name}")
        status, _ = self.rest.call("GET", f"/api/v1/templates/{self.name}")
        check(status == 404, f"deleting template {self.name} in the console removes it (GET: {status})")

    def session_cookies(self):
        return sorted(c["name"] for c in self.driver.get_cookies() if "liteboxd_session" in c["name"])

    def log_out(self):
        self.ui.click("logout")
        form = self.ui.shown("login-form")
        check(form.is_displayed() and self.ui.find("whoami") is None and not self.session_cookies(),
              f"log out: the login form is back and the session cookie is gone ({self.session_cookies()})")

    def keyboard_login(self):
        self.ui.type("login-username", self.cfg["user"])
        self.ui.type("login-password", self.cfg["password"]).send_keys(Keys.ENTER)
        who = self.ui.wait_text("whoami", lambda t: t == self.cfg["user"], "the console after Enter")
        check(who == self.cfg["user"], "keyboard: Enter in the password field submits the login form")
        self.ui.click("logout")
        self.ui.shown("login-form")

    def one_page_load(self):
        kept = self.ui.js("return window.__lbxConsoleRun") == self.run_marker
        check(kept, "the whole run was one page load: every page above came by hash routing, none by a reload")


def cleanup(rest, test):
    """Whatever the run left, through REST: sandboxes of the template, the template, the API key."""
    if test is None:
        return
    status, page = rest.call("GET", "/api/v1/sandboxes")
    items = (page or {}).get("items", []) if status == 200 and isinstance(page, dict) else []
    ids = {s["id"] for s in items if s.get("template") == test.name and s.get("status") not in ("terminating", "deleted")}
    for sid in sorted(ids):
        status, body = rest.call("DELETE", f"/api/v1/sandboxes/{sid}")
        print(f"# cleanup: deleted sandbox {sid} ({status})")
        if status >= 300 and status != 404:
            check(False, f"cleanup: delete sandbox {sid}: {status} {body}")
    if rest.call("GET", f"/api/v1/templates/{test.name}")[0] == 200:
        status, body = rest.call("DELETE", f"/api/v1/templates/{test.name}")
        print(f"# cleanup: deleted template {test.name} ({status})")
        if status >= 300 and status != 404:
            check(False, f"cleanup: delete template {test.name}: {status} {body}")
    status, keys = rest.call("GET", "/api/v1/auth/api-keys")
    for key in keys if status == 200 and isinstance(keys, list) else []:
        if key.get("name") == test.key_name:
            status, body = rest.call("DELETE", f"/api/v1/auth/api-keys/{key['id']}")
            print(f"# cleanup: revoked API key {key['id']} ({status})")
            if status >= 300 and status != 404:
                check(False, f"cleanup: revoke API key {key['id']}: {status} {body}")


def main():
    cfg = settings()
    rest = Rest(cfg["api_url"], cfg["user"], cfg["password"])
    work = pathlib.Path(tempfile.mkdtemp(prefix="console-e2e-"))
    downloads = work / "downloads"
    downloads.mkdir()
    driver = test = None
    try:
        try:
            driver = start_browser(cfg, downloads)
        except WebDriverException as e:
            check(False, f"chromium starts through chromedriver ({e.msg})")
        if driver is not None:
            test = ConsoleTest(cfg, rest, driver, work, downloads)
            print(f"# console {cfg['console']} (mapped to {cfg['ingress_ip']}), template {test.name}, "
                  f"sandbox domain {cfg['sandbox_domain'] or '(none: path mode only)'}", flush=True)
            test.run()
    finally:
        if driver is not None:
            with contextlib.suppress(WebDriverException):
                driver.quit()
        cleanup(rest, test)
        shutil.rmtree(work, ignore_errors=True)
    passed = sum(browser_test.results)
    print(f"console: {passed} passed, {len(browser_test.results) - passed} failed")
    return 0 if passed == len(browser_test.results) else 1


if __name__ == "__main__":
    sys.exit(main())
