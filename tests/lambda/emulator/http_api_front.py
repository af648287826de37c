"""A local API Gateway HTTP API in front of a Lambda function (Python stdlib only).

Real HTTP requests on loopback become payload-format-2.0 events, which an injected `invoke`
hands to the function (normally the real `bootstrap` through the Runtime API emulator beside
this file); the function's response object becomes the HTTP answer. What it copies from API
Gateway, and where that comes from (README.md of this folder has the sources):

- routes "METHOD /path" with {name} and greedy {name+} parameters, "ANY", "$default"; no
  match -> 404 {"message":"Not Found"}; the function is never invoked for it;
- CORS configured on the API: preflights (OPTIONS with Origin and
  Access-Control-Request-Method) are answered here without invoking the function; on other
  requests the function's Access-Control-* headers are dropped and the configured ones added
  when the request has an Origin;
- limits: a body over 10 MB -> 413, request line + headers over 10240 bytes -> 431, an event
  over Lambda's 6 MB -> 413; malformed HTTP (request line, version, Host, Content-Length,
  chunked framing) -> 400, all as {"message": ...} JSON;
- the event: lower-case header names with repeated headers joined by ",", Cookie moved to
  `cookies`, rawPath with every escape decoded except %25, rawQueryString as sent,
  queryStringParameters decoded and joined by ",", pathParameters, requestContext; the body
  as text for text/*, application/json, application/xml and application/javascript, base64
  (isBase64Encoded) for anything else;
- the answer: statusCode, headers, cookies (one Set-Cookie each), body (decoded when
  isBase64Encoded); valid JSON without statusCode is a 200 application/json of that JSON; a
  function error or an unusable response -> 500 {"message":"Internal Server Error"}; no
  answer within the integration timeout -> 503 {"message":"Service Unavailable"}.

    front = HttpApiFront(emulator_invoker(emu), ["POST /images", "GET /images/{id+}"],
                         cors=Cors(allow_origins=["*"])).start()
    print(front.url)   # http://127.0.0.1:PORT
    front.stop()

It binds loopback addresses only.
"""

import base64
import binascii
import json
import re
import secrets
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from loopback import LoopbackServer

MAX_BODY = 10 * 1024 * 1024  # HTTP API quota: payload size 10 MB
MAX_HEAD = 10240  # HTTP API quota: request line and header values, combined
MAX_EVENT = 6 * 1024 * 1024  # Lambda: synchronous invocation payload
TEXT_TYPES = ("application/json", "application/xml", "application/javascript")

NOT_FOUND = (404, "Not Found")
BAD_REQUEST = (400, "Bad Request")
TOO_LARGE = (413, "Request Entity Too Large")
EVENT_TOO_LARGE = (413, "Request Too Long")
HEAD_TOO_LARGE = (431, "Request Header Fields Too Large")
INTERNAL = (500, "Internal Server Error")
UNAVAILABLE = (503, "Service Unavailable")


@dataclass
class Cors:
    """An HTTP API's cors_configuration (terraform: aws_apigatewayv2_api.cors_configuration)."""

    allow_origins: list = field(default_factory=lambda: ["*"])
    allow_methods: list = field(default_factory=lambda: ["GET", "POST", "OPTIONS"])
    allow_headers: list = field(default_factory=list)
    expose_headers: list = field(default_factory=list)
    max_age: int = 0
    allow_credentials: bool = False

    def origin_allowed(self, origin):
        for allowed in self.allow_origins:
            if allowed == "*" or allowed == origin:
                return True
            # "https://*" and "http://*": any origin of that scheme.
            if allowed.endswith("://*") and origin.startswith(allowed[:-1]):
                return True
        return False

    def allow_origin_value(self, origin):
        return "*" if "*" in self.allow_origins and not self.allow_credentials else origin


