"""End-to-end tests of the Lambda `bootstrap` against a local AWS (moto server).

Each suite starts its own moto_server on a free loopback port and the project's Runtime
API emulator, creates buckets with S3 -> SQS notifications, uploads real images, takes
the notifications moto put on the queue and feeds them to the real `bootstrap` as SQS
batch events and as direct S3 events. Thumbnails are compared byte for byte with the
ones tk_thumbnail() makes locally with the same configuration (tk_e2e_reference).

Environment (set by ctest): TK_BOOTSTRAP, TK_E2E_REFERENCE, TK_TEST_DATA.
Run one suite: python3 test_e2e.py -v Pipeline
"""

import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
from http.server import ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import localaws as L  # noqa: E402

L.require_moto()

BOOTSTRAP = os.environ.get("TK_BOOTSTRAP", "")
REFERENCE = os.environ.get("TK_E2E_REFERENCE", "")
DATA = os.environ.get("TK_TEST_DATA", os.path.join(HERE, "..", "..", "data"))
PREFIX = "thumbnails/"

# A JPEG signature followed by garbage: sniffed as JPEG, cannot be decoded.
CORRUPT_JPEG = b"\xff\xd8\xff\xdb\x00\x43\x00" + bytes(range(7, 250)) * 4
# A 1x1 GIF, a format thumbkit names but does not read (issue 11: skipped with a clear reason).
GIF_1PX = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
           b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

def data_file(*parts):
    return os.path.join(DATA, *parts)


def quote_key(key):
    """SigV4-style percent-encoding (what bootstrap stores in x-amz-meta-source-key)."""
    return urllib.parse.quote(key.encode("utf-8"), safe="/~")


def reference(path, env, tmpdir):
    """Run tk_e2e_reference: @return (status, bytes or None, info dict)."""
    out = os.path.join(tmpdir, "ref-%d" % abs(hash(path)))
    r = subprocess.run([REFERENCE, path, out], env=env, capture_output=True, timeout=60)
    if r.returncode not in (0, 3):
        raise RuntimeError(f"reference failed for {path}: {r.stderr.decode()}")
    info = json.loads(r.stdout.decode().strip().splitlines()[-1])
    if info["status"] != "ok":
        return info["status"], None, info
    with open(out, "rb") as f:
        return "ok", f.read(), info


class Base(unittest.TestCase):
    """Shared checks on what bootstrap printed."""

    secrets = (L.SECRET_KEY,)

    def assert_clean_output(self, boot):
        for line in boot.lines:
            try:
                json.loads(line)
            except ValueError:
                self.fail(f"stdout line is not JSON: {line!r}")
        everything = "\n".join(boot.lines) + boot.stderr.decode("utf-8", "replace")
        self.assertNotIn("Sanitizer", everything, "a sanitizer reported a problem")
        self.assertNotIn("runtime error:", everything, "UBSan reported a problem")
        if boot.proc.poll() is not None:
            # 1: it exited because the Runtime API went away (or init failed), not by a signal
            self.assertEqual(boot.proc.returncode, 1, boot.stderr.decode("utf-8", "replace"))
        for s in self.secrets:
            self.assertNotIn(s, everything, "a secret appears in the logs")
        self.assertNotIn("Signature=", everything, "a request signature appears in the logs")

    def wait_emf(self, boot, count, timeout=10):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            emf = boot.emf()
            if len(emf) >= count:
                return emf
            time.sleep(0.02)
        self.fail(f"expected {count} EMF lines, got {len(boot.emf())}")


