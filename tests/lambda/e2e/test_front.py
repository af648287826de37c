"""The local HTTP API front (tests/lambda/emulator/http_api_front.py): real HTTP over
loopback in, API Gateway HTTP API behaviour out.

Gateway: in front of the real `bootstrap` (the API function under the Runtime API emulator,
moto behind it), with the routes and CORS configuration of terraform/api.tf: what API Gateway
answers itself (unknown routes, preflights, limits, malformed HTTP) never reaches the function;
what the function answers comes back as HTTP, its CORS headers replaced by the API's.

Mapping: the event the front builds and the way it reads a response, against a scripted
function. The real function never sends cookies, base64 bodies or a bare JSON value, never
fails and never hangs on purpose, so these cases need a stand-in that does; it is a plain
callable in place of the Runtime API emulator, over the same HTTP front.

Environment (set by ctest): TK_BOOTSTRAP, TK_TEST_DATA.
Run one suite: python3 test_front.py -v Gateway
"""

import base64
import json
import os
import shutil
import socket
import sys
import tempfile
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import localaws as L  # noqa: E402
import localapi  # noqa: E402
from http_api_front import HttpApiFront, emulator_invoker  # noqa: E402

BOOTSTRAP = os.environ.get("TK_BOOTSTRAP", "")
DATA = os.environ.get("TK_TEST_DATA", os.path.join(HERE, "..", "..", "data"))
PAGE = "http://page.example:8751"


def raw(front, data, timeout=20):
    """Send @p data as is; @return (status, {lower-case name: [values]}, body) of the answer."""
    with socket.create_connection(("127.0.0.1", front.port), timeout=timeout) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(lines[0].split()[1]), headers, body


def request(front, method, path, body=None, headers=None):
    """One HTTP request (urllib): @return (status, {lower-case name: value}, body)."""
    status, h, data = L.http(method, front.url + path, body, headers or {})
    return status, {k.lower(): v for k, v in h.items()}, data