class Route:
    """One route key: "GET /images/{id+}", "ANY /x", or "$default"."""

    def __init__(self, key):
        self.key = key
        if key == "$default":
            self.method, self.regex, self.names, self.rank = "ANY", re.compile(".*"), [], (0, 0, 0)
            return
        self.method, path = key.split(" ", 1)
        pattern, self.names, literal, greedy = "", [], 0, False
        for seg in path.strip("/").split("/"):
            m = re.fullmatch(r"\{([A-Za-z0-9_]+)(\+?)\}", seg)
            if m:
                self.names.append(m.group(1))
                greedy = greedy or bool(m.group(2))
                pattern += "/(.+)" if m.group(2) else "/([^/]+)"
            else:
                literal += 1
                pattern += "/" + re.escape(seg)
        self.regex = re.compile(pattern or "/")
        # API Gateway prefers a full match to a greedy one, then literal segments, then a
        # method to ANY.
        self.rank = (1, 0 if greedy else 1, literal, 0 if self.method == "ANY" else 1)

    def match(self, method, path):
        """@return the path parameters (a dict) when this route takes the request, else None."""
        if self.method not in ("ANY", method):
            return None
        m = self.regex.fullmatch(path)
        return dict(zip(self.names, m.groups())) if m else None


class RequestError(Exception):
    """A request API Gateway answers itself: (status, message)."""

    def __init__(self, answer):
        super().__init__(answer[1])
        self.answer = answer


def decode_raw_path(path):
    """rawPath as API Gateway builds it: every percent-escape decoded except %25."""
    def run(m):
        out, pending = [], bytearray()
        for i in range(0, len(m.group(0)), 3):
            byte = int(m.group(0)[i + 1:i + 3], 16)
            if byte == 0x25:
                out.append(pending.decode("utf-8", "replace") + "%25")
                pending.clear()
            else:
                pending.append(byte)
        out.append(pending.decode("utf-8", "replace"))
        return "".join(out)
    return re.sub(r"(?:%[0-9A-Fa-f]{2})+", run, path)


def body_is_text(content_type):
    ct = (content_type or "").split(";", 1)[0].strip().lower()
    return ct.startswith("text/") or ct in TEXT_TYPES


def emulator_invoker(emulator):
    """An `invoke` for HttpApiFront: the event through a RuntimeEmulator to its runtime."""
    def invoke(event, timeout):
        r = emulator.invoke(event, timeout=timeout)
        return r.kind, r.body
    return invoke


