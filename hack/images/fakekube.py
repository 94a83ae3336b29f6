#!/usr/bin/env python3
"""A stand-in for the Kubernetes API server, just enough for the services to start: every list
is empty, every watch stays open and silent, objects written (the controller's Lease) are kept
in memory. hack/images/aot.sh trains the services' AOT caches against it (their start-up then
runs the Kubernetes client and informer code it runs in a cluster, TLS included), and
bench/starts.sh uses it when there is no cluster. Never a real API server.

Usage: fakekube.py PORT_FILE [CERT KEY] [ADDRESS]
  Listens on a free port of ADDRESS (127.0.0.1), writes the port to PORT_FILE, serves until
  killed; HTTPS with CERT and KEY (PEM files), else plain HTTP.
"""
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

STORE = {}
LOCK = threading.Lock()
VERSION = {"major": "1", "minor": "34", "gitVersion": "v1.34.0", "platform": "linux/amd64"}


def split_path(path):
    """('collection' | 'object' | 'other', collection path, name) of an API path."""
    parts = [p for p in path.split("/") if p]
    if parts[:1] == ["api"] and len(parts) >= 2:
        rest = parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        rest = parts[3:]
    else:
        return "other", path, None
    if rest[:1] == ["namespaces"] and len(rest) >= 3:
        rest = rest[2:]
    if len(rest) == 1:
        return "collection", path, None
    if len(rest) == 2:
        return "object", "/".join([""] + parts[:-1]), parts[-1]
    return "other", path, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the services' own logs are what matters
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def status(self, code, reason):
        self.reply(code, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": reason, "code": code})

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}") if length else {}

    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/version":
            return self.reply(200, VERSION)
        kind, collection, name = split_path(url.path)
        if kind == "collection" and query.get("watch", [""])[0] in ("true", "1"):
            # An idle watch: headers now, then nothing until the client's timeout.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.flush()
            timeout = int(query.get("timeoutSeconds", ["300"])[0])
            deadline = time.monotonic() + timeout
            try:
                while time.monotonic() < deadline:
                    time.sleep(1)
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass
            self.close_connection = True
            return None
        if kind == "collection":
            return self.reply(200, {"kind": "List", "apiVersion": "v1",
                                    "metadata": {"resourceVersion": "1"}, "items": []})
        if kind == "object":
            with LOCK:
                obj = STORE.get((collection, name))
            return self.reply(200, obj) if obj else self.status(404, "NotFound")
        return self.status(404, "NotFound")

    def do_POST(self):
        kind, collection, _ = split_path(urlsplit(self.path).path)
        obj = self.body()
        if kind != "collection":
            return self.reply(201, obj)
        name = obj.get("metadata", {}).get("name", "")
        obj.setdefault("metadata", {})["resourceVersion"] = "1"
        with LOCK:
            if (collection, name) in STORE:
                return self.status(409, "AlreadyExists")
            STORE[(collection, name)] = obj
        return self.reply(201, obj)

    def do_PUT(self):
        kind, collection, name = split_path(urlsplit(self.path).path)
        obj = self.body()
        with LOCK:
            old = STORE.get((collection, name))
            version = int((old or {}).get("metadata", {}).get("resourceVersion", "1")) + 1
            obj.setdefault("metadata", {})["resourceVersion"] = str(version)
            STORE[(collection, name)] = obj
        return self.reply(200, obj)

    def do_PATCH(self):
        kind, collection, name = split_path(urlsplit(self.path).path)
        self.body()
        with LOCK:
            obj = STORE.get((collection, name))
        return self.reply(200, obj) if obj else self.status(404, "NotFound")

    def do_DELETE(self):
        kind, collection, name = split_path(urlsplit(self.path).path)
        with LOCK:
            STORE.pop((collection, name), None)
        return self.reply(200, {"kind": "Status", "apiVersion": "v1", "status": "Success"})


def main():
    address = sys.argv[4] if len(sys.argv) > 4 else "127.0.0.1"
    server = ThreadingHTTPServer((address, 0), Handler)
    server.daemon_threads = True
    if len(sys.argv) > 3:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(sys.argv[1], "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
