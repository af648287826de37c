"""Local load test of the SQS buffering: COUNT objects through a moto SQS queue (with a
dead-letter queue) to WORKERS concurrent `bootstrap` processes fed by the Runtime API
emulator, as Lambda's event source mapping would feed them.

Half the objects are uploaded before the bucket notifies the queue and sent by
scripts/backfill (the backfill path); the other half are uploaded with the notification on
(the live path). The workers start on the full queue, so the throughput printed is the
processing's alone (moto's uploads are slow and are timed apart). WORKERS pollers each receive up to 10 messages, invoke, delete what the
function did not report in batchItemFailures and make the rest visible again (maxReceiveCount
5, then the DLQ). Checked at the end: every thumbnail present with the reference's bytes (its
ETag is the MD5 of tk_thumbnail()'s output), exactly one write per object (0 duplicated
outputs), the queue and the DLQ empty; throughput is printed.

    python3 tests/load/load_test.py --count 5000 --workers 4     # tests/load/run
The default suite runs a short form (ctest load.sqs).
Environment: TK_BOOTSTRAP, TK_E2E_REFERENCE, TK_TEST_DATA (set by ctest).
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "lambda", "e2e"))
import localaws as L  # noqa: E402

L.require_moto()


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def poller(moto, emu, qurl, stop, stats, lock):
    sqs = moto.client("sqs")
    while not stop.is_set():
        r = sqs.receive_message(QueueUrl=qurl, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                VisibilityTimeout=120, AttributeNames=["All"])
        msgs = [m for m in r.get("Messages", []) if "Records" in json.loads(m["Body"])]
        tests = [m for m in r.get("Messages", []) if m not in msgs]  # s3:TestEvent
        for m in tests:
            sqs.delete_message(QueueUrl=qurl, ReceiptHandle=m["ReceiptHandle"])
        if not msgs:
            continue
        res = emu.invoke(L.sqs_event(msgs), timeout=120)
        failed = set()
        if res.kind == "error":
            failed = {m["MessageId"] for m in msgs}
        else:
            failed = {f["itemIdentifier"] for f in res.json().get("batchItemFailures", [])}
        done = [m for m in msgs if m["MessageId"] not in failed]
        again = [m for m in msgs if m["MessageId"] in failed]
        for i in range(0, len(done), 10):
            sqs.delete_message_batch(QueueUrl=qurl, Entries=[
                {"Id": str(k), "ReceiptHandle": m["ReceiptHandle"]}
                for k, m in enumerate(done[i:i + 10])])
        if again:
            sqs.change_message_visibility_batch(QueueUrl=qurl, Entries=[
                {"Id": str(k), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                for k, m in enumerate(again)])
        with lock:
            stats["invocations"] += 1
            stats["messages"] += len(msgs)
            stats["retried"] += len(again)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--timeout-s", type=float, default=1800)
    a = ap.parse_args()
    boot_bin, ref_bin = os.environ["TK_BOOTSTRAP"], os.environ["TK_E2E_REFERENCE"]
    data = os.environ.get("TK_TEST_DATA", os.path.join(REPO, "tests", "data"))
    tmp = tempfile.mkdtemp(prefix="tk-load-")
    moto = L.MotoServer().start(tmp)
    emu, boots, pollers, stop = None, [], [], threading.Event()
    try:
        s3, sqs = moto.client("s3"), moto.client("sqs")
        s3.create_bucket(Bucket="src")
        s3.create_bucket(Bucket="dst")
        dlq = sqs.create_queue(QueueName="jobs-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        qurl = sqs.create_queue(QueueName="jobs", Attributes={"RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"})})["QueueUrl"]
        qarn = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]

        files = [os.path.join(data, "pngsuite", n) for n in sorted(os.listdir(
            os.path.join(data, "pngsuite"))) if n.startswith("basn") and n.endswith(".png")]
        env = L.runtime_env(moto.url, "dst", {"AWS_LAMBDA_LOG_LEVEL": "INFO"})
        md5_of = {}
        for p in files:
            out = os.path.join(tmp, "ref-" + os.path.basename(p))
            subprocess.run([ref_bin, p, out], env=env, check=True, capture_output=True)
            with open(out, "rb") as f:
                md5_of[p] = hashlib.md5(f.read()).hexdigest()
        bodies = {p: open(p, "rb").read() for p in files}
        expect = {}
        half = a.count // 2

        def upload(i):
            p = files[i % len(files)]
            key = "load/%05d %s" % (i, os.path.basename(p))
            s3.put_object(Bucket="src", Key=key, Body=bodies[p])
            expect["thumbnails/" + key + ".jpg"] = md5_of[p]

        t_up = time.monotonic()
        for i in range(half):  # before the notification: the backfill's share
            upload(i)
        s3.put_bucket_notification_configuration(Bucket="src", NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": qarn, "Events": ["s3:ObjectCreated:*"],
                                     "Filter": {"Key": {"FilterRules": [
                                         {"Name": "suffix", "Value": ".png"}]}}}]})
        r = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "backfill"),
                            "--bucket", "src", "--queue-url", qurl, "--endpoint-url", moto.url,
                            "--region", L.REGION],
                           env=dict(os.environ, AWS_ACCESS_KEY_ID=L.ACCESS_KEY,
                                    AWS_SECRET_ACCESS_KEY=L.SECRET_KEY),
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0 or f"sent {half} of {half}" not in r.stdout:
            fail(f"backfill: {r.stdout} {r.stderr}")
        print(r.stdout.strip())

        for i in range(half, a.count):  # the live share: S3 notifies the queue
            upload(i)
        upload_s = time.monotonic() - t_up
        print(f"uploaded {a.count} objects in {upload_s:.1f} s; the queue holds them all")

        # The workers start on a full queue, so the time measured is the processing alone.
        emu = L.RuntimeEmulator(timeout_ms=60000).start()
        boots = [L.Bootstrap(boot_bin, emu, env).start() for _ in range(a.workers)]
        stats = {"invocations": 0, "messages": 0, "retried": 0}
        lock = threading.Lock()
        t0 = time.monotonic()
        for _ in range(a.workers):
            t = threading.Thread(target=poller, args=(moto, emu, qurl, stop, stats, lock),
                                 daemon=True)
            t.start()
            pollers.append(t)

        def listed():
            out = {}
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket="dst"):
                for o in page.get("Contents", []):
                    out[o["Key"]] = o["ETag"].strip('"')
            return out

        deadline = time.monotonic() + a.timeout_s
        while time.monotonic() < deadline:
            attrs = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=[
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])[
                "Attributes"]
            if (int(attrs["ApproximateNumberOfMessages"]) == 0 and
                    int(attrs["ApproximateNumberOfMessagesNotVisible"]) == 0 and
                    stats["messages"] - stats["retried"] >= a.count):
                break
            time.sleep(0.5)
        wall = time.monotonic() - t0
        stop.set()
        for t in pollers:
            t.join(10)

        got = listed()
        lost = sorted(set(expect) - set(got))
        wrong = sorted(k for k in expect if k in got and got[k] != expect[k])
        extra = sorted(set(got) - set(expect))
        dlq_n = int(sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=[
            "ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])
        for b in boots:
            b.stop()
        writes = {}
        for b in boots:
            for rec in b.logs("thumbnail written"):
                writes.setdefault(rec["destKey"], []).append(rec["publish"])
        written = sum(v.count("written") for v in writes.values())
        duplicated = sorted(k for k, v in writes.items() if v.count("written") > 1)
        report = {"objects": a.count, "workers": a.workers, "upload_s": round(upload_s, 1),
                  "wall_s": round(wall, 1),
                  "thumbnails_per_s": round(a.count / wall, 1), "invocations": stats["invocations"],
                  "messages_delivered": stats["messages"], "messages_retried": stats["retried"],
                  "thumbnails": len(got), "lost": len(lost), "wrong_bytes": len(wrong),
                  "written": written, "duplicated_outputs": len(duplicated), "dlq": dlq_n,
                  "per_worker_invocations": [len(b.emf()) for b in boots]}
        print(json.dumps(report, indent=1))
        problems = []
        if lost:
            problems.append(f"{len(lost)} lost, e.g. {lost[:3]}")
        if wrong:
            problems.append(f"{len(wrong)} with wrong bytes, e.g. {wrong[:3]}")
        if extra:
            problems.append(f"unexpected objects {extra[:3]}")
        if duplicated or written != a.count:
            problems.append(f"{written} writes for {a.count} objects ({len(duplicated)} twice)")
        if dlq_n:
            problems.append(f"{dlq_n} message(s) in the DLQ")
        if problems:
            fail("; ".join(problems))
        print(f"ok: {a.count} objects, 0 lost, 0 duplicated, DLQ empty, "
              f"{a.count / wall:.1f} thumbnails/s with {a.workers} workers")
        return 0
    finally:
        stop.set()
        L.stop_all(boots, emu, moto, tmp=tmp)

if __name__ == "__main__":
    sys.exit(main())