def response_from_function(kind, payload):
    """(status, [(name, value)], body bytes) from what the function posted."""
    if kind != "response":
        raise RequestError(INTERNAL)
    try:
        doc = json.loads(payload)
    except ValueError:
        raise RequestError(INTERNAL) from None
    if not isinstance(doc, dict) or "statusCode" not in doc:
        # Payload 2.0: valid JSON without a statusCode is the body of a 200.
        return 200, [("Content-Type", "application/json")], payload
    status, headers, cookies = doc.get("statusCode"), doc.get("headers") or {}, doc.get("cookies") or []
    body = doc.get("body")
    if (isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599 or
            not isinstance(headers, dict) or not isinstance(cookies, list) or
            not (body is None or isinstance(body, str))):
        raise RequestError(INTERNAL)
    out = []
    for name, value in headers.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, (str, int, float)) or not re.fullmatch(r"[!#-'*+.0-9A-Z^-z|~-]+", name):
            raise RequestError(INTERNAL)
        out.append((name, str(value)))
    out += [("Set-Cookie", str(c)) for c in cookies]
    if any(re.search(r"[\r\n]", v) for _, v in out):
        raise RequestError(INTERNAL)
    data = (body or "").encode("utf-8")
    if doc.get("isBase64Encoded") and body:
        try:
            data = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise RequestError(INTERNAL) from None
    return status, out, data


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # a client that stops sending mid-request is dropped

    def version_string(self):
        return "thumbkit-http-api-front"

    def log_message(self, fmt, *args):
        if self.server.front.verbose:
            sys.stderr.write("http-api-front: " + (fmt % args) + "\n")

    # Every method goes through routing: an unknown one finds no route (404), as on AWS.
    def __getattr__(self, name):
        if name.startswith("do_"):
            return self.handle_request
        raise AttributeError(name)

    def parse_request(self):
        if not super().parse_request():
            return False
        if self.request_version not in ("HTTP/1.0", "HTTP/1.1"):
            self.request_version = "HTTP/1.0"
            self.send_error(400)
            return False
        return True

    def send_error(self, code, message=None, explain=None):
        # http.server's own rejections (bad request line, too many headers, ...), as JSON.
        if code in (414, 431):
            answer = HEAD_TOO_LARGE
        elif code == 413:
            answer = TOO_LARGE
        else:
            answer = BAD_REQUEST
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"
        self.close_connection = True
        self.reply_message(answer)

    def reply(self, status, headers, body):
        self.send_response(status)
        names = set()
        for name, value in headers:
            names.add(name.lower())
            self.send_header(name, value)
        if "content-length" not in names:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Apigw-Requestid", self.request_id)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def reply_message(self, answer, extra=()):
        status, message = answer
        body = json.dumps({"message": message}, separators=(",", ":")).encode()
        self.reply(status, [("Content-Type", "application/json")] + list(extra), body)

    @property
    def request_id(self):
        if not getattr(self, "_request_id", None):
            self._request_id = secrets.token_urlsafe(12)
        return self._request_id

    def handle_request(self):
        self._request_id = None
        front = self.server.front
        try:
            self.check_head()
            origin = self.headers.get("Origin")
            path, _, query = self.path.partition("?")
            if front.cors and self.command == "OPTIONS" and origin and \
                    self.headers.get("Access-Control-Request-Method"):
                self.discard_body()
                return self.reply(204, front.preflight_headers(origin), b"")
            body = self.read_body()  # read before routing: the connection stays usable
            route, params = front.route(self.command, path)
            event = front.event(self, route, params, path, query, body)
            status, headers, data = front.call(event)
            self.reply(status, front.cors_headers(origin, headers), data)
        except RequestError as e:
            self.reply_message(e.answer, front.cors_headers(self.headers.get("Origin"), []))

    def check_head(self):
        if not self.path.startswith("/") or re.search(r"[\x00-\x20\x7f-\xff]", self.path):
            raise RequestError(BAD_REQUEST)
        if self.request_version == "HTTP/1.1" and not self.headers.get("Host"):
            raise RequestError(BAD_REQUEST)
        size = len(self.requestline) + sum(len(v) for v in self.headers.values())
        if size > MAX_HEAD:
            self.close_connection = True
            raise RequestError(HEAD_TOO_LARGE)

    def content_length(self):
        values = self.headers.get_all("Content-Length") or []
        if not values:
            return None
        if len(set(v.strip() for v in values)) != 1 or not values[0].strip().isdigit():
            self.close_connection = True
            raise RequestError(BAD_REQUEST)
        return int(values[0])

    def read_body(self):
        te = self.headers.get("Transfer-Encoding")
        n = self.content_length()
        if te is not None:
            if n is not None or te.strip().lower() != "chunked":
                self.close_connection = True
                raise RequestError(BAD_REQUEST)
            return self.read_chunked()
        if n is None:
            return b""
        if n > MAX_BODY:
            self.close_connection = True  # the body is never read
            raise RequestError(TOO_LARGE)
        data = self.rfile.read(n)
        if len(data) != n:
            self.close_connection = True
            raise RequestError(BAD_REQUEST)
        return data

    def read_chunked(self):
        out = bytearray()
        while True:
            line = self.rfile.readline(1024)
            size = line.split(b";", 1)[0].strip()
            if not line.endswith(b"\n") or not re.fullmatch(rb"[0-9A-Fa-f]{1,8}", size):
                self.close_connection = True
                raise RequestError(BAD_REQUEST)
            n = int(size, 16)
            if len(out) + n > MAX_BODY:
                self.close_connection = True
                raise RequestError(TOO_LARGE)
            if n == 0:
                break
            chunk = self.rfile.read(n)
            if len(chunk) != n or self.rfile.readline(3) not in (b"\r\n", b"\n"):
                self.close_connection = True
                raise RequestError(BAD_REQUEST)
            out += chunk
        while self.rfile.readline(MAX_HEAD) not in (b"\r\n", b"\n", b""):  # trailers
            pass
        return bytes(out)

    def discard_body(self):
        try:
            self.read_body()
        except RequestError:
            self.close_connection = True


