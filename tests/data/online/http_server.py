"""A loopback HTTP server for tests/Online.Tests.ps1 (python3's http.server).

Serves the files of a directory for GET, and for POST too (an OCSP responder that always sends the same file: POST
/x.ocsp returns x.ocsp). Counts every request except GET /__count, which returns the count. Special paths:
/__hang accepts and never answers; /__big sends 11 MiB without a Content-Length. Binds 127.0.0.1 on a port the kernel
chooses and prints "LISTENING <port>" once it listens.
Usage: python3 http_server.py <directory>
"""
import http.server
import os
import sys
import threading
import time

ROOT = os.path.abspath(sys.argv[1])
COUNT = 0
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.command, self.path))
        sys.stderr.flush()

    def _count(self):
        global COUNT
        with LOCK:
            COUNT += 1

    def _answer(self):
        path = self.path.split("?")[0]
        if path == "/__count" and self.command == "GET":
            self._send(200, str(COUNT).encode())
            return
        self._count()
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 1 << 20))
        if path == "/__hang":
            time.sleep(3600)
            return
        if path == "/__big":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            chunk = b"\0" * 65536
            try:
                for _ in range(176):
                    self.wfile.write(chunk)
            except OSError:
                pass
            return
        file = os.path.abspath(os.path.join(ROOT, path.lstrip("/")))
        if not file.startswith(ROOT + os.sep) or not os.path.isfile(file):
            self._send(404, b"not found")
            return
        with open(file, "rb") as f:
            self._send(200, f.read())

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("LISTENING %d" % server.server_address[1], flush=True)
server.serve_forever()
