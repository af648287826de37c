"""End-to-end tests of the image service around the thumbnailer, on a local AWS.

The real `bootstrap` runs under the project's Runtime API emulator against a moto server
each suite starts: the DynamoDB record (in S3's sequencer order: duplicated and reordered
events), several sizes per upload, the SNS message (seen on a subscribed SQS queue), the zip
archive, the metric through the CloudWatch API, and the HTTP API (API Gateway payload-2.0
events) with its presigned URLs used for real over loopback.

Environment (set by ctest): TK_BOOTSTRAP, TK_TEST_DATA.
Run one suite: python3 test_service.py -v Record
"""

import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import localaws as L  # noqa: E402

L.require_moto()

BOOTSTRAP = os.environ.get("TK_BOOTSTRAP", "")
DATA = os.environ.get("TK_TEST_DATA", os.path.join(HERE, "..", "..", "data"))
TABLE = "ImageMetadata"
CORRUPT_JPEG = b"\xff\xd8\xff\xdb\x00\x43\x00" + bytes(range(7, 250)) * 4


def data(*parts):
    with open(os.path.join(DATA, *parts), "rb") as f:
        return f.read()


def s3_event(bucket, key, size, sequencer, etag="0", version=None):
    """One S3 ObjectCreated record as S3 sends it (key form-URL-encoded)."""
    obj = {"key": urllib.parse.quote_plus(key, safe="/"), "size": size, "eTag": etag,
           "sequencer": sequencer}
    if version:
        obj["versionId"] = version
    return {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": L.REGION,
            "eventTime": "2026-01-01T00:00:00.000Z", "eventName": "ObjectCreated:Put",
            "s3": {"s3SchemaVersion": "1.0", "configurationId": "t",
                   "bucket": {"name": bucket, "arn": "arn:aws:s3:::" + bucket},
                   "object": obj}}


class Service(unittest.TestCase):
    """One moto server per suite; a bootstrap per configuration."""

    secrets = (L.SECRET_KEY,)
    with_table = False  # create the ImageMetadata table for the suite

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tk-svc-")
        cls.moto = L.MotoServer().start(cls.tmp)
        cls.s3 = cls.moto.client("s3")
        for b in ("src", "dst"):
            cls.s3.create_bucket(Bucket=b)
        if cls.with_table:
            L.create_table(cls.moto, TABLE)
        cls.jpeg = data("exif-orientation", "Landscape_6.jpg")
        cls.png = data("pngsuite", "basn6a08.png")

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def env(self, **extra):
        return L.runtime_env(self.moto.url, "dst", {k: str(v) for k, v in extra.items()})

    def run_events(self, env, events, timeout=60):
        """Run @p events through one bootstrap: @return (bootstrap, results)."""
        with L.RuntimeEmulator() as emu:
            boot = L.Bootstrap(BOOTSTRAP, emu, env).start()
            try:
                results = [emu.invoke(e, timeout=timeout) for e in events]
            finally:
                boot.stop()
        self.assert_clean(boot)
        return boot, results

    def assert_clean(self, boot):
        text = "\n".join(boot.lines) + boot.stderr.decode("utf-8", "replace")
        for line in boot.lines:
            json.loads(line)
        self.assertNotIn("Sanitizer", text)
        self.assertNotIn("runtime error:", text)
        for s in self.secrets:
            self.assertNotIn(s, text)
        self.assertNotIn("Signature=", text)

    def record(self, key):
        item = self.moto.client("dynamodb").get_item(
            TableName=TABLE, Key={"ImageID": {"S": key}}, ConsistentRead=True).get("Item")
        if item is None:
            return None
        from boto3.dynamodb.types import TypeDeserializer
        d = TypeDeserializer()
        return {k: d.deserialize(v) for k, v in item.items()}

    def keys(self, bucket, prefix=""):
        return sorted(o["Key"] for o in self.s3.list_objects_v2(
            Bucket=bucket, Prefix=prefix).get("Contents", []))

    def put(self, key, body, bucket="src"):
        r = self.s3.put_object(Bucket=bucket, Key=key, Body=body)
        return r["ETag"].strip('"')


