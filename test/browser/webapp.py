# The web app a browser-test sandbox serves on port 8080 (python3 + python3-websockets 10 from the
# test bed's sandbox image; test/browser/browser_test.py passes this file as the command and
# attacks.js in LBX_ATTACKS_JS). GET only, one port for pages and the WebSocket:
#   /            a normal app: sets its own cookie, links to "next", opens a WebSocket to "ws"
#   /next        shows which app cookie came back
#   /ws          WebSocket echo
#   /attack      a hostile page: runs attacks.js against the API and shows the verdicts
#   /set-evil    answers with Set-Cookie/Clear-Site-Data aimed at the control plane's cookies
#   /seen        JSON: every control-plane credential that ever reached this server (must stay empty)
import asyncio, html, http, json, os, urllib.parse
import websockets

ATTACKS_JS = os.environ.get("LBX_ATTACKS_JS", "")
SEEN = {"requests": 0, "violations": []}
CONTROL_PLANE_COOKIES = ("liteboxd_session", "__host-liteboxd_session", "liteboxd_sandbox_token",
                         "__host-liteboxd_sandbox_token")


def inspect(path, headers):
    """Notes (by name, never by value) any control-plane credential the gateway let through."""
    SEEN["requests"] += 1
    for cookie_header in headers.get_all("Cookie"):
        for pair in cookie_header.split(";"):
            name = pair.split("=", 1)[0].strip().lower()
            if name in CONTROL_PLANE_COOKIES:
                SEEN["violations"].append("cookie " + name + " on " + path.split("?")[0])
    for value in headers.get_all("Authorization"):
        if "lbxk_" in value:
            SEEN["violations"].append("api key in Authorization on " + path.split("?")[0])
    if headers.get("X-Access-Token"):
        SEEN["violations"].append("X-Access-Token on " + path.split("?")[0])
    if "access_token=" in path:
        SEEN["violations"].append("access_token query on " + path.split("?")[0])


def page(body, *extra_headers):
    data = ("<!doctype html><meta charset=utf-8><title>app</title>" + body).encode()
    return (http.HTTPStatus.OK, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                                 *extra_headers], data)


def cookies(headers):
    jar = {}
    for cookie_header in headers.get_all("Cookie"):
        for pair in cookie_header.split(";"):
            if "=" in pair:
                name, value = pair.split("=", 1)
                jar[name.strip()] = value.strip()
    return jar


NORMAL_APP = """
<p>a normal app <a id="next" href="next">next</a></p><pre id="ws">pending</pre>
<script>
const u = new URL("ws", location.href);
u.protocol = u.protocol.replace("http", "ws");
// Path mode over plain HTTP: script-made requests from a CSP-sandboxed page carry no cookies,
// so the token travels explicitly (the test passes it in the fragment, which no server sees).
if (location.hash.length > 1) u.searchParams.set("access_token", location.hash.slice(1));
const ws = new WebSocket(u);
ws.onopen = () => ws.send("ping");
ws.onmessage = (m) => { document.getElementById("ws").textContent = m.data; ws.close(); };
ws.onerror = () => { document.getElementById("ws").textContent = "error"; };
</script>"""


async def process_request(path, headers):
    inspect(path, headers)
    url = urllib.parse.urlsplit(path)
    query = dict(urllib.parse.parse_qsl(url.query))
    if url.path.endswith("/ws") and headers.get("Upgrade", "").lower() == "websocket":
        return None  # the WebSocket handshake proceeds
    if url.path == "/":
        return page(NORMAL_APP, ("Set-Cookie", "app_cookie=hello; Path=/; SameSite=Lax"))
    if url.path == "/next":
        return page('<pre id="cookie">' + html.escape(cookies(headers).get("app_cookie", "none")) + "</pre>")
    if url.path == "/attack":
        args = json.dumps(query.get("api", "")) + ", " + json.dumps(query.get("id", ""))
        return page('<pre id="result"></pre><script>' + ATTACKS_JS + "\nlbx.all(" + args
                    + ").then(r => { document.getElementById('result').textContent = JSON.stringify(r); });</script>")
    if url.path == "/set-evil":
        domain = query.get("domain", "")
        evil = [("Set-Cookie", "liteboxd_session=stolen-by-header; Path=/"),
                ("Set-Cookie", "__Host-liteboxd_session=stolen-by-header; Path=/; Secure"),
                ("Set-Cookie", "liteboxd_sandbox_token=stolen-by-header; Path=/"),
                ("Clear-Site-Data", '"cookies"')]
        if domain:
            evil.append(("Set-Cookie", "liteboxd_session=stolen-by-header; Path=/; Domain=" + domain))
        return page('<p id="evil">evil headers sent</p>', *evil)
    if url.path == "/seen":
        return (http.HTTPStatus.OK, [("Content-Type", "application/json")], json.dumps(SEEN).encode())
    return (http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")], b"no such page\n")


async def echo(ws, path=None):
    async for message in ws:
        await ws.send("echo:" + message)


async def main():
    async with websockets.serve(echo, "", 8080, process_request=process_request):
        await asyncio.Future()

asyncio.run(main())
