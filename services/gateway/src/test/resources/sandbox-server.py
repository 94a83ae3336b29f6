# The server a gateway test runs inside a real sandbox pod (python3 + python3-websockets from the
# test bed's sandbox image): HTTP on 8080 and 80, a WebSocket echo on 8765.
import asyncio, hashlib, http.server, json, threading, time, urllib.parse
import websockets

# Bytes each /flood WebSocket (by its ?id=) has handed to its socket so far; read over HTTP.
FLOOD_SENT = {}
# The /stall WebSockets (by ?id=): their event loop and the event that lets them go.
STALLS = {}

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus delayed ACKs
    # add 40 ms to every keep-alive response (which would swamp any gateway benchmark).
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/hello":
            self.reply(200, {"hello": self.server.server_port})
        elif url.path == "/headers":
            self.reply(200, {"path": self.path, "headers": header_map(self.headers.items())})
        elif url.path == "/set-cookie":
            # What a hostile or careless sandbox may answer: the API's cookies under every
            # spelling, a cookie for the parent domain, obsolete and destructive headers.
            body = b"{}"
            self.send_response(200)
            for cookie in ("liteboxd_session=stolen; Path=/", "__Host-liteboxd_session=stolen; Path=/; Secure",
                           "LiteBoxd_Sandbox_Token=planted; Path=/", "=liteboxd_session=tossed; Path=/",
                           "app=1; Path=/app; Domain=sbx.test; HttpOnly", "pref=dark"):
                self.send_header("Set-Cookie", cookie)
            self.send_header("Set-Cookie2", "legacy=1")
            self.send_header("Clear-Site-Data", '"cookies", "storage"')
            self.send_header("Content-Security-Policy", "default-src 'self'")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif url.path == "/release":
            loop, released = STALLS.pop(query.get("id"))
            loop.call_soon_threadsafe(released.set)
            self.reply(200, {"released": True})
        elif url.path == "/flood-sent":
            self.reply(200, {"bytes": FLOOD_SENT.get(query.get("id"), 0),
                             "error": FLOOD_SENT.get(query.get("id", "") + "-error")})
        elif url.path == "/big":
            size = int(query.get("mib", "1")) << 20
            chunk = b"x" * (1 << 20)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            for _ in range(size >> 20):
                self.wfile.write(chunk)
        elif url.path == "/delay":
            time.sleep(int(query.get("seconds", "1")))
            self.reply(200, {"delayed": True})
        elif url.path == "/slow":
            seconds = int(query.get("seconds", "1"))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(seconds))
            self.end_headers()
            for _ in range(seconds):
                time.sleep(1)
                self.wfile.write(b".")
                self.wfile.flush()
        else:
            self.reply(404, {"error": "no such page"})

    def do_POST(self):
        digest, size = hashlib.sha256(), 0
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                length = int(self.rfile.readline().split(b";")[0], 16)
                if length == 0:
                    self.rfile.readline()
                    break
                left = length
                while left:
                    part = self.rfile.read(min(left, 1 << 16))
                    digest.update(part); size += len(part); left -= len(part)
                self.rfile.readline()
            framing = "chunked"
        else:
            left = int(self.headers.get("Content-Length", "0"))
            while left:
                part = self.rfile.read(min(left, 1 << 16))
                digest.update(part); size += len(part); left -= len(part)
            framing = "length"
        self.reply(200, {"bytes": size, "sha256": digest.hexdigest(), "framing": framing})

    do_PUT = do_PATCH = do_POST

    def do_DELETE(self):
        self.reply(200, {"method": "DELETE"})

    def do_OPTIONS(self):
        self.reply(200, {"method": "OPTIONS"})

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "42")
        self.end_headers()

def serve_http(port):
    http.server.ThreadingHTTPServer(("", port), Handler).serve_forever()

def header_map(items):
    headers = {}
    for k, v in items:
        k = k.lower()
        headers[k] = headers[k] + ", " + v if k in headers else v
    return headers

async def echo(ws, path=None):
    # websockets < 13 passes the path and has request_headers; newer ones have ws.request.
    request = getattr(ws, "request", None)
    path = request.path if request is not None else (path or getattr(ws, "path", "/"))
    url = urllib.parse.urlsplit(path)
    if url.path == "/headers":
        raw = request.headers if request is not None else ws.request_headers
        await ws.send(json.dumps({"path": path, "headers": header_map(raw.raw_items())}))
    elif url.path == "/flood":
        # Sends as fast as the connection takes it, forever: how far it gets shows backpressure.
        flood_id = dict(urllib.parse.parse_qsl(url.query)).get("id", "")
        chunk = b"f" * (64 << 10)
        FLOOD_SENT[flood_id] = 0
        try:
            while True:
                await ws.send(chunk)
                FLOOD_SENT[flood_id] += len(chunk)
        except Exception as e:
            FLOOD_SENT[flood_id + "-error"] = repr(e)
            raise
    elif url.path == "/stall":
        # Reads nothing (the library queues a few messages, then stops reading the socket)
        # until GET /release?id= on the HTTP port; then closes.
        released = asyncio.Event()
        STALLS[dict(urllib.parse.parse_qsl(url.query)).get("id", "")] = (asyncio.get_running_loop(), released)
        await released.wait()
        await ws.close(code=4010, reason="released")
        return
    async for message in ws:
        if message == "abort":
            ws.transport.abort()  # the connection drops without a close frame
            return
        if isinstance(message, str) and message.startswith("close:"):
            await ws.close(code=int(message[6:]), reason="asked to")
            return
        await ws.send(message)

async def serve_ws():
    async with websockets.serve(echo, "", 8765, subprotocols=["chat.v2"], max_size=None):
        await asyncio.Future()

for port in (8080, 80):
    threading.Thread(target=serve_http, args=(port,), daemon=True).start()
asyncio.run(serve_ws())
