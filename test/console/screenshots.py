"""Screenshots of the web console for the docs (docs/console/*.png), at 1280x800, from the live
install and the same browser setup as console_test.py: the login form, the sandbox list with one
running sandbox, a sandbox's terminal after a command, the template editor, a template's versions
with a diff, and the account page. What they show (a template with two versions, a running
sandbox, an API key) is made through REST first and deleted again at the end.

Run by hand with hack/console-screenshots.sh (not part of `make test`). Usage:
    screenshots.py [OUTPUT_DIR]      (default: docs/console)
"""
import contextlib
import pathlib
import sys

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

# The script's own directory is on sys.path, so console_test imports by name; it puts
# test/browser there for browser_test.
from console_test import COMMAND, READINESS, ROOT, SANDBOX_TIMEOUT, UI, UI_TIMEOUT, quiet, settings, start_browser
from browser_test import Rest, wait_until

WIDTH, HEIGHT = 1280, 800
TEMPLATE = "python-web"


def spec(image, greeting):
    return {
        "image": image,
        "command": COMMAND,
        "resources": {"cpu": "500m", "memory": "512Mi"},
        "ttl": 3600,
        "env": {"GREETING": greeting, "PYTHONUNBUFFERED": "1"},
        "readinessProbe": {"exec": {"command": READINESS}, "periodSeconds": 1},
    }


def prepare(rest, image, made):
    """A template with two versions, a running sandbox from it and an API key, noted in `made` as
    they are made (so a failure half-way still cleans up what exists)."""
    status, _ = rest.call("GET", f"/api/v1/templates/{TEMPLATE}")
    if status != 404:
        raise SystemExit(f"a template {TEMPLATE} exists already ({status}): not touching it; delete it or pick another install")
    status, body = rest.call("POST", "/api/v1/templates", {
        "name": TEMPLATE, "displayName": "Python web server", "description": "python's http.server on port 8080",
        "tags": ["python", "web"], "spec": spec(image, "hello")})
    if status != 201:
        raise SystemExit(f"cannot create the template: {status} {body}")
    made["template"] = TEMPLATE
    status, body = rest.call("PUT", f"/api/v1/templates/{TEMPLATE}", {
        "displayName": "Python web server", "description": "python's http.server on port 8080",
        "tags": ["python", "web"], "spec": spec(image, "hello, docs"), "changelog": "A friendlier greeting"})
    if status != 200:
        raise SystemExit(f"cannot add version 2: {status} {body}")
    status, key = rest.call("POST", "/api/v1/auth/api-keys", {"name": "ci-runner"})
    if status != 201:
        raise SystemExit(f"cannot create the API key: {status} {key}")
    made["key"] = key["id"]
    status, sandbox = rest.call("POST", "/api/v1/sandboxes", {"template": TEMPLATE})
    if status != 201:
        raise SystemExit(f"cannot create the sandbox: {status} {sandbox}")
    made["sandbox"] = sandbox["id"]
    wait_until("the sandbox to run", SANDBOX_TIMEOUT,
               lambda: rest.call("GET", f"/api/v1/sandboxes/{sandbox['id']}")[1].get("status") == "running")


def remove(rest, made):
    if "sandbox" in made:
        print(f"# deleted sandbox {made['sandbox']} ({rest.call('DELETE', '/api/v1/sandboxes/' + made['sandbox'])[0]})")
    if "template" in made:
        print(f"# deleted template {made['template']} ({rest.call('DELETE', '/api/v1/templates/' + made['template'])[0]})")
    if "key" in made:
        print(f"# revoked API key {made['key']} ({rest.call('DELETE', '/api/v1/auth/api-keys/' + made['key'])[0]})")


def shoot(driver, ui, out, name):
    """The viewport as out/name once no success toast covers it (they fade after 4 s)."""
    wait_until("the toasts to fade", UI_TIMEOUT, lambda: ui.find("toast-ok") is None)
    path = out / name
    driver.save_screenshot(str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", flush=True)


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "console").resolve()
    out.mkdir(parents=True, exist_ok=True)
    cfg = settings()
    rest = Rest(cfg["api_url"], cfg["user"], cfg["password"])
    made = {}
    driver = None
    try:
        prepare(rest, cfg["image"], made)
        sid = made["sandbox"]
        driver = start_browser(cfg)
        # Exactly 1280x800 of page, whatever the window's own frame takes.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        ui = UI(driver)

        driver.get(cfg["console"])
        ui.shown("login-form")
        ui.type("login-username", cfg["user"])
        shoot(driver, ui, out, "login.png")
        ui.type("login-password", cfg["password"]).send_keys(Keys.ENTER)
        ui.wait_text("whoami", lambda t: t == cfg["user"], "the console after the login")

        ui.goto("#/sandboxes")
        ui.wait_text(f"sandbox-status-{sid}", lambda t: t == "running", "the running sandbox in the list")
        shoot(driver, ui, out, "sandboxes.png")

        ui.goto(f"#/sandboxes/{sid}/terminal")
        ui.wait_text("terminal-state", lambda t: t == "connected", "the terminal to connect")
        ui.terminal_type('ls /; python3 --version; echo "$GREETING from $(hostname)"', Keys.ENTER)

        def answered():
            # The typed line reads "$GREETING from": the greeting's value is the last output, and
            # the shell's next prompt below it means the whole answer is on the screen.
            lines = (ui.screen() or "").rstrip().split("\n")
            return any(line.startswith("hello, docs from ") for line in lines) and \
                not lines[-1].startswith("hello, docs from ")
        wait_until("the command's output and the next prompt", UI_TIMEOUT, answered)
        shoot(driver, ui, out, "terminal.png")

        ui.goto(f"#/templates/{TEMPLATE}/edit")
        def loaded():
            area = ui.find("template-yaml")
            return area is not None and "GREETING" in (area.get_attribute("value") or "")
        wait_until("the editor to load the template", UI_TIMEOUT, quiet(loaded))
        shoot(driver, ui, out, "template-editor.png")

        ui.goto(f"#/templates/{TEMPLATE}/versions")
        ui.shown("version-row-2")
        ui.click("version-diff-1")
        ui.shown("version-diff")
        # The diff opens below the table and takes the focus; show the page from its top.
        ui.js("window.scrollTo(0, 0)")
        wait_until("the page to scroll to its top", UI_TIMEOUT, lambda: ui.js("return window.scrollY") == 0)
        shoot(driver, ui, out, "template-versions.png")

        ui.goto("#/account")
        ui.shown(f"apikey-row-{made['key']}")
        shoot(driver, ui, out, "account.png")
    finally:
        if driver is not None:
            with contextlib.suppress(WebDriverException):
                for button in driver.find_elements(By.CSS_SELECTOR, '[data-testid="logout"]'):
                    button.click()  # ends the browser's session on the server too
            with contextlib.suppress(WebDriverException):
                driver.quit()
        remove(rest, made)
    return 0


if __name__ == "__main__":
    sys.exit(main())