class HttpApiFront(LoopbackServer):
    """API Gateway HTTP API (payload format 2.0) on a loopback port."""

    def __init__(self, invoke, routes, cors=None, host="127.0.0.1", port=0, timeout_s=30.0,
                 api_id="local", account_id="123456789012", verbose=False):
        super().__init__(_Handler, host, port)
        self.server.front = self
        self.invoke = invoke
        self.routes = [Route(r) for r in routes]
        self.cors = cors
        self.timeout_s = timeout_s
        self.api_id = api_id
        self.account_id = account_id
        self.verbose = verbose
        self.invocations = 0
        self._lock = threading.Lock()

    # ---- routing and CORS ----------------------------------------------------------------

    def route(self, method, path):
        best = None
        for r in self.routes:
            params = r.match(method, "/" + path.lstrip("/"))
            if params is not None and (best is None or r.rank > best[0].rank):
                best = (r, params)
        if best is None:
            raise RequestError(NOT_FOUND)
        return best

    def preflight_headers(self, origin):
        c = self.cors
        if not c.origin_allowed(origin):
            return []
        h = [("Access-Control-Allow-Origin", c.allow_origin_value(origin)),
             ("Access-Control-Allow-Methods", ",".join(c.allow_methods))]
        if c.allow_headers:
            h.append(("Access-Control-Allow-Headers", ",".join(c.allow_headers)))
        if c.max_age:
            h.append(("Access-Control-Max-Age", str(c.max_age)))
        if c.allow_credentials:
            h.append(("Access-Control-Allow-Credentials", "true"))
        return h

    def cors_headers(self, origin, headers):
        """The function's headers with API Gateway's CORS handling applied."""
        if not self.cors:
            return headers
        out = [(n, v) for n, v in headers if not n.lower().startswith("access-control-")]
        if origin and self.cors.origin_allowed(origin):
            out.append(("Access-Control-Allow-Origin", self.cors.allow_origin_value(origin)))
            if self.cors.expose_headers:
                out.append(("Access-Control-Expose-Headers", ",".join(self.cors.expose_headers)))
            if self.cors.allow_credentials:
                out.append(("Access-Control-Allow-Credentials", "true"))
        return out

    # ---- the event and the call ------------------------------------------------------------

    def event(self, req, route, params, path, query, body):
        headers, cookies = {}, []
        for name, value in req.headers.items():
            name = name.lower()
            if name == "cookie":
                cookies += [c.strip() for c in value.split(";") if c.strip()]
            else:
                headers[name] = headers[name] + "," + value if name in headers else value
        client = req.client_address[0]
        headers.setdefault("x-forwarded-for", client)
        headers["x-forwarded-port"] = str(self.port)
        headers["x-forwarded-proto"] = "http"
        headers["x-amzn-trace-id"] = "Root=1-%08x-%s" % (int(time.time()), secrets.token_hex(12))
        headers.pop("transfer-encoding", None)
        if body or "content-length" in headers:
            headers["content-length"] = str(len(body))
        now = time.time()
        raw_path = decode_raw_path(path)
        ev = {
            "version": "2.0",
            "routeKey": route.key,
            "rawPath": raw_path,
            "rawQueryString": query,
            "headers": headers,
            "requestContext": {
                "accountId": self.account_id,
                "apiId": self.api_id,
                "domainName": req.headers.get("Host", "localhost"),
                "domainPrefix": req.headers.get("Host", "localhost").split(".")[0],
                "http": {"method": req.command, "path": raw_path, "protocol": req.request_version,
                         "sourceIp": client, "userAgent": req.headers.get("User-Agent", "")},
                "requestId": req.request_id,
                "routeKey": route.key,
                "stage": "$default",
                "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
                "timeEpoch": int(now * 1000),
            },
            "isBase64Encoded": False,
        }
        if cookies:
            ev["cookies"] = cookies
        if query:
            qs = {}
            for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True):
                qs[k] = qs[k] + "," + v if k in qs else v
            ev["queryStringParameters"] = qs
        if params:
            ev["pathParameters"] = {k: urllib.parse.unquote(v) for k, v in params.items()}
        if body:
            if body_is_text(headers.get("content-type")):
                ev["body"] = body.decode("utf-8", "replace")
            else:
                ev["body"] = base64.b64encode(body).decode("ascii")
                ev["isBase64Encoded"] = True
        return ev

    def call(self, event):
        """Invoke the function with @p event: @return (status, headers, body)."""
        payload = json.dumps(event).encode()
        if len(payload) > MAX_EVENT:
            raise RequestError(EVENT_TOO_LARGE)
        with self._lock:
            self.invocations += 1
        try:
            kind, answer = self.invoke(payload, self.timeout_s)
        except TimeoutError:
            raise RequestError(UNAVAILABLE) from None
        return response_from_function(kind, answer)
