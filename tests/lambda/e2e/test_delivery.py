"""At-least-once delivery and the limits of the sandbox, end to end (real bootstrap, moto).

AtLeastOnce: the GET is pinned to the event's version; a duplicated event writes nothing new
(same bytes); an older event never replaces the thumbnail of a newer upload (publish.h).
Limits: an image over the memory budget (AWS_LAMBDA_FUNCTION_MEMORY_SIZE minus headroom) is
a permanent, named failure; work that cannot finish before Lambda-Runtime-Deadline-Ms is not
started and fails transiently, before the deadline, with nothing written.

Environment (set by ctest): TK_BOOTSTRAP, TK_E2E_REFERENCE, TK_TEST_DATA.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "fault"))

import localaws as L  # noqa: E402

L.require_moto()

BOOTSTRAP = os.environ.get("TK_BOOTSTRAP", "")
REFERENCE = os.environ.get("TK_E2E_REFERENCE", "")
DATA = os.environ.get("TK_TEST_DATA", os.path.join(HERE, "..", "..", "data"))


def s3_record(bucket, key, size, version_id=None, sequencer=None, etag=None):
    """An S3 ObjectCreated record as S3 sends it (key form-URL-encoded)."""
    obj = {"key": key.replace(" ", "+"), "size": size}
    if version_id:
        obj["versionId"] = version_id
    if sequencer:
        obj["sequencer"] = sequencer
    if etag:
        obj["eTag"] = etag
    return {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": L.REGION,
            "eventName": "ObjectCreated:Put",
            "s3": {"bucket": {"name": bucket, "arn": "arn:aws:s3:::" + bucket}, "object": obj}}


def reference(path, env, tmpdir):
    out = os.path.join(tmpdir, "ref-" + os.path.basename(path))
    r = subprocess.run([REFERENCE, path, out], env=env, capture_output=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.decode())
    with open(out, "rb") as f:
        return f.read()


class Base(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tk-delivery-")
        cls.moto = L.MotoServer().start(cls.tmp)
        cls.s3 = cls.moto.client("s3")
        cls.s3.create_bucket(Bucket="src")
        cls.s3.create_bucket(Bucket="dst")

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_events(self, events, extra=None, timeout_ms=30000, endpoint=None):
        env = L.runtime_env(endpoint or self.moto.url, "dst", extra)
        with L.RuntimeEmulator(timeout_ms=timeout_ms) as emu:
            boot = L.Bootstrap(BOOTSTRAP, emu, env).start()
            try:
                results = []
                for e in events:
                    rid = emu.enqueue(e)
                    res = emu.wait_result(rid, timeout=60)
                    results.append((res, res.received_at - emu.handed_out_at(rid)))
            finally:
                boot.stop()
        everything = "\n".join(boot.lines) + boot.stderr.decode("utf-8", "replace")
        self.assertNotIn("Sanitizer", everything)
        self.assertNotIn("runtime error:", everything)
        return boot, results

    def thumb(self, key):
        return self.s3.get_object(Bucket="dst", Key=key)


@unittest.skipUnless(BOOTSTRAP and REFERENCE, "TK_BOOTSTRAP/TK_E2E_REFERENCE not set")
class AtLeastOnce(Base):
    def test_version_pin_duplicates_and_order(self):
        self.s3.put_bucket_versioning(Bucket="src", VersioningConfiguration={"Status": "Enabled"})
        old_path = os.path.join(DATA, "exif-orientation", "Landscape_1.jpg")
        new_path = os.path.join(DATA, "exif-orientation", "Portrait_1.jpg")
        env = L.runtime_env(self.moto.url, "dst")
        want_old, want_new = reference(old_path, env, self.tmp), reference(new_path, env, self.tmp)
        self.assertNotEqual(want_old, want_new)
        key, dest = "photos/same key.jpg", "thumbnails/photos/same key.jpg.jpg"
        v = []
        for p in (old_path, new_path):
            with open(p, "rb") as f:
                body = f.read()
            r = self.s3.put_object(Bucket="src", Key=key, Body=body)
            v.append((r["VersionId"], len(body), r["ETag"].strip('"')))
        # Sequencers of one key grow; S3 documents comparing them as hex numbers.
        ev_old = {"Records": [s3_record("src", key, v[0][1], v[0][0], "0055AED6DCD90281E5",
                                        v[0][2])]}
        ev_new = {"Records": [s3_record("src", key, v[1][1], v[1][0], "0055AED6DCD90281F0",
                                        v[1][2])]}

        # 1. The late event of the first upload arrives first: pinned to its version, it
        #    thumbnails the first image, not the newer object now at the key.
        boot, [(r1, _)] = self.run_events([ev_old])
        self.assertEqual(r1.json(), {"processed": 1, "skipped": 0, "failed": 0})
        got = self.thumb(dest)
        self.assertEqual(got["Body"].read(), want_old)
        self.assertEqual(got["Metadata"]["source-version-id"], v[0][0])
        # 2. The newer upload's event replaces it; 3. the old event again (a retry, late) is
        #    superseded; 4. the newer event again (a duplicate) changes nothing.
        boot, results = self.run_events([ev_new, ev_old, ev_new])
        self.assertTrue(all(r.json()["processed"] == 1 for r, _ in results))
        done = [x["publish"] for x in boot.logs("thumbnail written")]
        self.assertEqual(done, ["written", "superseded", "unchanged"])
        got = self.thumb(dest)
        self.assertEqual(got["Body"].read(), want_new)
        self.assertEqual(got["Metadata"]["source-version-id"], v[1][0])
        # normalised as the DynamoDB record keeps it (event_sequencer(): 32 hex digits)
        self.assertEqual(got["Metadata"]["source-sequencer"], "0055AED6DCD90281F0".zfill(32))

    def test_duplicate_direct_event_same_bytes(self):
        path = os.path.join(DATA, "pngsuite", "basn6a08.png")
        with open(path, "rb") as f:
            self.s3.put_object(Bucket="src", Key="dup.png", Body=f.read())
        ev = {"bucket": "src", "key": "dup.png"}
        boot, results = self.run_events([ev, ev])
        self.assertEqual([x["publish"] for x in boot.logs("thumbnail written")],
                         ["written", "unchanged"])
        body = self.thumb("thumbnails/dup.png.jpg")["Body"].read()
        self.assertEqual(body, reference(path, L.runtime_env(self.moto.url, "dst"), self.tmp))


@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class Limits(Base):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A 5000x5000 progressive 4:4:4 JPEG: libjpeg keeps all coefficients of a multi-scan
        # file (5000^2 / 64 blocks x 3 x 128 bytes = 150 MB), whatever the output size.
        ppm = os.path.join(cls.tmp, "big.ppm")
        with open(ppm, "wb") as f:
            f.write(b"P6 5000 5000 255\n")
            row = bytes(range(256)) * 58 + bytes(range(232))
            f.write(row[:15000] * 5000)
        jpg = subprocess.run(["cjpeg", "-progressive", "-sample", "1x1", ppm],
                             capture_output=True, check=True).stdout
        os.unlink(ppm)
        cls.s3.put_object(Bucket="src", Key="big.jpg", Body=jpg)
        with open(os.path.join(DATA, "exif-orientation", "Landscape_1.jpg"), "rb") as f:
            cls.s3.put_object(Bucket="src", Key="small.jpg", Body=f.read())

    def test_memory_budget_is_a_named_permanent_failure(self):
        ev = {"Records": [s3_record("src", "big.jpg", 0)]}
        boot, [(res, _)] = self.run_events([ev], {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"})
        self.assertEqual(res.json(), {"processed": 0, "skipped": 0, "failed": 1})
        (fail,) = boot.logs("thumbnail failed")
        self.assertEqual(fail["errorCode"], "over_memory_budget")
        self.assertEqual(fail["outcome"], "failed_permanent")
        self.assertIn("memory budget", fail["error"])
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket="dst", Prefix="thumbnails/big"))
        # The same image fits a bigger function.
        boot, [(res, _)] = self.run_events([ev], {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024"})
        self.assertEqual(res.json(), {"processed": 1, "skipped": 0, "failed": 0})

    def test_no_time_left_nothing_started(self):
        msg = {"messageId": "m1", "eventSource": "aws:sqs",
               "body": json.dumps({"Records": [s3_record("src", "small.jpg", 0)]})}
        boot, [(res, took)] = self.run_events([{"Records": [msg]}], timeout_ms=1200)
        self.assertEqual(res.json(), {"batchItemFailures": [{"itemIdentifier": "m1"}]})
        (fail,) = boot.logs("thumbnail failed")
        self.assertEqual(fail["errorCode"], "DeadlineExceeded")
        self.assertTrue(fail["retryable"])
        self.assertLess(took, 1.2)
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket="dst", Prefix="thumbnails/sm"))

    def test_deadline_reached_mid_job_is_transient_before_the_deadline(self):
        from fault_proxy import Proxy
        proxy = Proxy(self.moto.port, rate=1.0, kinds=["stall"], stall_s=2.6).start()
        try:
            ev = {"Records": [s3_record("src", "small.jpg", 0)]}
            boot, [(res, took)] = self.run_events([ev], timeout_ms=3400, endpoint=proxy.url)
        finally:
            proxy.stop()
        self.assertEqual(res.kind, "error")  # a direct S3 event fails whole, for Lambda to retry
        self.assertEqual(res.json()["errorType"], "Thumbnail.TransientError")
        (fail,) = boot.logs("thumbnail failed")
        self.assertTrue(fail["retryable"], fail)
        self.assertLess(took, 3.4, "answered after the deadline")
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket="dst", Prefix="thumbnails/sm"))


if __name__ == "__main__":
    unittest.main()