@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class Record(Service):
    """METADATA_TABLE: the record, in S3's sequencer order, with duplicates and reordering."""

    with_table = True

    def run_table(self, events, **extra):
        return self.run_events(self.env(METADATA_TABLE=TABLE, **extra), events)

    def test_processed_record_holds_the_facts(self):
        etag = self.put("facts/photo.jpg", self.jpeg)
        boot, (res,) = self.run_table(
            [{"Records": [s3_event("src", "facts/photo.jpg", len(self.jpeg), "5AED6DCD90281E5",
                                   etag)]}])
        self.assertEqual(res.json(), {"processed": 1, "skipped": 0, "failed": 0})
        rec = self.record("facts/photo.jpg")
        self.assertEqual(rec["status"], "processed")
        self.assertNotIn("reason", rec)
        self.assertEqual(rec["sequencer"], "0" * 17 + "5AED6DCD90281E5")
        src = rec["source"]
        self.assertEqual((src["bucket"], src["key"], src["etag"], int(src["bytes"])),
                         ("src", "facts/photo.jpg", etag, len(self.jpeg)))
        self.assertEqual(src["contentType"], "binary/octet-stream")  # what moto stored
        self.assertRegex(src["lastModified"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        img = rec["image"]
        fmt, w, h = L.image_dims(self.jpeg)
        self.assertEqual((img["format"], int(img["width"]), int(img["height"])), (fmt, w, h))
        self.assertEqual(int(img["orientation"]), 6)
        self.assertEqual((int(img["uprightWidth"]), int(img["uprightHeight"])), (h, w))
        (t,) = rec["thumbnails"]
        body = self.s3.get_object(Bucket="dst", Key=t["key"])["Body"].read()
        self.assertEqual(t["key"], "thumbnails/facts/photo.jpg.jpg")
        self.assertEqual((t["bucket"], t["size"], t["format"]), ("dst", "256x256", "jpeg"))
        self.assertEqual(int(t["bytes"]), len(body))
        self.assertEqual(L.image_dims(body), ("jpeg", int(t["width"]), int(t["height"])))
        self.assertGreater(float(rec["processingMs"]), 0)
        self.assertTrue(rec["requestId"])
        self.assertLessEqual(rec["createdAt"], rec["updatedAt"])
        self.assertNotIn("notifyPending", rec)

    def test_duplicates_write_nothing(self):
        etag = self.put("dup/a.jpg", self.jpeg)
        ev = s3_event("src", "dup/a.jpg", len(self.jpeg), "0A", etag)
        # The same record twice in one event, then again in a later invocation.
        boot, (r1, r2) = self.run_table([{"Records": [ev, ev]}, {"Records": [ev]}])
        self.assertEqual(r1.json(), {"processed": 1, "skipped": 1, "failed": 0})
        first = self.record("dup/a.jpg")
        self.s3.delete_object(Bucket="dst", Key="thumbnails/dup/a.jpg.jpg")
        self.assertEqual(r2.json(), {"processed": 0, "skipped": 1, "failed": 0})
        skips = [x for x in boot.logs("object skipped") if x["key"] == "dup/a.jpg"]
        self.assertEqual([x["code"] for x in skips], ["duplicate", "duplicate"])
        self.assertIn("duplicate or older event", skips[0]["reason"])
        # Nothing was written by the duplicates: the deleted thumbnail stays deleted.
        boot, (r3,) = self.run_table([{"Records": [ev]}])
        self.assertEqual(r3.json(), {"processed": 0, "skipped": 1, "failed": 0})
        self.assertEqual(self.keys("dst", "thumbnails/dup/"), [])
        self.assertEqual(self.record("dup/a.jpg"), first)

    def test_older_event_after_newer_changes_nothing(self):
        # Two uploads of one key; S3 sequencers differ in length: compared after left-padding.
        self.put("order/x.png", self.png)
        old = s3_event("src", "order/x.png", len(self.png), "FF")
        self.put("order/x.png", self.jpeg)  # the newer object is a JPEG
        new = s3_event("src", "order/x.png", len(self.jpeg), "0100")
        boot, (r_new, r_old, r_mixed) = self.run_table(
            [{"Records": [new]}, {"Records": [old]}, {"Records": [old, new, old, new]}])
        self.assertEqual(r_new.json(), {"processed": 1, "skipped": 0, "failed": 0})
        after_new = self.record("order/x.png")
        self.assertEqual(after_new["sequencer"], "0" * 28 + "0100")
        self.assertEqual(after_new["image"]["format"], "jpeg")
        thumb = self.s3.get_object(Bucket="dst", Key="thumbnails/order/x.png.jpg")
        self.assertEqual(r_old.json(), {"processed": 0, "skipped": 1, "failed": 0})
        self.assertEqual(r_mixed.json(), {"processed": 0, "skipped": 4, "failed": 0})
        self.assertEqual(self.record("order/x.png"), after_new)
        again = self.s3.get_object(Bucket="dst", Key="thumbnails/order/x.png.jpg")
        self.assertEqual(again["LastModified"], thumb["LastModified"])
        self.assertEqual(again["ETag"], thumb["ETag"])

    def test_newer_after_older_replaces_the_record(self):
        self.put("order2/y.jpg", self.png)
        older = s3_event("src", "order2/y.jpg", len(self.png), "01")
        boot, (r1,) = self.run_table([{"Records": [older]}])
        self.assertEqual(self.record("order2/y.jpg")["image"]["format"], "png")
        created = self.record("order2/y.jpg")["createdAt"]
        self.put("order2/y.jpg", self.jpeg)
        newer = s3_event("src", "order2/y.jpg", len(self.jpeg), "02")
        boot, (r2,) = self.run_table([{"Records": [newer]}])
        self.assertEqual(r2.json(), {"processed": 1, "skipped": 0, "failed": 0})
        rec = self.record("order2/y.jpg")
        self.assertEqual((rec["image"]["format"], rec["sequencer"][-2:]), ("jpeg", "02"))
        self.assertEqual(rec["createdAt"], created)

    def test_interrupted_claim_is_retried(self):
        # A run that claimed the record and then died (status processing, same sequencer):
        # the retried event must not be taken for a duplicate.
        self.put("retry/z.jpg", self.jpeg)
        ev = s3_event("src", "retry/z.jpg", len(self.jpeg), "77")
        self.moto.client("dynamodb").put_item(TableName=TABLE, Item={
            "ImageID": {"S": "retry/z.jpg"}, "status": {"S": "processing"},
            "sequencer": {"S": "0" * 30 + "77"}})
        boot, (res,) = self.run_table([{"Records": [ev]}])
        self.assertEqual(res.json(), {"processed": 1, "skipped": 0, "failed": 0})
        self.assertEqual(self.record("retry/z.jpg")["status"], "processed")

    def test_failed_and_skipped_images_are_recorded(self):
        self.put("bad/corrupt.jpg", CORRUPT_JPEG)
        self.put("bad/text.jpg", b"plain text, not a picture\n" * 10)
        evs = [s3_event("src", "bad/corrupt.jpg", len(CORRUPT_JPEG), "1"),
               s3_event("src", "bad/text.jpg", 260, "1"),
               s3_event("src", "bad/gone.jpg", 100, "1"),
               s3_event("src", "bad/huge.jpg", 10 ** 9, "1"),
               s3_event("src", "bad/doc.pdf", 10, "1")]
        boot, (res,) = self.run_table([{"Records": evs}])
        self.assertEqual(res.json(), {"processed": 0, "skipped": 2, "failed": 3})
        c = self.record("bad/corrupt.jpg")
        self.assertEqual(c["status"], "failed")
        self.assertEqual(c["reasonCode"], "corrupt")
        self.assertIn("premature end", c["reason"].lower())
        self.assertNotIn("thumbnails", c)
        t = self.record("bad/text.jpg")
        self.assertEqual(t["status"], "skipped")
        self.assertIn("not an image", t["reason"])
        self.assertEqual(t["reasonCode"], "not_an_image")
        g = self.record("bad/gone.jpg")
        self.assertEqual(g["status"], "failed")
        self.assertIn("NoSuchKey", g["reason"])
        self.assertEqual(g["reasonCode"], "NoSuchKey")
        hg = self.record("bad/huge.jpg")  # refused from the event's size, before any GET
        self.assertEqual(hg["status"], "failed")
        self.assertIn("MAX_INPUT_BYTES", hg["reason"])
        self.assertIsNone(self.record("bad/doc.pdf"), "filtered objects get no record")
        self.assertEqual(self.keys("dst", "thumbnails/bad/"), [])

    def test_missing_table_fails_permanently_and_writes_nothing(self):
        self.put("notable/a.jpg", self.jpeg)
        ev = s3_event("src", "notable/a.jpg", len(self.jpeg), "1")
        boot, (res,) = self.run_events(self.env(METADATA_TABLE="NoSuchTable"),
                                       [{"Records": [ev]}])
        self.assertEqual(res.json(), {"processed": 0, "skipped": 0, "failed": 1})
        (fail,) = boot.logs("thumbnail failed")
        self.assertEqual(fail["errorCode"], "ResourceNotFoundException")
        self.assertFalse(fail["retryable"])
        self.assertIn("NoSuchTable", fail["error"])
        self.assertEqual(self.keys("dst", "thumbnails/notable/"), [])

    def test_unreachable_dynamodb_is_transient(self):
        self.put("nodb/a.jpg", self.jpeg)
        ev = s3_event("src", "nodb/a.jpg", len(self.jpeg), "1")
        dead = "http://127.0.0.1:%d" % L.free_port()
        env = self.env(METADATA_TABLE=TABLE, AWS_ENDPOINT_URL_DYNAMODB=dead)
        with L.RuntimeEmulator(timeout_ms=3000) as emu:
            boot = L.Bootstrap(BOOTSTRAP, emu, env).start()
            try:
                res = emu.invoke({"Records": [ev]}, timeout=60)
                sqs = emu.invoke({"Records": [{"eventSource": "aws:sqs", "messageId": "m1",
                                               "body": json.dumps({"Records": [ev]})}]},
                                 timeout=60)
            finally:
                boot.stop()
        self.assertEqual(res.kind, "error")
        self.assertEqual(res.json()["errorType"], "Thumbnail.TransientError")
        self.assertEqual(sqs.json(), {"batchItemFailures": [{"itemIdentifier": "m1"}]})
        self.assertTrue(all(f["retryable"] for f in boot.logs("thumbnail failed")))
        self.assertEqual(self.keys("dst", "thumbnails/nodb/"), [])



@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class Sizes(Service):
    """THUMB_SIZES: one object per size under KEY_PREFIX + "WxH/", and THUMB_CACHE_CONTROL."""

    def test_three_sizes(self):
        L.create_table(self.moto, TABLE)
        self.put("sizes/cat.jpg", self.jpeg)
        cc = "public, max-age=31536000, immutable"
        env = self.env(THUMB_SIZES="128,256,1024x768", THUMB_SIZE="64",
                       THUMB_CACHE_CONTROL=cc, METADATA_TABLE=TABLE)
        boot, (res,) = self.run_events(
            env, [{"Records": [s3_event("src", "sizes/cat.jpg", len(self.jpeg), "1")]}])
        self.assertEqual(res.json(), {"processed": 1, "skipped": 0, "failed": 0})
        want = ["thumbnails/1024x768/sizes/cat.jpg.jpg", "thumbnails/128x128/sizes/cat.jpg.jpg",
                "thumbnails/256x256/sizes/cat.jpg.jpg"]
        self.assertEqual(self.keys("dst", "thumbnails/"), want)
        _, sw, sh = L.image_dims(self.jpeg)
        uw, uh = sh, sw  # orientation 6: a quarter turn
        for key, (bw, bh) in zip(want, [(1024, 768), (128, 128), (256, 256)]):
            obj = self.s3.get_object(Bucket="dst", Key=key)
            self.assertEqual(obj["CacheControl"], cc)
            fmt, w, h = L.image_dims(obj["Body"].read())
            scale = min(bw / uw, bh / uh, 1.0)
            self.assertEqual((w, h), (max(1, round(uw * scale)), max(1, round(uh * scale))), key)
        (line,) = boot.logs("thumbnail written")
        self.assertEqual(line["sizes"], 3)
        self.assertEqual([t["size"] for t in line["thumbnails"]], ["128x128", "256x256", "1024x768"])
        self.assertEqual(sorted(t["key"] for t in line["thumbnails"]), want)
        rec = self.record("sizes/cat.jpg")
        self.assertEqual([t["size"] for t in rec["thumbnails"]], ["128x128", "256x256", "1024x768"])
        cold = boot.logs("cold start")[0]
        self.assertEqual(cold["sizes"], 3)


@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class Notify(Service):
    """NOTIFY_TOPIC_ARN: one SNS message per processed or failed image, seen on an SQS queue."""

    with_table = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic, cls.qurl = L.subscribe_queue(cls.moto, "images-done", "images-done-q")

    def test_messages_carry_the_record(self):
        self.put("n/ok.jpg", self.jpeg)
        self.put("n/bad.jpg", CORRUPT_JPEG)
        self.put("n/text.jpg", b"no picture here\n" * 9)
        evs = [s3_event("src", "n/ok.jpg", len(self.jpeg), "1"),
               s3_event("src", "n/bad.jpg", len(CORRUPT_JPEG), "1"),
               s3_event("src", "n/text.jpg", 144, "1")]
        boot, (res,) = self.run_events(
            self.env(METADATA_TABLE=TABLE, NOTIFY_TOPIC_ARN=self.topic), [{"Records": evs}])
        self.assertEqual(res.json(), {"processed": 1, "skipped": 1, "failed": 1})
        msgs = L.receive_notifications(self.moto, self.qurl, 2)
        by_key = {m["Message"]["imageId"]: m for m in msgs}
        self.assertEqual(sorted(by_key), ["n/bad.jpg", "n/ok.jpg"], "no message for a skip")
        ok = by_key["n/ok.jpg"]
        self.assertEqual(ok["TopicArn"], self.topic)
        attrs = {k: v["Value"] for k, v in ok["MessageAttributes"].items()}
        self.assertEqual(attrs, {"status": "processed", "format": "jpeg", "bucket": "src"})
        rec = self.record("n/ok.jpg")
        msg = ok["Message"]
        self.assertEqual(msg["status"], "processed")
        self.assertEqual(msg["thumbnails"][0]["key"], rec["thumbnails"][0]["key"])
        self.assertEqual(msg["source"]["etag"], rec["source"]["etag"])
        self.assertEqual(msg["sequencer"], rec["sequencer"])
        self.assertNotIn("notifyPending", rec, "cleared once the message went out")
        bad = by_key["n/bad.jpg"]
        self.assertEqual(bad["MessageAttributes"]["status"]["Value"], "failed")
        self.assertEqual(bad["Message"]["reasonCode"], "corrupt")

    def test_missing_topic_then_retry(self):
        self.put("n2/a.jpg", self.jpeg)
        ev = s3_event("src", "n2/a.jpg", len(self.jpeg), "5")
        arn = self.topic.rsplit(":", 1)[0] + ":not-yet"
        env = self.env(METADATA_TABLE=TABLE, NOTIFY_TOPIC_ARN=arn)
        boot, (res,) = self.run_events(env, [{"Records": [ev]}])
        self.assertEqual(res.json(), {"processed": 0, "skipped": 0, "failed": 1})
        (fail,) = boot.logs("thumbnail failed")
        self.assertEqual(fail["errorCode"], "NotFound")
        self.assertIn("SNS Publish", fail["error"])
        rec = self.record("n2/a.jpg")
        self.assertEqual((rec["status"], rec["notifyPending"]), ("processed", True))
        # The topic appears; the same event again (S3 or SQS redelivery) sends the message.
        sns = self.moto.client("sns")
        sns.create_topic(Name="not-yet")
        qurl = self.moto.client("sqs").create_queue(QueueName="not-yet-q")["QueueUrl"]
        qarn = self.moto.client("sqs").get_queue_attributes(
            QueueUrl=qurl, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)
        boot, (res2,) = self.run_events(env, [{"Records": [ev]}])
        self.assertEqual(res2.json(), {"processed": 1, "skipped": 0, "failed": 0})
        (m,) = L.receive_notifications(self.moto, qurl, 1)
        self.assertEqual(m["Message"]["imageId"], "n2/a.jpg")
        self.assertNotIn("notifyPending", self.record("n2/a.jpg"))


@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class Archive(Service):
    """ARCHIVE_PREFIX: a standard zip per accepted upload; our own output never processed."""

    def test_zip_in_the_same_bucket(self):
        self.put("images/2026/photo one.jpg", self.jpeg)
        head = self.s3.head_object(Bucket="src", Key="images/2026/photo one.jpg")
        env = self.env(ARCHIVE_PREFIX="zip/", DEST_BUCKET="src", KEY_PREFIX="thumbnails/")
        env["DEST_BUCKET"] = "src"
        boot, (res,) = self.run_events(
            env, [{"Records": [s3_event("src", "images/2026/photo one.jpg", len(self.jpeg), "1")]}])
        self.assertEqual(res.json(), {"processed": 1, "skipped": 0, "failed": 0})
        obj = self.s3.get_object(Bucket="src", Key="zip/images/2026/photo one.jpg.zip")
        self.assertEqual(obj["ContentType"], "application/zip")
        blob = obj["Body"].read()
        z = zipfile.ZipFile(io.BytesIO(blob))
        self.assertIsNone(z.testzip())
        (info,) = z.infolist()
        self.assertEqual(info.filename, "photo one.jpg")
        self.assertEqual(z.read(info), self.jpeg)
        self.assertEqual(info.compress_type, zipfile.ZIP_DEFLATED)
        lm = head["LastModified"]  # zip times have 2 s resolution, local time as stored
        got = time.mktime(info.date_time + (0, 0, -1))
        self.assertLessEqual(abs(got - time.mktime(lm.astimezone().timetuple())), 2)
        if shutil.which("unzip"):
            path = os.path.join(self.tmp, "a.zip")
            with open(path, "wb") as f:
                f.write(blob)
            r = subprocess.run(["unzip", "-t", path], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("No errors detected", r.stdout)
        (line,) = boot.logs("archive written")
        self.assertEqual(line["zipBytes"], len(blob))
        self.assertAlmostEqual(line["ratio"], len(blob) / len(self.jpeg), places=3)
        self.assertGreater(line["ratio"], 0.9, "a JPEG barely shrinks; the ratio says so")
        # Our own output in the same bucket is never input: no thumbnail of a thumbnail or zip.
        thumb = "thumbnails/images/2026/photo one.jpg.jpg"
        self.assertIn(thumb, self.keys("src", "thumbnails/"))
        boot, (res2,) = self.run_events(env, [{"Records": [
            s3_event("src", "zip/images/2026/photo one.jpg.zip", len(blob), "2"),
            s3_event("src", "zip/x.jpg", 10, "2"),
            s3_event("src", thumb, 100, "2")]}])
        self.assertEqual(res2.json(), {"processed": 0, "skipped": 3, "failed": 0})
        reasons = [x["reason"] for x in boot.logs("object skipped")]
        self.assertTrue(any("ARCHIVE_PREFIX" in r for r in reasons))
        self.assertTrue(any("KEY_PREFIX" in r for r in reasons))
        self.assertEqual(self.keys("src", "zip/"), ["zip/images/2026/photo one.jpg.zip"])

    def test_zip_in_another_bucket_and_its_failure(self):
        self.s3.create_bucket(Bucket="archives")
        self.put("b.png", self.png)
        ev = {"Records": [s3_event("src", "b.png", len(self.png), "1")]}
        boot, (res,) = self.run_events(self.env(ARCHIVE_PREFIX="zip/", ARCHIVE_BUCKET="archives"),
                                       [ev])
        self.assertEqual(res.json(), {"processed": 1, "skipped": 0, "failed": 0})
        z = zipfile.ZipFile(io.BytesIO(self.s3.get_object(
            Bucket="archives", Key="zip/b.png.zip")["Body"].read()))
        self.assertEqual(z.read("b.png"), self.png)
        # No such archive bucket: a permanent failure, and no thumbnail written after it.
        self.s3.delete_object(Bucket="dst", Key="thumbnails/b.png.jpg")
        boot, (res,) = self.run_events(self.env(ARCHIVE_PREFIX="zip/", ARCHIVE_BUCKET="nowhere"),
                                       [ev])
        self.assertEqual(res.json(), {"processed": 0, "skipped": 0, "failed": 1})
        self.assertEqual(boot.logs("thumbnail failed")[0]["errorCode"], "NoSuchBucket")
        self.assertEqual(self.keys("dst", "thumbnails/b"), [])


@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class Metrics(Service):
    """METRIC_MODE: emf (log line), api (PutMetricData, once per invocation), both."""

    def stats(self, function):
        cw = self.moto.client("cloudwatch")
        metrics = cw.list_metrics(Namespace="INOW/Lambda101")["Metrics"]
        out = {}
        for m in metrics:
            dims = {d["Name"]: d["Value"] for d in m["Dimensions"]}
            if dims.get("FunctionName") != function:
                continue
            r = cw.get_metric_statistics(
                Namespace="INOW/Lambda101", MetricName=m["MetricName"],
                Dimensions=m["Dimensions"], StartTime=time.time() - 3600,
                EndTime=time.time() + 3600, Period=60, Statistics=["Sum", "SampleCount"])
            out[m["MetricName"]] = (sum(p["Sum"] for p in r["Datapoints"]),
                                    sum(p["SampleCount"] for p in r["Datapoints"]))
        return out

    def test_modes(self):
        self.put("m/a.jpg", self.jpeg)
        self.put("m/t.jpg", b"text\n" * 30)
        ev = {"Records": [s3_event("src", "m/a.jpg", len(self.jpeg), "1"),
                          s3_event("src", "m/t.jpg", 150, "1")]}
        for mode, emf, api in (("emf", 1, False), ("api", 0, True), ("both", 1, True)):
            fn = "thumbkit-" + mode
            boot, (res,) = self.run_events(
                self.env(METRIC_MODE=mode, AWS_LAMBDA_FUNCTION_NAME=fn), [ev])
            self.assertEqual(res.json(), {"processed": 1, "skipped": 1, "failed": 0})
            self.assertEqual(len(boot.emf()), emf, mode)
            st = self.stats(fn)
            if api:
                self.assertEqual(st["ImagesProcessed"], (1.0, 1.0), mode)
                self.assertEqual(st["ImagesSkipped"], (1.0, 1.0), mode)
                self.assertEqual(st["ImagesFailed"], (0.0, 1.0), mode)
                self.assertGreater(st["ProcessingTime"][0], 0, mode)
            else:
                self.assertEqual(st, {}, mode)

    def test_api_failure_never_fails_an_image(self):
        self.put("m2/a.jpg", self.jpeg)
        dead = "http://127.0.0.1:%d" % L.free_port()
        env = self.env(METRIC_MODE="api", AWS_ENDPOINT_URL_CLOUDWATCH=dead)
        with L.RuntimeEmulator(timeout_ms=4000) as emu:
            boot = L.Bootstrap(BOOTSTRAP, emu, env).start()
            try:
                res = emu.invoke({"Records": [s3_event("src", "m2/a.jpg", len(self.jpeg), "1")]},
                                 timeout=60)
            finally:
                boot.stop()
        self.assertEqual(res.json(), {"processed": 1, "skipped": 0, "failed": 0})
        (warn,) = boot.logs("PutMetricData failed")
        self.assertEqual(warn["level"], "WARN")
        self.assertEqual(self.keys("dst", "thumbnails/m2/"), ["thumbnails/m2/a.jpg.jpg"])



@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class Api(Service):
    """The HTTP API: API Gateway payload-2.0 events to a bootstrap configured as the API
    function; its presigned URLs used for real over loopback; errors with clear statuses and
    nothing written.

    moto accepts any presigned signature, so that a URL is right is proved elsewhere, by
    equality with botocore's (lambda.aws.presign_botocore). Refusing an expired or tampered
    URL is S3's behaviour when the URL is used; the local AWS cannot show it, and it is not
    tested here."""

    ID = re.compile(r"^uploads/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.(jpg|png)$")

    with_table = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qurl = L.setup_pipeline(cls.moto, "uploads", "dst", "up-events")
        cls.api_env = L.runtime_env(cls.moto.url, "dst", {
            "UPLOAD_BUCKET": "uploads", "METADATA_TABLE": TABLE, "URL_EXPIRES": "120",
            "AWS_LAMBDA_FUNCTION_NAME": "thumbkit-api"})
        cls.worker_env = L.runtime_env(cls.moto.url, "dst", {"METADATA_TABLE": TABLE})

    def api(self, events, env=None):
        boot, results = self.run_events(env or self.api_env, events)
        return boot, [L.ApiAnswer(r) for r in results]

    def reserve(self, ctype, body):
        _, (a,) = self.api([L.api_event("POST", "/images", {"contentType": ctype,
                                                              "contentLength": len(body)},
                                        {"Content-Type": "application/json"})])
        self.assertEqual(a.status, 201, a.json)
        st, _, out = L.http("PUT", a.json["upload"]["url"], body, a.json["upload"]["headers"])
        self.assertEqual(st, 200, out)
        return a

    def process_uploads(self, n):
        msgs = L.drain_queue(self.moto, self.qurl, n)
        boot, (res,) = self.run_events(self.worker_env, [L.sqs_event(msgs)])
        self.assertEqual(res.json(), {"batchItemFailures": []})
        return boot

    def test_1_upload_process_read(self):
        a = self.reserve("image/jpeg", self.jpeg)
        doc = a.json
        self.assertRegex(doc["imageId"], self.ID)
        self.assertEqual(doc["status"], "reserved")
        self.assertEqual(a.headers["location"], "/images/" + doc["imageId"])
        self.assertEqual(doc["links"]["self"], a.headers["location"])
        self.assertEqual(a.headers["access-control-allow-origin"], "*")
        self.assertEqual(a.headers["content-type"], "application/json")
        self.assertEqual(doc["upload"]["method"], "PUT")
        self.assertEqual(doc["upload"]["headers"], {"Content-Type": "image/jpeg"})
        self.assertEqual(doc["upload"]["expiresIn"], 120)
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(doc["upload"]["url"]).query))
        self.assertEqual((q["X-Amz-Expires"], q["X-Amz-SignedHeaders"]), ("120", "content-type;host"))
        self.assertEqual(doc["thumbnails"], [{"size": "256x256", "bucket": "dst",
                                              "key": "thumbnails/" + doc["imageId"] + ".jpg",
                                              "format": "jpeg"}])
        self.assertEqual(self.s3.get_object(Bucket="uploads", Key=doc["imageId"])["Body"].read(),
                         self.jpeg)
        self.process_uploads(1)
        path = "/images/" + urllib.parse.quote(doc["imageId"])
        _, (g, opt) = self.api([L.api_event("GET", path), L.api_event("OPTIONS", path)])
        self.assertEqual(g.status, 200, g.json)
        rec = g.json
        self.assertEqual((rec["imageId"], rec["status"]), (doc["imageId"], "processed"))
        self.assertEqual(rec["source"]["bucket"], "uploads")
        self.assertEqual(rec["image"]["format"], "jpeg")
        self.assertIsInstance(rec["processingMs"], (int, float))
        (t,) = rec["thumbnails"]
        self.assertEqual(t["key"], doc["thumbnails"][0]["key"])
        st, hdr, body = L.http("GET", t["url"])
        self.assertEqual(st, 200)
        self.assertEqual(L.image_dims(body), ("jpeg", t["width"], t["height"]))
        self.assertEqual(len(body), t["bytes"])
        self.assertNotIn("notifyPending", rec)
        self.assertEqual(opt.status, 204)
        self.assertIn("POST", opt.headers["access-control-allow-methods"])
        self.assertIn("content-type", opt.headers["access-control-allow-headers"])

    def test_2_inline_upload_and_listing(self):
        _, (a, bad) = self.api([
            L.api_event("POST", "/images", self.png, {"Content-Type": "image/png"},
                        base64_body=True),
            L.api_event("POST", "/images", b"GIF89a not a png", {"Content-Type": "image/png"},
                        base64_body=True)])
        self.assertEqual(a.status, 201, a.json)
        self.assertEqual((a.json["status"], a.json["bytes"]), ("uploaded", len(self.png)))
        self.assertTrue(a.json["imageId"].endswith(".png"))
        self.assertEqual(self.s3.get_object(Bucket="uploads", Key=a.json["imageId"])["Body"].read(),
                         self.png)
        self.assertEqual((bad.status, bad.json["error"]["code"]), (415, "UnsupportedMediaType"))
        for _ in range(3):
            self.reserve("image/jpeg", self.jpeg)
        self.process_uploads(4)
        ids, cursor, pages = [], None, 0
        while True:
            query = {"limit": "2"}
            if cursor:
                query["cursor"] = cursor
            _, (page,) = self.api([L.api_event("GET", "/images", query=query)])
            self.assertEqual(page.status, 200, page.json)
            self.assertLessEqual(page.json["count"], 2)
            self.assertEqual(page.json["count"], len(page.json["items"]))
            for it in page.json["items"]:
                ids.append(it["imageId"])
                self.assertEqual(it["status"], "processed")
                self.assertTrue(it["thumbnails"][0]["url"].startswith(self.moto.url + "/dst/"))
            pages += 1
            cursor = page.json["nextCursor"]
            if cursor is None:
                break
            self.assertLess(pages, 10)
        self.assertEqual(len(ids), len(set(ids)))
        table = {i["ImageID"]["S"] for i in self.moto.client("dynamodb").scan(TableName=TABLE)["Items"]}
        self.assertEqual(set(ids), table)
        self.assertGreaterEqual(len(ids), 5)

    def test_3_errors_write_nothing(self):
        before_s3 = self.keys("uploads")
        before_db = self.moto.client("dynamodb").scan(TableName=TABLE)["Count"]
        json_h = {"Content-Type": "application/json"}
        huge = self.jpeg * (4_300_000 // len(self.jpeg) + 1)
        cases = [
            (L.api_event("POST", "/images", "{not json", json_h), 400, "InvalidJson"),
            (L.api_event("POST", "/images", "[1,2]", json_h), 400, "InvalidJson"),
            (L.api_event("POST", "/images", {"contentType": "image/jpeg"}, json_h), 400, "MissingField"),
            (L.api_event("POST", "/images", {"contentType": "image/jpeg", "contentLength": -3}, json_h), 400, "MissingField"),
            (L.api_event("POST", "/images", {"contentType": "application/pdf", "contentLength": 10}, json_h), 415, "UnsupportedMediaType"),
            (L.api_event("POST", "/images", {"contentType": "image/jpeg", "contentLength": 67108865}, json_h), 413, "PayloadTooLarge"),
            (L.api_event("POST", "/images", "hello", {"Content-Type": "text/plain"}), 415, "UnsupportedMediaType"),
            (L.api_event("POST", "/images", "hello"), 415, "UnsupportedMediaType"),
            (L.api_event("POST", "/images", huge, {"Content-Type": "image/jpeg"}, base64_body=True), 413, "PayloadTooLarge"),
            (L.api_event("POST", "/images", "@@@", {"Content-Type": "image/jpeg"}, base64_body=False) | {"isBase64Encoded": True}, 400, "InvalidBody"),
            (L.api_event("GET", "/nope"), 404, "NotFound"),
            (L.api_event("GET", "/"), 404, "NotFound"),
            (L.api_event("DELETE", "/images"), 405, "MethodNotAllowed"),
            (L.api_event("PUT", "/images/uploads/a.jpg"), 405, "MethodNotAllowed"),
            (L.api_event("GET", "/images/uploads/..%2F..%2Fetc%2Fpasswd"), 400, "InvalidId"),
            (L.api_event("GET", "/images/..%2Fx"), 400, "InvalidId"),
            (L.api_event("GET", "/images/a//b.jpg"), 400, "InvalidId"),
            (L.api_event("GET", "/images/%ZZ"), 400, "InvalidId"),
            (L.api_event("GET", "/images/%FF%FE.jpg"), 400, "InvalidId"),
            (L.api_event("GET", "/images/a%0Ab.jpg"), 400, "InvalidId"),
            (L.api_event("GET", "/images/thumbnails/x.jpg.jpg"), 400, "InvalidId"),
            (L.api_event("GET", "/images/" + "k" * 1100), 400, "InvalidId"),
            (L.api_event("GET", "/images/uploads/never-uploaded.jpg"), 404, "NotFound"),
            (L.api_event("GET", "/images", query={"limit": "0"}), 400, "InvalidLimit"),
            (L.api_event("GET", "/images", query={"limit": "101"}), 400, "InvalidLimit"),
            (L.api_event("GET", "/images", query={"limit": "ten"}), 400, "InvalidLimit"),
            (L.api_event("GET", "/images", query={"cursor": "!!"}), 400, "InvalidCursor"),
            (L.api_event("GET", "/images", query={"cursor": base64.urlsafe_b64encode(b"../x").decode()}), 400, "InvalidCursor"),
        ]
        boot, answers = self.api([c[0] for c in cases])
        for (ev, status, code), a in zip(cases, answers):
            with self.subTest(path=ev["rawPath"][:60], method=ev["requestContext"]["http"]["method"]):
                self.assertEqual(a.status, status, a.json)
                self.assertEqual(a.json["error"]["code"], code)
                self.assertTrue(a.json["error"]["message"])
                self.assertEqual(a.json["requestId"], a.json["requestId"].strip())
                self.assertEqual(a.headers["access-control-allow-origin"], "*")
                if status == 405:
                    self.assertIn("GET", a.headers["allow"])
        self.assertEqual(self.keys("uploads"), before_s3, "no upload was written")
        self.assertEqual(self.moto.client("dynamodb").scan(TableName=TABLE)["Count"], before_db)
        lines = boot.logs("api request")
        self.assertEqual(len(lines), len(cases))

    def test_4_event_over_lambda_limit(self):
        ev = L.api_event("POST", "/images", "x" * (6 * 1024 * 1024 + 10),
                         {"Content-Type": "application/json"})
        _, (a,) = self.api([ev])
        self.assertEqual((a.status, a.json["error"]["code"]), (413, "PayloadTooLarge"))

    def test_5_missing_table_and_not_configured(self):
        env = dict(self.api_env, METADATA_TABLE="NoSuchTable")
        _, (g, lst) = self.api([L.api_event("GET", "/images/uploads/a.jpg"),
                                L.api_event("GET", "/images")], env)
        for a in (g, lst):
            self.assertEqual(a.status, 502, a.json)
            self.assertEqual(a.json["error"]["code"], "UpstreamError")
            self.assertIn("ResourceNotFoundException", a.json["error"]["message"])
        env = dict(self.api_env)
        del env["METADATA_TABLE"], env["UPLOAD_BUCKET"]
        _, (p, g) = self.api([L.api_event("POST", "/images", {"contentType": "image/jpeg",
                                                              "contentLength": 5},
                                          {"Content-Type": "application/json"}),
                              L.api_event("GET", "/images/uploads/a.jpg")], env)
        self.assertEqual((p.status, p.json["error"]["code"]), (501, "NotConfigured"))
        self.assertIn("UPLOAD_BUCKET", p.json["error"]["message"])
        self.assertEqual((g.status, g.json["error"]["code"]), (501, "NotConfigured"))
        dead = "http://127.0.0.1:%d" % L.free_port()
        env = dict(self.api_env, AWS_ENDPOINT_URL_DYNAMODB=dead)
        with L.RuntimeEmulator(timeout_ms=3000) as emu:
            boot = L.Bootstrap(BOOTSTRAP, emu, env).start()
            try:
                a = L.ApiAnswer(emu.invoke(L.api_event("GET", "/images/uploads/a.jpg"), timeout=30))
            finally:
                boot.stop()
        self.assertEqual((a.status, a.headers.get("retry-after")), (503, "1"))

    def test_6_stage_prefix_and_origin(self):
        env = dict(self.api_env, CORS_ALLOW_ORIGIN="https://app.example.com")
        _, (a,) = self.api([L.api_event("GET", "/images", query={"limit": "1"}, stage="prod")],
                           env)
        self.assertEqual(a.status, 200, a.json)
        self.assertEqual(a.headers["access-control-allow-origin"], "https://app.example.com")
        self.assertEqual(a.headers["vary"], "origin")


if __name__ == "__main__":
    unittest.main()
