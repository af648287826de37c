"""A ThreadingHTTPServer on a loopback address, served from a daemon thread (stdlib only).

The local servers a developer starts (the HTTP API front, the upload page) listen on
127.0.0.0/8 or ::1 only: any other host is refused here, before a socket is bound.
"""

import ipaddress
import socket
import threading
from http.server import ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        pass  # a client gone mid-request is not an error of the server


class LoopbackServer:
    """@p handler (a BaseHTTPRequestHandler class) on @p host:@p port (0: any free port)."""

    def __init__(self, handler, host="127.0.0.1", port=0):
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addrs = [ipaddress.ip_address(i[4][0]) for i in infos]
        if not addrs or not all(a.is_loopback for a in addrs):
            raise ValueError(f"local servers bind loopback addresses only, not {host}")
        cls = _Server
        if addrs[0].version == 6:
            cls = type("_Server6", (_Server,), {"address_family": socket.AF_INET6})
        self.server = cls((str(addrs[0]), port), handler)
        self._thread = None

    @property
    def port(self):
        return self.server.server_address[1]

    @property
    def url(self):
        host = self.server.server_address[0]
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}"

    def start(self):
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._thread is not None:
            self.server.shutdown()
            self._thread = None
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