@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class Gateway(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        L.require_moto()
        cls.tmp = tempfile.mkdtemp(prefix="tk-front-")
        cls.moto = L.MotoServer()
        cls.emu = L.RuntimeEmulator()
        cls.boot = cls.front = None
        try:
            cls.moto.start(cls.tmp)
            cls.s3 = cls.moto.client("s3")
            for b in ("uploads", "thumbs"):
                cls.s3.create_bucket(Bucket=b)
            L.create_table(cls.moto, "ImageMetadata")
            cls.emu.start()
            env = L.runtime_env(cls.moto.url, "thumbs", {
                "UPLOAD_BUCKET": "uploads", "METADATA_TABLE": "ImageMetadata",
                # The function's own CORS header, which the API's configuration replaces.
                "CORS_ALLOW_ORIGIN": "https://function.example"})
            cls.boot = L.Bootstrap(BOOTSTRAP, cls.emu, env).start()
            cls.front = HttpApiFront(emulator_invoker(cls.emu), localapi.API_ROUTES,
                                     cors=localapi.api_cors(PAGE)).start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.front:
            cls.front.stop()
        if cls.boot:
            cls.boot.stop()
        cls.emu.stop()
        cls.moto.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if cls.boot:
            text = "\n".join(cls.boot.lines) + cls.boot.stderr.decode("utf-8", "replace")
            assert "Sanitizer" not in text and "runtime error:" not in text, text

    def assert_gateway_answer(self, answer, status, message, before):
        st, headers, body = answer
        self.assertEqual(st, status, body)
        self.assertEqual(json.loads(body), {"message": message})
        self.assertEqual(self.front.invocations, before, "the function must not be invoked")
        return headers

    def test_unknown_routes_are_404_without_invocation(self):
        before = self.front.invocations
        for method, path in (("GET", "/nothing"), ("DELETE", "/images"), ("POST", "/images/x.jpg"),
                             ("GET", "/images/"), ("PUT", "/images"), ("HEAD", "/"), ("GET", "/")):
            st, h, body = request(self.front, method, path)
            self.assertEqual(st, 404, (method, path))
            if method != "HEAD":
                self.assertEqual(body, b'{"message":"Not Found"}')
            self.assertEqual(h["content-type"], "application/json")
            self.assertTrue(h.get("apigw-requestid"))
        st, h, body = raw(self.front, b"BREW /images HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual((st, body), (404, b'{"message":"Not Found"}'))
        self.assertEqual(self.front.invocations, before)

    def test_preflight_is_answered_by_the_gateway(self):
        before = self.front.invocations
        st, h, body = request(self.front, "OPTIONS", "/images", headers={
            "Origin": PAGE, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        self.assertEqual((st, body), (204, b""))
        self.assertEqual(h["access-control-allow-origin"], PAGE)
        self.assertEqual(h["access-control-allow-methods"], "GET,POST,OPTIONS")
        self.assertEqual(h["access-control-allow-headers"], "content-type,authorization")
        self.assertEqual(h["access-control-max-age"], "600")
        # Another origin: no CORS headers, the browser refuses.
        st, h, _ = request(self.front, "OPTIONS", "/images", headers={
            "Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
        self.assertEqual(st, 204)
        self.assertNotIn("access-control-allow-origin", h)
        # Not a preflight: routed like any request, and no OPTIONS route exists.
        st, _, body = request(self.front, "OPTIONS", "/images")
        self.assertEqual((st, body), (404, b'{"message":"Not Found"}'))
        self.assertEqual(self.front.invocations, before)

    def test_reserve_through_the_front_with_the_apis_cors(self):
        body = json.dumps({"contentType": "image/jpeg", "contentLength": 1234}).encode()
        st, h, out = request(self.front, "POST", "/images", body,
                             {"Content-Type": "application/json", "Origin": PAGE})
        self.assertEqual(st, 201, out)
        doc = json.loads(out)
        self.assertEqual(h["location"], "/images/" + doc["imageId"])
        self.assertEqual(h["content-type"], "application/json")
        self.assertEqual(h["cache-control"], "no-store")
        self.assertEqual(h["access-control-allow-origin"], PAGE, "the API's origin, not the function's")
        self.assertEqual(h["access-control-expose-headers"], "location")
        self.assertEqual(doc["upload"]["method"], "PUT")
        # Without an Origin header, no CORS header at all (the function's are dropped).
        st, h, _ = request(self.front, "POST", "/images", body, {"Content-Type": "application/json"})
        self.assertEqual(st, 201)
        self.assertFalse([k for k in h if k.startswith("access-control-")], h)

    def test_binary_body_reaches_the_function_intact(self):
        with open(os.path.join(DATA, "pngsuite", "basn6a08.png"), "rb") as f:
            png = f.read()
        st, _, out = request(self.front, "POST", "/images", png, {"Content-Type": "image/png"})
        self.assertEqual(st, 201, out)
        doc = json.loads(out)
        self.assertEqual((doc["status"], doc["bytes"]), ("uploaded", len(png)))
        stored = self.s3.get_object(Bucket="uploads", Key=doc["imageId"])["Body"].read()
        self.assertEqual(stored, png)

    def test_chunked_body(self):
        body = json.dumps({"contentType": "image/png", "contentLength": 99}).encode()
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 7]), body[i:i + 7]) for i in range(0, len(body), 7))
        st, _, out = raw(self.front, b"POST /images HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n")
        self.assertEqual(st, 201, out)
        self.assertEqual(json.loads(out)["contentLength"], 99)

    def test_function_answers_pass_through(self):
        st, _, out = request(self.front, "GET", "/images?limit=0")
        self.assertEqual(st, 400)
        self.assertEqual(json.loads(out)["error"]["code"], "InvalidLimit")
        st, _, out = request(self.front, "GET", "/images/" + urllib.parse.quote("uploads/none here.jpg"))
        self.assertEqual(st, 404)
        self.assertEqual(json.loads(out)["error"]["code"], "NotFound", "the function's 404, not the gateway's")
        self.assertIn("uploads/none here.jpg", json.loads(out)["error"]["message"])
        st, _, out = request(self.front, "GET", "/images?limit=2")
        self.assertEqual(st, 200)
        self.assertIn("items", json.loads(out))

    def test_too_large(self):
        before = self.front.invocations
        # Over API Gateway's 10 MB: refused from the header, the body never read.
        h = self.assert_gateway_answer(raw(self.front, b"POST /images HTTP/1.1\r\nHost: x\r\n"
                                           b"Content-Type: image/jpeg\r\nContent-Length: 10485761\r\n\r\n"),
                                       413, "Request Entity Too Large", before)
        self.assertEqual(h["connection"], ["close"])
        # Under 10 MB but over Lambda's 6 MB once base64 and the event are counted.
        body = b"\xff\xd8\xff" + bytes(5 * 1024 * 1024)
        st, _, out = request(self.front, "POST", "/images", body, {"Content-Type": "image/jpeg"})
        self.assert_gateway_answer((st, None, out), 413, "Request Too Long", before)
        # Request line and headers over 10240 bytes.
        self.assert_gateway_answer(raw(self.front, b"GET /images HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                       b"a" * 10300 + b"\r\n\r\n"),
                                   431, "Request Header Fields Too Large", before)

    def test_malformed_http_is_400(self):
        before = self.front.invocations
        for data in (b"GARBAGE\r\n\r\n",
                     b"GET /images HTTP/9.9\r\nHost: x\r\n\r\n",
                     b"GET /images HTTP/2.0\r\nHost: x\r\n\r\n",
                     b"GET /images\r\n\r\n",  # HTTP/0.9
                     b"GET /images HTTP/1.1\r\n\r\n",  # no Host
                     b"GET images HTTP/1.1\r\nHost: x\r\n\r\n",
                     b"GET http://x/images HTTP/1.1\r\nHost: x\r\n\r\n",
                     b"POST /images HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                     b"POST /images HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab",
                     b"POST /images HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc",  # short body
                     b"POST /images HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
                     b"POST /images HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     b"Content-Length: 5\r\n\r\n0\r\n\r\n",
                     b"POST /images HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"):
            with self.subTest(data=data[:60]):
                self.assert_gateway_answer(raw(self.front, data), 400, "Bad Request", before)

    def test_loopback_only(self):
        for host in ("0.0.0.0", "::"):
            with self.assertRaises(ValueError):
                HttpApiFront(lambda e, t: None, ["GET /"], host=host)
        self.assertTrue(self.front.url.startswith("http://127.0.0.1:"))


class Scripted:
    """A stand-in function: records each event and answers from a queue of (kind, payload)
    or exceptions."""

    def __init__(self):
        self.events, self.answers = [], []

    def __call__(self, payload, timeout):
        self.events.append(json.loads(payload))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        kind, doc = answer
        return kind, doc if isinstance(doc, bytes) else json.dumps(doc).encode()


class Mapping(unittest.TestCase):
    def setUp(self):
        self.fn = Scripted()
        self.front = HttpApiFront(self.fn, ["GET /things/{rest+}", "GET /a/{x}", "GET /a/{x+}", "ANY /any",
                                            "POST /body", "$default"]).start()

    def tearDown(self):
        self.front.stop()

    def call(self, method, path, body=None, headers=None, answer=("response", {"statusCode": 200})):
        self.fn.answers.append(answer)
        st, h, data = raw(self.front, b"%s %s HTTP/1.1\r\nHost: api.local\r\n%s%s\r\n%s" % (
            method.encode(), path.encode(), b"".join(b"%s: %s\r\n" % (k.encode(), v.encode())
                                                     for k, v in (headers or [])),
            b"Content-Length: %d\r\n" % len(body) if body is not None else b"", body or b""))
        return st, h, data, (self.fn.events[-1] if self.fn.events else None)

    def test_event_shape(self):
        _, _, _, ev = self.call("GET", "/things/a%20b/c%25d%2Fe?x=1&x=2&y=%20z", headers=[
            ("Cookie", "a=1; b=2"), ("X-Dup", "1"), ("X-Dup", "2"), ("User-Agent", "tests")])
        self.assertEqual(ev["version"], "2.0")
        self.assertEqual(ev["routeKey"], "GET /things/{rest+}")
        self.assertEqual(ev["rawPath"], "/things/a b/c%25d/e")
        self.assertEqual(ev["rawQueryString"], "x=1&x=2&y=%20z")
        self.assertEqual(ev["queryStringParameters"], {"x": "1,2", "y": " z"})
        self.assertEqual(ev["cookies"], ["a=1", "b=2"])
        self.assertEqual(ev["pathParameters"], {"rest": "a b/c%d/e"})
        h = ev["headers"]
        self.assertEqual(h["x-dup"], "1,2")
        self.assertNotIn("cookie", h)
        self.assertEqual((h["host"], h["x-forwarded-proto"], h["x-forwarded-for"]), ("api.local", "http", "127.0.0.1"))
        self.assertRegex(h["x-amzn-trace-id"], r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$")
        rc = ev["requestContext"]
        self.assertEqual((rc["http"]["method"], rc["http"]["path"], rc["http"]["userAgent"]),
                         ("GET", "/things/a b/c%25d/e", "tests"))
        self.assertEqual((rc["stage"], rc["routeKey"], rc["domainName"]), ("$default", "GET /things/{rest+}", "api.local"))
        self.assertRegex(rc["time"], r"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000$")
        self.assertTrue(rc["requestId"])
        self.assertNotIn("body", ev)
        self.assertFalse(ev["isBase64Encoded"])
        _, _, _, ev = self.call("GET", "/any")
        self.assertNotIn("queryStringParameters", ev)
        self.assertNotIn("cookies", ev)
        self.assertNotIn("pathParameters", ev)

    def test_text_bodies_as_text_and_others_as_base64(self):
        for ctype, text in (("text/plain; charset=utf-8", True), ("application/json", True),
                            ("application/xml", True), ("application/javascript", True),
                            ("application/x-www-form-urlencoded", False), ("image/png", False),
                            ("application/octet-stream", False), (None, False)):
            body = "héllo wörld".encode()
            _, _, _, ev = self.call("POST", "/body", body, [("Content-Type", ctype)] if ctype else [])
            with self.subTest(ctype=ctype):
                self.assertEqual(ev["isBase64Encoded"], not text)
                got = ev["body"].encode() if text else base64.b64decode(ev["body"])
                self.assertEqual(got, body)
                self.assertEqual(ev["headers"]["content-length"], str(len(body)))

    def test_routes_prefer_the_most_specific(self):
        for path, key in (("/a/b", "GET /a/{x}"), ("/a/b/c", "GET /a/{x+}"), ("/zzz", "$default"),
                          ("/any", "ANY /any")):
            _, _, _, ev = self.call("GET", path)
            self.assertEqual(ev["routeKey"], key, path)
        _, _, _, ev = self.call("DELETE", "/any")
        self.assertEqual(ev["routeKey"], "ANY /any")

    def test_response_object(self):
        png = bytes(range(256))
        st, h, body, _ = self.call("GET", "/any", answer=("response", {
            "statusCode": 418, "headers": {"X-One": "1", "X-Flag": True, "Content-Type": "image/png"},
            "cookies": ["a=1; Path=/", "b=2; HttpOnly"], "isBase64Encoded": True,
            "body": base64.b64encode(png).decode()}))
        self.assertEqual(st, 418)
        self.assertEqual(body, png)
        self.assertEqual(h["set-cookie"], ["a=1; Path=/", "b=2; HttpOnly"])
        self.assertEqual((h["x-one"], h["x-flag"], h["content-type"]), (["1"], ["true"], ["image/png"]))
        self.assertEqual(h["content-length"], [str(len(png))])
        st, h, body, _ = self.call("HEAD", "/any", answer=("response", {"statusCode": 200, "body": "abc"}))
        self.assertEqual((st, body, h["content-length"]), (200, b"", ["3"]))

    def test_json_without_status_code_is_a_200(self):
        for doc in ({"hello": "world"}, "just a string", [1, 2]):
            st, h, body, _ = self.call("GET", "/any", answer=("response", doc))
            self.assertEqual((st, h["content-type"]), (200, ["application/json"]))
            self.assertEqual(json.loads(body), doc)

    def test_function_failures(self):
        for answer, status, message in (
                (("error", {"errorMessage": "boom", "errorType": "Runtime.Error"}), 500, "Internal Server Error"),
                (("response", b"not json"), 500, "Internal Server Error"),
                (("response", {"statusCode": "200"}), 500, "Internal Server Error"),
                (("response", {"statusCode": 700}), 500, "Internal Server Error"),
                (("response", {"statusCode": 200, "headers": {"X": "a\r\nInjected: 1"}}), 500, "Internal Server Error"),
                (("response", {"statusCode": 200, "isBase64Encoded": True, "body": "%%%"}), 500, "Internal Server Error"),
                (TimeoutError("slow"), 503, "Service Unavailable")):
            with self.subTest(answer=answer):
                st, h, body, _ = self.call("GET", "/any", answer=answer)
                self.assertEqual((st, json.loads(body)), (status, {"message": message}))
                self.assertNotIn("injected", h)


if __name__ == "__main__":
    unittest.main()