@unittest.skipUnless(BOOTSTRAP and REFERENCE, "TK_BOOTSTRAP/TK_E2E_REFERENCE not set")
class Pipeline(Base):
    """Uploads -> S3 notifications on SQS -> bootstrap -> thumbnails, compared with tk_thumbnail."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tk-e2e-")
        cls.moto = L.MotoServer().start(cls.tmp)
        cls.emu = L.RuntimeEmulator().start()
        cls.qurl = L.setup_pipeline(cls.moto, "uploads", "thumbs", "thumbs-q",
                                    suffixes=(".jpg", ".png", ".heic", ".AVIF", ".webp"))
        s3 = cls.moto.client("s3")

        uploads = {}  # key -> local path (or bytes)
        for name in sorted(os.listdir(data_file("exif-orientation"))):
            if name.endswith(".jpg"):
                uploads["orient/" + name] = data_file("exif-orientation", name)
        for name in ("exif-samples__DSCN0010.jpg", "libjpeg-turbo__testorig.jpg",
                     "libjpeg-turbo__testimgint.jpg", "metadata-extractor-images__beach.jpg",
                     "thumbor__grayscale-icc.jpg"):
            uploads["jpeg/" + name] = data_file("jpeg", name)
        for name in ("basn0g08.png", "basn2c08.png", "basn6a08.png", "basi0g08.png",
                     "basn3p04.png", "basn4a16.png"):
            uploads["png/" + name] = data_file("pngsuite", name)
        # Odd keys.
        # the formats phones and browsers upload, and a profile to convert (issue 11)
        cls.formats = {"formats/iphone.heic": ("heic", "immich-test-assets__IMG_2682.heic"),
                       "formats/photo.AVIF": ("avif", "immich-test-assets__8bit-sRGB.avif"),
                       "formats/web.webp": ("webp", "metadata-extractor-images__Alpha_Lossy_1.webp"),
                       "formats/adobe-rgb.jpg": ("icc", "metadata-extractor-images__Canon_EOS_7D.jpg")}
        for key, (folder, name) in cls.formats.items():
            uploads[key] = data_file(folder, name)
        uploads["with space/a b.jpg"] = data_file("exif-orientation", "Landscape_1.jpg")
        uploads["plus+sign=1&x (2).jpg"] = data_file("exif-orientation", "Portrait_3.jpg")
        uploads["你家娃🐱.png"] = data_file("pngsuite", "basn6a08.png")
        uploads["a/b/c/d/x.jpg"] = data_file("exif-orientation", "Portrait_6.jpg")
        # Not an image, a format thumbkit does not read, a corrupt image, and a suffix that is
        # not notified at all.
        cls.not_image = "docs/notes.jpg"
        cls.unsupported = "anim/dot.jpg"
        cls.corrupt = "broken/corrupt.jpg"
        blobs = {cls.not_image: b"this is plain text, not a picture\n" * 20,
                 cls.unsupported: GIF_1PX,
                 cls.corrupt: CORRUPT_JPEG}
        for k, b in blobs.items():
            path = os.path.join(cls.tmp, "blob-%d" % len(uploads))
            with open(path, "wb") as f:
                f.write(b)
            uploads[k] = path
        s3.put_object(Bucket="uploads", Key="readme.txt", Body=b"not notified")

        cls.env = L.runtime_env(cls.moto.url, "thumbs")
        cls.expect = {}  # key -> (status, reference bytes, info)
        for key, path in uploads.items():
            with open(path, "rb") as f:
                s3.put_object(Bucket="uploads", Key=key, Body=f.read())
            cls.expect[key] = reference(path, cls.env, cls.tmp)
        cls.messages = L.drain_queue(cls.moto, cls.qurl, len(uploads))
        cls.boot = L.Bootstrap(BOOTSTRAP, cls.emu, cls.env).start()

    @classmethod
    def tearDownClass(cls):
        cls.boot.stop()
        cls.emu.stop()
        cls.moto.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def classify(self):
        ok = {k for k, v in self.expect.items() if v[0] == "ok"}
        skipped = {k for k, v in self.expect.items() if v[0] == "not_an_image"} | {self.unsupported}
        failed = set(self.expect) - ok - skipped
        return ok, skipped, failed

    def check_outputs(self, logs_since):
        s3 = self.moto.client("s3")
        ok, skipped, failed = self.classify()
        self.assertGreaterEqual(len(ok), 25, "the corpus should mostly produce thumbnails")
        self.assertIn(self.not_image, skipped)
        self.assertEqual(self.expect[self.unsupported][0], "unsupported")
        self.assertIn(self.corrupt, failed)
        listed = {o["Key"] for o in s3.list_objects_v2(Bucket="thumbs").get("Contents", [])}
        self.assertEqual(listed, {PREFIX + k + ".jpg" for k in ok},
                         "exactly the good images have thumbnails, nothing partial or extra")
        for key in sorted(ok):
            _, ref, info = self.expect[key]
            obj = s3.get_object(Bucket="thumbs", Key=PREFIX + key + ".jpg")
            body = obj["Body"].read()
            self.assertEqual(obj["ContentType"], "image/jpeg", key)
            fmt, w, h = L.image_dims(body)
            self.assertEqual((fmt, w, h), ("jpeg", info["width"], info["height"]), key)
            self.assertLessEqual(max(w, h), 256, key)
            self.assertEqual(body, ref, f"{key}: thumbnail differs from tk_thumbnail's")
            self.assertEqual(obj["Metadata"].get("source-key"), quote_key(key))
            self.assertEqual(obj["Metadata"].get("source-bucket"), "uploads")
            self.assertTrue(obj["Metadata"].get("source-etag"))
        logs = self.boot.logs()[logs_since:]
        skips = [r for r in logs if r.get("message") == "object skipped"]
        self.assertEqual({r["key"] for r in skips}, skipped)
        for r in skips:
            self.assertIn("unsupported format: GIF" if r["key"] == self.unsupported else "not an image",
                          r["reason"], r["key"])
        fails = [r for r in logs if r.get("message") == "thumbnail failed"]
        self.assertEqual({r["key"] for r in fails}, failed)
        for r in fails:
            self.assertEqual(r["outcome"], "failed_permanent")
            self.assertEqual(r["level"], "ERROR")
        corrupt = [r for r in fails if r["key"] == self.corrupt][0]
        self.assertEqual(corrupt["errorCode"], "corrupt")
        written = [r for r in logs if r.get("message") == "thumbnail written"]
        self.assertEqual({r["key"] for r in written}, ok)
        for r in written:
            for f in ("getMs", "decodeMs", "resampleMs", "colourMs", "encodeMs", "putMs",
                      "sourceBytes", "thumbBytes", "bucket", "requestId", "colour"):
                self.assertIn(f, r)
        by_key = {r["key"]: r for r in written}
        self.assertTrue(set(self.formats) <= ok, "HEIC, AVIF, WebP and the Adobe RGB JPEG")
        for key, (fmt, want) in {"formats/iphone.heic": ("heic", "converted"),
                                 "formats/photo.AVIF": ("avif", "srgb"),
                                 "formats/web.webp": ("webp", "none"),
                                 "formats/adobe-rgb.jpg": ("jpeg", "converted")}.items():
            self.assertEqual((by_key[key]["sourceFormat"], by_key[key]["colour"]), (fmt, want), key)
            self.assertIsNone(by_key[key]["warning"], key)
        return ok, skipped, failed

    def test_1_sqs_batch(self):
        event = L.sqs_event(self.messages)
        res = self.emu.invoke(event, timeout=120)
        self.assertEqual(res.kind, "response", res.body)
        # Permanent failures are logged and counted, never reported for retry.
        self.assertEqual(res.json(), {"batchItemFailures": []})
        ok, skipped, failed = self.check_outputs(0)
        emf = self.wait_emf(self.boot, 1)[-1]
        self.assertEqual(emf["ImagesProcessed"], len(ok))
        self.assertEqual(emf["ImagesSkipped"], len(skipped))
        self.assertEqual(emf["ImagesFailed"], len(failed))
        self.assertEqual(emf["FunctionName"], "thumbkit-e2e")
        self.assertGreater(emf["ProcessingTime"], 0)
        self.assertEqual(emf["_aws"]["CloudWatchMetrics"][0]["Namespace"], "INOW/Lambda101")
        self.assert_clean_output(self.boot)

    def test_2_direct_s3_event(self):
        s3 = self.moto.client("s3")
        for o in s3.list_objects_v2(Bucket="thumbs").get("Contents", []):
            s3.delete_object(Bucket="thumbs", Key=o["Key"])
        since = len(self.boot.logs())
        n_emf = len(self.boot.emf())
        res = self.emu.invoke({"Records": L.s3_records(self.messages)}, timeout=120)
        self.assertEqual(res.kind, "response", res.body)
        ok, skipped, failed = self.check_outputs(since)
        self.assertEqual(res.json(), {"processed": len(ok), "skipped": len(skipped),
                                      "failed": len(failed)})
        emf = self.wait_emf(self.boot, n_emf + 1)[-1]
        self.assertEqual(emf["ImagesProcessed"], len(ok))
        self.assert_clean_output(self.boot)

    def test_3_cold_start_logged(self):
        cold = self.boot.logs("cold start")
        self.assertEqual(len(cold), 1)
        self.assertIn(cold[0]["simd"], ("scalar", "sse41", "avx2", "avx512", "neon"))

    def test_9_clean_exit(self):
        # The Runtime API goes away: bootstrap exits 1 by itself (leak checks run at exit).
        self.boot.stop()
        self.assertEqual(self.boot.proc.returncode, 1)
        self.assert_clean_output(self.boot)
        self.assertEqual(self.emu.invalid_requests, [])


class S3Proxy:
    """An HTTP proxy in front of moto that records every request (method, path, headers,
    body) and can misbehave: answer the first `fail_gets` GETs with 503 SlowDown, or send
    GET bodies chunked (no Content-Length) so only the streaming limit can catch them."""

    def __init__(self, target_port, fail_gets=0, chunked_gets=False):
        self.fail_left = fail_gets
        self.failed = 0
        self.requests = []
        lock = threading.Lock()
        proxy = self

        class H(L.QuietHandler):
            def _handle(self):
                body = self.read_body()
                with lock:
                    proxy.requests.append((self.command, self.path, dict(self.headers), body))
                    fail = self.command == "GET" and proxy.fail_left > 0
                    if fail:
                        proxy.fail_left -= 1
                        proxy.failed += 1
                if fail:
                    self.reply(503, b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown'
                               b"</Code><Message>Please reduce your request rate.</Message></Error>",
                               "application/xml")
                    return
                c = http.client.HTTPConnection("127.0.0.1", target_port, timeout=30)
                c.request(self.command, self.path, body=body, headers=dict(self.headers))
                r = c.getresponse()
                data = r.read()
                if self.command == "HEAD":  # headers only, Content-Length as S3 gave it
                    self.send_response(r.status)
                    for k, v in r.getheaders():
                        if k.lower() not in ("transfer-encoding", "connection"):
                            self.send_header(k, v)
                    self.end_headers()
                    c.close()
                    return
                chunked = chunked_gets and self.command == "GET" and r.status == 200
                self.send_response(r.status)
                for k, v in r.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for i in range(0, len(data), 4096):
                        part = data[i:i + 4096]
                        try:
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                        except OSError:  # the client gave up: that is the point
                            break
                    else:
                        self.wfile.write(b"0\r\n\r\n")
                else:
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                c.close()

            do_GET = do_PUT = do_POST = do_HEAD = _handle

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass

        self.server = Server(("127.0.0.1", 0), H)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class Failures(Base):
    """Permanent and transient failures, retries, limits and invalid configuration."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tk-e2e-f-")
        cls.moto = L.MotoServer().start(cls.tmp)
        cls.qurl = L.setup_pipeline(cls.moto, "src", "dst", "q")
        s3 = cls.moto.client("s3")
        with open(data_file("exif-orientation", "Landscape_5.jpg"), "rb") as f:
            cls.image = f.read()
        for k in ("one.jpg", "two.jpg", "gone.jpg"):
            s3.put_object(Bucket="src", Key=k, Body=cls.image)
        cls.messages = L.drain_queue(cls.moto, cls.qurl, 3)
        by_key = {}
        for m in cls.messages:
            for r in json.loads(m["Body"])["Records"]:
                by_key[urllib.parse.unquote_plus(r["s3"]["object"]["key"])] = m
        cls.by_key = by_key

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_boot(self, env_extra, events, emu_timeout_ms=30000, endpoint=None):
        env = L.runtime_env(endpoint or self.moto.url, "dst", env_extra)
        with L.RuntimeEmulator(timeout_ms=emu_timeout_ms) as emu:
            boot = L.Bootstrap(BOOTSTRAP, emu, env).start()
            try:
                results = [emu.invoke(e, timeout=60) for e in events]
                self.wait_emf(boot, len(events))
            finally:
                boot.stop()
        self.assert_clean_output(boot)
        return boot, results

    def test_vanished_key_is_permanent(self):
        self.moto.client("s3").delete_object(Bucket="src", Key="gone.jpg")
        m = self.by_key["gone.jpg"]
        boot, (res_sqs, res_s3) = self.run_boot(
            {}, [L.sqs_event([m]), {"Records": L.s3_records([m])}])
        self.assertEqual(res_sqs.kind, "response")
        self.assertEqual(res_sqs.json(), {"batchItemFailures": []})
        self.assertEqual(res_s3.kind, "response")
        self.assertEqual(res_s3.json(), {"processed": 0, "skipped": 0, "failed": 1})
        fails = boot.logs("thumbnail failed")
        self.assertEqual(len(fails), 2)
        for r in fails:
            self.assertEqual(r["errorCode"], "NoSuchKey")
            self.assertEqual(r["outcome"], "failed_permanent")
            self.assertIn("HTTP 404", r["error"])
        self.assertEqual([e["ImagesFailed"] for e in boot.emf()], [1, 1])

    def test_dead_endpoint_is_transient(self):
        dead = "http://127.0.0.1:%d" % L.free_port()
        msgs = [self.by_key["one.jpg"], self.by_key["two.jpg"]]
        t0 = time.monotonic()
        boot, (res_sqs, res_s3) = self.run_boot(
            {}, [L.sqs_event(msgs), {"Records": L.s3_records(msgs)}], emu_timeout_ms=3000,
            endpoint=dead)
        elapsed = time.monotonic() - t0
        self.assertEqual(res_sqs.kind, "response")
        self.assertEqual(
            sorted(f["itemIdentifier"] for f in res_sqs.json()["batchItemFailures"]),
            sorted(m["MessageId"] for m in msgs))
        # A direct S3 event cannot report per item: the invocation fails so Lambda retries.
        self.assertEqual(res_s3.kind, "error")
        err = res_s3.json()
        self.assertEqual(err["errorType"], "Thumbnail.TransientError")
        self.assertEqual(res_s3.headers.get("Lambda-Runtime-Function-Error-Type"),
                         "Thumbnail.TransientError")
        self.assertIn("2 of 2", err["errorMessage"])
        fails = boot.logs("thumbnail failed")
        self.assertTrue(fails)
        for r in fails:
            self.assertEqual(r["outcome"], "failed_transient")
            self.assertTrue(r["retryable"])
        # Retries stayed inside each invocation's 3 s deadline.
        self.assertLess(elapsed, 2 * 3 + 5)
        self.assertTrue(any("attempts" in r["error"] and "1 attempt]" not in r["error"]
                            for r in fails), "connection errors were retried")

    def test_slowdown_is_retried(self):
        proxy = S3Proxy(self.moto.port, fail_gets=2)
        try:
            boot, (res,) = self.run_boot({"KEY_PREFIX": "retried/"},
                                         [{"Records": L.s3_records([self.by_key["one.jpg"]])}],
                                         endpoint=proxy.url)
        finally:
            proxy.stop()
        self.assertEqual(res.kind, "response")
        self.assertEqual(res.json(), {"processed": 1, "skipped": 0, "failed": 0})
        self.assertEqual(proxy.failed, 2)
        obj = self.moto.client("s3").get_object(Bucket="dst", Key="retried/one.jpg.jpg")
        self.assertEqual(L.image_dims(obj["Body"].read())[0], "jpeg")

    def test_too_large_refused_from_content_length(self):
        # A direct invocation carries no size: the GET must refuse from Content-Length.
        boot, (res,) = self.run_boot({"MAX_INPUT_BYTES": "10000", "KEY_PREFIX": "big/"},
                                     [{"bucket": "src", "key": "two.jpg"}])
        self.assertEqual(res.kind, "response")
        self.assertEqual(res.json(), {"processed": 0, "skipped": 0, "failed": 1})
        (fail,) = boot.logs("thumbnail failed")
        self.assertEqual(fail["errorCode"], "ObjectTooLarge")
        self.assertIn(str(len(self.image)), fail["error"])
        self.assertNotIn("Contents", self.moto.client("s3").list_objects_v2(
            Bucket="dst", Prefix="big/"))

    def test_invalid_config_posts_init_error(self):
        env = L.runtime_env(self.moto.url, "dst", {"JPEG_QUALITY": "0"})
        with L.RuntimeEmulator() as emu:
            boot = L.Bootstrap(BOOTSTRAP, emu, env).start()
            err = emu.wait_init_error(timeout=30)
            rc = boot.wait_exit(30)
        self.assertEqual(rc, 1)
        self.assertEqual(err.headers.get("Lambda-Runtime-Function-Error-Type"),
                         "Runtime.InvalidConfiguration")
        body = err.json()
        self.assertEqual(body["errorType"], "Runtime.InvalidConfiguration")
        self.assertIn("JPEG_QUALITY", body["errorMessage"])
        self.assertEqual(len(emu._state.next_calls), 0, "no /next after a failed init")
        fatal = [r for r in boot.records() if r.get("level") == "FATAL"]
        self.assertTrue(fatal and "JPEG_QUALITY" in fatal[0]["error"])
        self.assert_clean_output(boot)

    def test_missing_credentials_posts_init_error(self):
        env = L.runtime_env(self.moto.url, "dst")
        del env["AWS_SECRET_ACCESS_KEY"]
        with L.RuntimeEmulator() as emu:
            boot = L.Bootstrap(BOOTSTRAP, emu, env).start()
            err = emu.wait_init_error(timeout=30)
            rc = boot.wait_exit(30)
        self.assertEqual(rc, 1)
        self.assertIn("AWS_SECRET_ACCESS_KEY", err.json()["errorMessage"])


    def test_too_large_while_streaming(self):
        # No Content-Length (chunked): the limit must still hold while the body streams in.
        proxy = S3Proxy(self.moto.port, chunked_gets=True)
        try:
            boot, (res,) = self.run_boot({"MAX_INPUT_BYTES": "10000", "KEY_PREFIX": "chunk/"},
                                         [{"bucket": "src", "key": "two.jpg"}],
                                         endpoint=proxy.url)
        finally:
            proxy.stop()
        self.assertEqual(res.json(), {"processed": 0, "skipped": 0, "failed": 1})
        (fail,) = boot.logs("thumbnail failed")
        self.assertEqual(fail["errorCode"], "ObjectTooLarge")
        self.assertIn("exceeds the limit of 10000 bytes", fail["error"])
        self.assertEqual([m for m, *_ in proxy.requests], ["GET"], "nothing was written")

    def test_chunked_within_limit_is_fine(self):
        proxy = S3Proxy(self.moto.port, chunked_gets=True)
        try:
            boot, (res,) = self.run_boot({"KEY_PREFIX": "chunk-ok/"},
                                         [{"bucket": "src", "key": "two.jpg"}],
                                         endpoint=proxy.url)
        finally:
            proxy.stop()
        self.assertEqual(res.json(), {"processed": 1, "skipped": 0, "failed": 0})

    def test_request_headers(self):
        """What goes over the wire: signed real payload hash, metadata, trace id, no Expect."""
        import base64
        import hashlib
        proxy = S3Proxy(self.moto.port)
        trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        env = L.runtime_env(proxy.url, "dst", {"KEY_PREFIX": "hdr/",
                                               "AWS_SESSION_TOKEN": "session-token-value"})
        self.secrets = (L.SECRET_KEY, "session-token-value")
        try:
            with L.RuntimeEmulator() as emu:
                boot = L.Bootstrap(BOOTSTRAP, emu, env).start()
                try:
                    m = self.by_key["one.jpg"]
                    res = emu.invoke({"Records": L.s3_records([m])}, timeout=60, trace_id=trace)
                    self.wait_emf(boot, 1)
                finally:
                    boot.stop()
        finally:
            proxy.stop()
        self.assertEqual(res.json(), {"processed": 1, "skipped": 0, "failed": 0})
        self.assert_clean_output(boot)
        reqs = [(m, p, {k.lower(): v for k, v in h.items()}, b) for m, p, h, b in proxy.requests]
        # GET (checksum asked for), HEAD of the destination (publish.h), conditional PUT.
        self.assertEqual([(m, p) for m, p, _, _ in reqs],
                         [("GET", "/src/one.jpg"), ("HEAD", "/dst/hdr/one.jpg.jpg"),
                          ("PUT", "/dst/hdr/one.jpg.jpg")])
        self.assertEqual(reqs[0][2].get("x-amz-checksum-mode"), "ENABLED")
        for method, _, h, body in reqs:
            self.assertEqual(h.get("x-amzn-trace-id"), trace)
            self.assertNotIn("expect", h)
            self.assertEqual(h.get("x-amz-security-token"), "session-token-value")
            self.assertEqual(h.get("x-amz-content-sha256"), hashlib.sha256(body).hexdigest())
            auth = h["authorization"]
            self.assertTrue(auth.startswith("AWS4-HMAC-SHA256 Credential=%s/" % L.ACCESS_KEY))
            self.assertIn("/us-east-1/s3/aws4_request", auth)
            signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
            for name in ("host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"):
                self.assertIn(name, signed)
        _, _, put, body = reqs[2]
        self.assertEqual(put["content-type"], "image/jpeg")
        self.assertEqual(put["content-md5"],
                         base64.b64encode(hashlib.md5(body).digest()).decode())
        self.assertEqual(put["if-none-match"], "*")  # nothing was there: create only
        self.assertEqual(put["content-length"], str(len(body)))
        self.assertEqual(L.image_dims(body)[0], "jpeg")
        self.assertEqual(put["x-amz-meta-source-key"], "one.jpg")
        self.assertEqual(put["x-amz-meta-source-bucket"], "src")
        rec = L.s3_records([self.by_key["one.jpg"]])[0]
        self.assertEqual(put["x-amz-meta-source-etag"], rec["s3"]["object"]["eTag"])
        signed = put["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
        # moto's notifications carry no sequencer; when an event has one it is kept (AtLeastOnce)
        self.assertEqual(put.get("x-amz-meta-source-sequencer"),
                         rec["s3"]["object"].get("sequencer"))
        for name in ("content-type", "content-md5", "if-none-match", "x-amz-meta-source-key",
                     "x-amz-meta-source-etag"):
            self.assertIn(name, signed)

    def test_batch_operations(self):
        event = {"invocationSchemaVersion": "1.0", "invocationId": "inv-1",
                 "job": {"id": "job-1"},
                 "tasks": [{"taskId": "t-ok", "s3Key": "two.jpg", "s3VersionId": None,
                            "s3BucketArn": "arn:aws:s3:::src"},
                           {"taskId": "t-missing", "s3Key": "no%20such.jpg",
                            "s3VersionId": None, "s3BucketArn": "arn:aws:s3:::src"},
                           {"taskId": "t-bad-key", "s3Key": "bad%G1.jpg",
                            "s3VersionId": None, "s3BucketArn": "arn:aws:s3:::src"}]}
        boot, (res,) = self.run_boot({"KEY_PREFIX": "batch/"}, [event])
        self.assertEqual(res.kind, "response")
        body = res.json()
        self.assertEqual(body["invocationId"], "inv-1")
        codes = {r["taskId"]: r["resultCode"] for r in body["results"]}
        # A task whose key is not valid URL encoding is broken: a failure, never "Succeeded".
        self.assertEqual(codes, {"t-ok": "Succeeded", "t-missing": "PermanentFailure",
                                 "t-bad-key": "PermanentFailure"})
        missing = [r for r in body["results"] if r["taskId"] == "t-missing"][0]
        self.assertIn("NoSuchKey", missing["resultString"])
        self.moto.client("s3").head_object(Bucket="dst", Key="batch/two.jpg.jpg")

    def test_invalid_event_fails_invocation(self):
        boot, (res,) = self.run_boot({}, ["this is not JSON"])
        self.assertEqual(res.kind, "error")
        self.assertEqual(res.json()["errorType"], "Runtime.InvalidEvent")

    def test_unknown_event_shape_is_not_an_error(self):
        boot, (res,) = self.run_boot({}, [{"hello": "world"}])
        self.assertEqual(res.kind, "response")
        self.assertEqual(res.json(), {"processed": 0, "skipped": 0, "failed": 0})


@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class Auth(Base):
    """moto in auth mode: signatures are really verified."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tk-e2e-a-")
        cls.moto = L.MotoServer().start(cls.tmp)
        cls.akid, cls.secret = L.create_user(cls.moto, "thumbkit", "s3:*")
        iam = cls.moto.client("iam")
        # Temporary credentials of an assumed role, as Lambda provides its execution role's
        # (AWS_SESSION_TOKEN set).
        iam.create_role(RoleName="thumbkit-exec", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                           "Action": "sts:AssumeRole"}]}))
        iam.put_role_policy(RoleName="thumbkit-exec", PolicyName="s3", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        cls.temp = cls.moto.client("sts").assume_role(
            RoleArn="arn:aws:iam::123456789012:role/thumbkit-exec",
            RoleSessionName="thumbkit-e2e")["Credentials"]
        cls.secrets = (cls.secret, L.SECRET_KEY, "wrong" + cls.secret[5:], "tok-SECRET-123",
                       cls.temp["SecretAccessKey"], cls.temp["SessionToken"])
        cls.qurl = L.setup_pipeline(cls.moto, "src", "dst", "q")
        s3 = cls.moto.client("s3")
        with open(data_file("exif-orientation", "Portrait_8.jpg"), "rb") as f:
            # Only unreserved characters and spaces here: moto's signature check mis-handles
            # other percent-encoded bytes (%2B, %C3%BC, %28...: boto3 fails the same way).
            # Such keys are covered by the Pipeline suite, without auth.
            s3.put_object(Bucket="src", Key="dir/deeper/x y.jpg", Body=f.read())
        cls.messages = L.drain_queue(cls.moto, cls.qurl, 1)
        cls.moto.reset_auth("0")  # from now on every request must be signed correctly

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_boot(self, secret, prefix):
        env = L.runtime_env(self.moto.url, "dst", {"KEY_PREFIX": prefix},
                            access_key=self.akid, secret_key=secret)
        with L.RuntimeEmulator() as emu:
            boot = L.Bootstrap(BOOTSTRAP, emu, env).start()
            try:
                res = emu.invoke(L.sqs_event(self.messages), timeout=60)
                self.wait_emf(boot, 1)
            finally:
                boot.stop()
        self.assert_clean_output(boot)
        return boot, res

    def test_signed_requests_accepted(self):
        boot, res = self.run_boot(self.secret, "ok/")
        self.assertEqual(res.json(), {"batchItemFailures": []})
        self.assertEqual(boot.emf()[0]["ImagesProcessed"], 1, "\n".join(boot.lines))
        s3 = self.moto.client("s3", self.akid, self.secret)
        obj = s3.get_object(Bucket="dst", Key="ok/dir/deeper/x y.jpg.jpg")
        self.assertEqual(obj["ContentType"], "image/jpeg")

    def test_wrong_secret_is_a_clear_permanent_error(self):
        wrong = "wrong" + self.secret[5:]
        boot, res = self.run_boot(wrong, "bad/")
        self.assertEqual(res.json(), {"batchItemFailures": []})
        (fail,) = boot.logs("thumbnail failed")
        self.assertEqual(fail["errorCode"], "SignatureDoesNotMatch")
        self.assertIn("HTTP 403", fail["error"])
        self.assertIn("signature", fail["error"].lower())
        self.assertEqual(fail["outcome"], "failed_permanent")
        self.assertEqual(boot.emf()[0]["ImagesFailed"], 1)

    def run_with_token(self, akid, secret, token, prefix):
        env_extra = {"KEY_PREFIX": prefix, "AWS_SESSION_TOKEN": token}
        env = L.runtime_env(self.moto.url, "dst", env_extra, access_key=akid, secret_key=secret)
        with L.RuntimeEmulator() as emu:
            boot = L.Bootstrap(BOOTSTRAP, emu, env).start()
            try:
                res = emu.invoke(L.sqs_event(self.messages), timeout=60)
                self.wait_emf(boot, 1)
            finally:
                boot.stop()
        self.assert_clean_output(boot)
        self.assertEqual(res.kind, "response")
        self.assertEqual(res.json(), {"batchItemFailures": []})
        return boot

    def test_session_token_is_sent(self):
        t = self.temp
        boot = self.run_with_token(t["AccessKeyId"], t["SecretAccessKey"], t["SessionToken"],
                                   "tok/")
        self.assertEqual(boot.emf()[0]["ImagesProcessed"], 1, "\n".join(boot.lines))

    def test_bogus_session_token_is_rejected(self):
        # moto really checks the token: a made-up one must fail, clearly and permanently.
        boot = self.run_with_token(self.akid, self.secret, "tok-SECRET-123", "bogus/")
        (fail,) = boot.logs("thumbnail failed")
        self.assertEqual(fail["errorCode"], "InvalidToken")
        self.assertEqual(fail["outcome"], "failed_permanent")


@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class EventFile(Base):
    """`bootstrap --event FILE`: the response alone on stdout, JSON logs on stderr."""

    def test_event_file(self):
        tmp = tempfile.mkdtemp(prefix="tk-e2e-e-")
        try:
            with L.MotoServer().start(tmp) as moto:
                s3 = moto.client("s3")
                s3.create_bucket(Bucket="src")
                s3.create_bucket(Bucket="dst")
                with open(data_file("pngsuite", "basn6a08.png"), "rb") as f:
                    s3.put_object(Bucket="src", Key="p.png", Body=f.read())
                path = os.path.join(tmp, "event.json")
                with open(path, "w") as f:
                    json.dump({"bucket": "src", "key": "p.png"}, f)
                env = L.runtime_env(moto.url, "dst", {"OUTPUT_FORMAT": "png"})
                r = subprocess.run([BOOTSTRAP, "--event", path], env=env, capture_output=True,
                                   timeout=60)
                self.assertEqual(r.returncode, 0, r.stderr.decode())
                out = r.stdout.decode().splitlines()
                self.assertEqual(len(out), 1)
                self.assertEqual(json.loads(out[0]), {"processed": 1, "skipped": 0, "failed": 0})
                err = [json.loads(x) for x in r.stderr.decode().splitlines()]
                self.assertTrue(any(x.get("message") == "thumbnail written" for x in err))
                self.assertTrue(any("_aws" in x for x in err))
                obj = s3.get_object(Bucket="dst", Key="thumbnails/p.png.png")
                self.assertEqual(obj["ContentType"], "image/png")
                self.assertEqual(L.image_dims(obj["Body"].read())[:1], ("png",))
                # Not JSON: 65 (retrying cannot help), not 2 (a failure worth retrying).
                with open(path, "w") as f:
                    f.write("{not json")
                r = subprocess.run([BOOTSTRAP, "--event", path], env=env, capture_output=True,
                                   timeout=60)
                self.assertEqual(r.returncode, 65, r.stderr.decode())
                self.assertEqual(json.loads(r.stdout)["errorType"], "Runtime.InvalidEvent")
                # A transient failure (S3 unreachable): 2.
                with open(path, "w") as f:
                    json.dump({"bucket": "src", "key": "p.png"}, f)
                dead = L.runtime_env("http://127.0.0.1:%d" % L.free_port(), "dst")
                r = subprocess.run([BOOTSTRAP, "--event", path], env=dead, capture_output=True,
                                   timeout=120)
                self.assertEqual(r.returncode, 2, r.stderr.decode())
                self.assertEqual(json.loads(r.stdout)["errorType"], "Thumbnail.TransientError")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
