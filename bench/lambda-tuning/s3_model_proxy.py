"""The S3 model: a loopback HTTP proxy between a function and the local moto S3.

It gives every request the in-region behaviour that a local moto server lacks:

  - a first-byte latency: the response starts no earlier than LATENCY ms after the request
    (and its body, at the bandwidth below) has arrived;
  - a per-connection bandwidth: request bodies (PUT) and response bodies (GET) move at
    MBPS x 10^6 bytes per second on each connection, paced in 64 KiB steps.

moto's own time is absorbed into the latency (the proxy waits only for what is left), so the
modelled time is what the function sees as long as moto answers faster than the latency; each
request where it did not is counted as an overrun in the log.

usage: s3_model_proxy.py --upstream http://127.0.0.1:PORT --get-latency-ms 30 --put-latency-ms 30
                         --mbps 85 [--log FILE]
Prints {"port": N} on stdout once it listens, then serves until killed. Standard library only.
Hand-written because nothing packaged does per-request first-byte latency: tc netem delays
packets per interface (every loopback user on the machine), and toxiproxy is not packaged.
"""
import argparse
import http.client
import json
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STEP = 64 * 1024
HOP_HEADERS = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


class Model:
    """The stated parameters plus a thread-safe request log."""

    def __init__(self, upstream, get_ms, put_ms, mbps, log_path):
        u = urllib.parse.urlsplit(upstream)
        self.host, self.port = u.hostname, u.port or 80
        self.get_s, self.put_s = get_ms / 1e3, put_ms / 1e3
        self.bytes_per_s = mbps * 1e6 if mbps > 0 else 0.0
        self.lock = threading.Lock()
        self.log = open(log_path, "a") if log_path else None

    def latency_s(self, method):
        return self.put_s if method in ("PUT", "POST") else self.get_s

    def transfer_s(self, nbytes):
        return nbytes / self.bytes_per_s if self.bytes_per_s else 0.0

    def record(self, entry):
        if self.log:
            with self.lock:
                self.log.write(json.dumps(entry) + "\n")
                self.log.flush()


def sleep_until(t):
    while True:
        left = t - time.perf_counter()
        if left <= 0:
            return
        time.sleep(left)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.upstream = None

    def finish(self):
        if self.upstream is not None:
            self.upstream.close()
        super().finish()

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _forward(self, body):
        m = self.server.model
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS and k.lower() != "expect"}
        if body or self.command in ("PUT", "POST"):
            headers["Content-Length"] = str(len(body))
        for attempt in (0, 1):  # moto closes idle keep-alive connections now and then
            if self.upstream is None:
                self.upstream = http.client.HTTPConnection(m.host, m.port, timeout=120)
            try:
                self.upstream.request(self.command, self.path, body=body or None, headers=headers)
                resp = self.upstream.getresponse()
                return resp, resp.read()
            except (http.client.HTTPException, OSError):
                self.upstream.close()
                self.upstream = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _serve(self):
        m = self.server.model
        t0 = time.perf_counter()
        body = self._read_body()
        # The client's upload takes this long at the modelled bandwidth; then the latency.
        first_byte_at = t0 + m.transfer_s(len(body)) + m.latency_s(self.command)
        resp, data = self._forward(body)
        t_up = time.perf_counter()
        overrun = max(0.0, t_up - first_byte_at)
        sleep_until(first_byte_at)
        self.send_response_only(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP_HEADERS and (k.lower() != "content-length" or self.command == "HEAD"):
                self.send_header(k, v)
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        start = time.perf_counter()
        for off in range(0, len(data), STEP):
            sleep_until(start + m.transfer_s(off))
            self.wfile.write(data[off:off + STEP])
        self.wfile.flush()
        m.record({"method": self.command, "up": len(body), "down": len(data), "status": resp.status,
                  "ms": (time.perf_counter() - t0) * 1e3, "upstream_ms": (t_up - t0) * 1e3,
                  "overrun_ms": overrun * 1e3})

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _serve


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a function killed mid-request (OOM) is part of the run


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--get-latency-ms", type=float, default=30.0)
    ap.add_argument("--put-latency-ms", type=float, default=30.0)
    ap.add_argument("--mbps", type=float, default=85.0, help="per-connection bandwidth, 10^6 bytes/s (0: none)")
    ap.add_argument("--log", default=None, help="append one JSON line per request here")
    a = ap.parse_args(argv)
    srv = Server(("127.0.0.1", 0), Handler)
    srv.model = Model(a.upstream, a.get_latency_ms, a.put_latency_ms, a.mbps, a.log)
    print(json.dumps({"port": srv.server_address[1]}), flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
