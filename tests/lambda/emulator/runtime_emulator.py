"""A small Lambda Runtime API emulator (Python stdlib only).

Serves queued events on GET /2018-06-01/runtime/invocation/next with the headers the
real service sends (request id, deadline, function ARN, trace id), and records what the
runtime posts to /invocation/{id}/response, /invocation/{id}/error and /init/error.

Used as a library by the end-to-end tests and the demo:

    emu = RuntimeEmulator().start()
    env["AWS_LAMBDA_RUNTIME_API"] = emu.endpoint
    rid = emu.enqueue({"Records": [...]})
    result = emu.wait_result(rid, timeout=30)   # Result(kind="response"|"error", ...)
    emu.stop()

No Lambda Runtime Interface Emulator is available here; this is the project's own.
"""

import json
import queue
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"


@dataclass
class Result:
    """What the runtime posted for one invocation."""

    request_id: str
    kind: str  # "response" or "error"
    body: bytes
    headers: dict
    received_at: float

    def json(self):
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Invocation:
    request_id: str
    payload: bytes
    deadline_ms: int
    trace_id: str
    handed_out_at: float = 0.0


@dataclass
class InitError:
    body: bytes
    headers: dict
    received_at: float

    def json(self):
        return json.loads(self.body.decode("utf-8"))


