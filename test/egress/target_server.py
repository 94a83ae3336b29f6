"""The egress test's stand-in for the internet: HTTP on ADDRESS:80 and HTTPS on ADDRESS:443 (the
certificate given, for every name), both answering `egress-target <Host header> <scheme>`, and
`/bytes/N` with N zero bytes (bench/egress.sh's throughput), and `/stream/N` with N lines of 11
bytes, one every half second (connections that stay open through a rollout of the proxy).
Usage: target_server.py ADDRESS CERT KEY   (runs until killed)."""
import http.server
import ssl
import sys
import threading
import time


class Reply(http.server.BaseHTTPRequestHandler):
    scheme = "http"

    protocol_version = "HTTP/1.1"
    CHUNK = bytes(1 << 20)

    def do_GET(self):  # noqa: N802 - the stdlib's name
        if self.path.startswith("/bytes/") and self.path[7:].isdigit():
            size = min(int(self.path[7:]), 1 << 30)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            while size > 0:
                self.wfile.write(self.CHUNK[:min(size, len(self.CHUNK))])
                size -= len(self.CHUNK)
            return
        if self.path.startswith("/stream/") and self.path[8:].isdigit():
            lines = min(int(self.path[8:]), 1000)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(11 * lines))
            self.end_headers()
            for n in range(1, lines + 1):
                self.wfile.write(f"line {n:05d}\n".encode())
                self.wfile.flush()
                if n < lines:
                    time.sleep(0.5)
            return
        body = f"egress-target {self.headers.get('Host', '')} {self.scheme}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class TlsReply(Reply):
    scheme = "https"


def main(address, cert, key):
    plain = http.server.ThreadingHTTPServer((address, 80), Reply)
    tls = http.server.ThreadingHTTPServer((address, 443), TlsReply)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    tls.socket = context.wrap_socket(tls.socket, server_side=True)
    threading.Thread(target=plain.serve_forever, daemon=True).start()
    print("serving", flush=True)
    tls.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:4])
