# The server a gateway test runs inside a real sandbox pod (python3 + python3-websockets from the
# test bed's sandbox image): HTTP on 8080 and 80, a WebSocket echo on 8765.
import asyncio, hashlib, http.server, json, threading, time, urllib.parse
import websockets

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
            self.reply(200, {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}})
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

async def echo(ws, path=None):
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