@dataclass
class _State:
    pending: "queue.Queue[Invocation]" = field(default_factory=queue.Queue)
    results: dict = field(default_factory=dict)
    init_errors: list = field(default_factory=list)
    next_calls: list = field(default_factory=list)  # monotonic times of GET /next
    next_calls_wall: list = field(default_factory=list)  # time.time_ns() of GET /next
    invalid: list = field(default_factory=list)  # requests we did not understand
    handed_out: dict = field(default_factory=dict)  # request id -> monotonic time of /next
    cond: threading.Condition = field(default_factory=threading.Condition)
    stopping: bool = False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real Runtime API
    disable_nagle_algorithm = True  # headers and body go in separate writes: no 40 ms stalls

    def log_message(self, fmt, *args):  # quiet
        pass

    def setup(self):
        super().setup()
        # Headers and body are written separately: without this, Nagle + delayed ACK add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    @property
    def emu(self):
        return self.server.emulator

    def _send(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        st = self.emu._state
        if self.path != PREFIX + "/invocation/next":
            st.invalid.append(("GET", self.path))
            return self._send(404, b'{"errorMessage":"not found"}')
        with st.cond:
            st.next_calls.append(time.monotonic())
            st.next_calls_wall.append(time.time_ns())
            st.cond.notify_all()
        while True:
            if st.stopping:
                return self._send(410, b'{"errorMessage":"emulator stopped"}')
            try:
                inv = st.pending.get(timeout=0.1)
                break
            except queue.Empty:
                continue
        inv.handed_out_at = time.monotonic()
        with st.cond:
            st.handed_out[inv.request_id] = inv.handed_out_at
        headers = {
            "Content-Type": "application/json",
            "Lambda-Runtime-Aws-Request-Id": inv.request_id,
            "Lambda-Runtime-Deadline-Ms": str(inv.deadline_ms),
            "Lambda-Runtime-Invoked-Function-Arn": self.emu.function_arn,
            "Lambda-Runtime-Trace-Id": inv.trace_id,
        }
        self._send(200, inv.payload, headers)

    def do_POST(self):
        st = self.emu._state
        body = self._body()
        headers = {k: v for k, v in self.headers.items()}
        now = time.monotonic()
        if self.path == PREFIX + "/init/error":
            with st.cond:
                st.init_errors.append(InitError(body, headers, now))
                st.cond.notify_all()
            return self._send(202, b'{"status":"OK"}')
        parts = self.path[len(PREFIX) :].split("/") if self.path.startswith(PREFIX) else []
        # ["", "invocation", "<id>", "response"|"error"]
        if len(parts) == 4 and parts[1] == "invocation" and parts[3] in ("response", "error"):
            rid = parts[2]
            with st.cond:
                if rid in st.results:
                    st.invalid.append(("POST", self.path, "duplicate"))
                    st.cond.notify_all()
                    return self._send(400, b'{"errorMessage":"already answered"}')
                st.results[rid] = Result(rid, parts[3], body, headers, now)
                st.cond.notify_all()
            return self._send(202, b'{"status":"OK"}')
        st.invalid.append(("POST", self.path))
        self._send(404, b'{"errorMessage":"not found"}')


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A runtime that goes away mid-request (killed at the end of a test) is normal.
        pass


class RuntimeEmulator:
    """The emulator server; thread-safe for enqueue/wait from the test thread."""

    def __init__(self, host="127.0.0.1", port=0,
                 function_arn="arn:aws:lambda:us-east-1:123456789012:function:thumbkit",
                 timeout_ms=30000):
        self.function_arn = function_arn
        self.timeout_ms = timeout_ms
        self._state = _State()
        self._server = _Server((host, port), _Handler)
        self._server.emulator = self
        self._address = self._server.server_address
        self._thread = None

    @property
    def endpoint(self):
        """host:port, the value of AWS_LAMBDA_RUNTIME_API."""
        h, p = self._address[:2]
        return f"{h}:{p}"

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop_serving(self):
        """Answer /next with 410 from now on (a runtime then exits); keep recording posts."""
        self._state.stopping = True
        with self._state.cond:
            self._state.cond.notify_all()

    def stop(self):
        if self._server is None:
            return
        self.stop_serving()
        self._server.shutdown()
        self._server.server_close()
        self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def enqueue(self, event, request_id=None, timeout_ms=None, trace_id=None):
        """Queue one invocation; @return its request id."""
        if isinstance(event, (dict, list)):
            payload = json.dumps(event).encode("utf-8")
        elif isinstance(event, str):
            payload = event.encode("utf-8")
        else:
            payload = bytes(event)
        rid = request_id or str(uuid.uuid4())
        tid = trace_id or ("Root=1-%08x-%s;Parent=%s;Sampled=1"
                           % (int(time.time()), uuid.uuid4().hex[:24], uuid.uuid4().hex[:16]))
        deadline = int(time.time() * 1000) + (timeout_ms or self.timeout_ms)
        self._state.pending.put(Invocation(rid, payload, deadline, tid))
        return rid

    def wait_result(self, request_id, timeout=60.0):
        """Block until the runtime answered @p request_id; raise TimeoutError otherwise."""
        end = time.monotonic() + timeout
        st = self._state
        with st.cond:
            while request_id not in st.results:
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no result for invocation {request_id} in {timeout}s")
                st.cond.wait(left)
            return st.results[request_id]

    def invoke(self, event, timeout=60.0, **kw):
        """enqueue() + wait_result()."""
        return self.wait_result(self.enqueue(event, **kw), timeout)

    def handed_out_at(self, request_id):
        """Monotonic time at which the runtime received @p request_id (None: not yet)."""
        with self._state.cond:
            return self._state.handed_out.get(request_id)

    def wait_init_error(self, timeout=30.0):
        end = time.monotonic() + timeout
        st = self._state
        with st.cond:
            while not st.init_errors:
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no /init/error")
                st.cond.wait(left)
            return st.init_errors[0]

    def wait_next_call(self, count=1, timeout=30.0):
        """Block until /next was called @p count times; @return the monotonic time of that call."""
        end = time.monotonic() + timeout
        st = self._state
        with st.cond:
            while len(st.next_calls) < count:
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError("runtime did not call /next")
                st.cond.wait(left)
            return st.next_calls[count - 1]

    @property
    def next_calls_wall_ns(self):
        """Wall-clock times (ns) at which GET /next requests arrived."""
        return list(self._state.next_calls_wall)

    @property
    def init_errors(self):
        return list(self._state.init_errors)

    @property
    def invalid_requests(self):
        return list(self._state.invalid)


if __name__ == "__main__":
    import argparse
    import sys

    ap = argparse.ArgumentParser(description="Serve event files to a Lambda runtime once each.")
    ap.add_argument("--port", type=int, default=9001)
    ap.add_argument("events", nargs="+", help="JSON event files")
    a = ap.parse_args()
    with RuntimeEmulator(port=a.port) as emu:
        print(f"AWS_LAMBDA_RUNTIME_API={emu.endpoint}", file=sys.stderr)
        for path in a.events:
            with open(path, "rb") as f:
                rid = emu.enqueue(f.read())
            while True:
                try:
                    r = emu.wait_result(rid, timeout=0.5)
                    break
                except TimeoutError:
                    if emu.init_errors:
                        print(json.dumps({"initError": emu.init_errors[0].json()}))
                        sys.exit(1)
            print(json.dumps({"event": path, "kind": r.kind, "body": r.json()}))
