"""A loopback HTTP proxy between the function and a local S3 (moto) that injects the faults a
real network and S3 produce, at configurable rates.

Faults (each request gets at most one; which kinds apply depends on the method):

    reset           close the connection without an answer (RST), before forwarding (GET, PUT)
    reset_after     forward to S3, then reset instead of answering: the PUT happened (PUT)
    http500         answer 500 InternalError without forwarding (GET, PUT, HEAD)
    slowdown        answer 503 SlowDown without forwarding (GET, PUT, HEAD)
    stall           send half the body, pause, then the rest (GET)
    truncate        send part of the body with the true Content-Length, then close (GET)
    truncate_nolen  send part of the body without Content-Length (close-delimited) (GET)
    short_length    send a Content-Length smaller than the body, and that many bytes (GET)
    long_length     send a Content-Length larger than the body, the body, then close (GET)
    put_truncated   forward only part of the PUT body, with a matching Content-Length: S3
                    stores a truncated object and answers 200 (PUT)
    put_short_length forward a Content-Length smaller than the body: S3 reads and stores that
                    many bytes (PUT)

Counts of injected faults by kind are kept in Proxy.counts (thread-safe). Randomness is seeded
so a run can be repeated. Python stdlib only.
"""

import http.client
import random
import socket
import struct
import threading
import time
from http.server import ThreadingHTTPServer

from localaws import QuietHandler  # tests/lambda/e2e, on the path of every user of the proxy

GET_FAULTS = ("reset", "http500", "slowdown", "stall", "truncate", "truncate_nolen",
              "short_length", "long_length")
PUT_FAULTS = ("reset", "reset_after", "http500", "slowdown", "put_truncated", "put_short_length")
HEAD_FAULTS = ("http500", "slowdown")
SLOWDOWN = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>'
            b"Please reduce your request rate.</Message><RequestId>FAULT</RequestId></Error>")
INTERNAL = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>'
            b"We encountered an internal error. Please try again.</Message></Error>")
HOP = ("connection", "keep-alive", "transfer-encoding", "content-length")


class Proxy:
    """Start with Proxy(target_port, rate=0.2).start(); .url is the endpoint to give the
    function; .counts[kind] the faults injected; .requests[method] the requests seen."""

    def __init__(self, target_port, rate=0.2, seed=1, stall_s=1.5, kinds=None):
        self.target_port = target_port
        self.rate = rate
        self.stall_s = stall_s
        self.kinds = set(kinds) if kinds else None
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.counts = {}
        self.requests = {}
        proxy = self

        class Handler(QuietHandler):
            def _handle(self):
                proxy._serve(self, self.read_body())

            do_GET = do_PUT = do_HEAD = do_POST = _handle

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # the function hanging up on a fault is the point

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def total(self):
        with self.lock:
            return sum(self.counts.values())

    # ---- one request ---------------------------------------------------------------------

    def _pick(self, method):
        choices = {"GET": GET_FAULTS, "PUT": PUT_FAULTS, "HEAD": HEAD_FAULTS}.get(method, ())
        if self.kinds is not None:
            choices = tuple(k for k in choices if k in self.kinds)
        with self.lock:
            self.requests[method] = self.requests.get(method, 0) + 1
            if not choices or self.rng.random() >= self.rate:
                return None
            kind = self.rng.choice(choices)
            self.counts[kind] = self.counts.get(kind, 0) + 1
            return kind

    def _forward(self, h, body, send_len=None):
        c = http.client.HTTPConnection("127.0.0.1", self.target_port, timeout=60)
        headers = {k: v for k, v in h.headers.items() if k.lower() not in HOP}
        if send_len is not None:  # a lying Content-Length: send exactly send_len bytes of body
            headers["Content-Length"] = str(send_len)
            c.putrequest(h.command, h.path, skip_accept_encoding=True, skip_host=True)
            for k, v in headers.items():
                c.putheader(k, v)
            c.endheaders()
            c.send(body[:send_len])
        else:
            c.request(h.command, h.path, body=body if h.command in ("PUT", "POST") else None,
                      headers=headers)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, r.reason, r.getheaders(), data

    @staticmethod
    def _reset(h):
        # SO_LINGER 0: close() sends RST, as a broken connection does.
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.close_connection = True
        h.connection.close()

    @staticmethod
    def _error(h, status, reason, body):
        h.send_response(status, reason)
        h.send_header("Content-Type", "application/xml")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if h.command != "HEAD":  # a HEAD answer never has a body, errors included
            h.wfile.write(body)

    def _serve(self, h, body):
        kind = self._pick(h.command)
        if kind == "reset":
            return self._reset(h)
        if kind == "http500":
            return self._error(h, 500, "Internal Server Error", INTERNAL)
        if kind == "slowdown":
            return self._error(h, 503, "Slow Down", SLOWDOWN)
        send_len = None
        if kind == "put_truncated":
            body = body[:max(1, len(body) // 2)]
        elif kind == "put_short_length":
            send_len = max(1, len(body) - 1 - len(body) // 3)
        status, reason, headers, data = self._forward(h, body, send_len)
        if kind == "reset_after":
            return self._reset(h)
        h.send_response(status, reason)
        for k, v in headers:
            if k.lower() not in HOP:
                h.send_header(k, v)
        ok_body = h.command == "GET" and 200 <= status < 300 and len(data) > 2
        if not ok_body or kind in (None, "put_truncated", "put_short_length"):
            if h.command == "HEAD":
                h.send_header("Content-Length", dict((k.lower(), v) for k, v in headers)
                              .get("content-length", "0"))
                h.end_headers()
                return
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
            return
        half = len(data) // 2
        if kind == "stall":
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data[:half])
            h.wfile.flush()
            time.sleep(self.stall_s)
            h.wfile.write(data[half:])
        elif kind == "truncate":
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data[:half])
            h.wfile.flush()
            self._reset(h)
        elif kind == "truncate_nolen":
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(data[:half])
            h.wfile.flush()
            h.close_connection = True
        elif kind == "short_length":
            h.send_header("Content-Length", str(half))
            h.end_headers()
            h.wfile.write(data[:half])
            h.wfile.flush()
            h.close_connection = True  # the rest of the body would poison the connection
        elif kind == "long_length":
            h.send_header("Content-Length", str(len(data) + 100))
            h.end_headers()
            h.wfile.write(data)
            h.wfile.flush()
            self._reset(h)
