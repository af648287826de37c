"""Fault injection between the real `bootstrap` and S3: nothing lost, nothing half-written.

moto server <- fault_proxy.py (resets, 500, 503 SlowDown, stalled, truncated and mis-sized
bodies on GET and PUT) <- bootstrap <- the project's Runtime API emulator, fed SQS batches of
the S3 notifications moto queued for COUNT uploads. Messages the function reports in
batchItemFailures (or whole batches that fail) are fed again, as SQS would, up to ROUNDS times.
Then, from the destination bucket and the responses:

  - every thumbnail is present and byte-identical to tk_thumbnail()'s (tk_e2e_reference) of
    its source, so decodable, never zero-byte or truncated;
  - no invocation reported a message done whose thumbnail was not (yet) there and whole;
  - every invocation answered before its deadline (retries stay inside it);
  - every fault kind was injected at least once; the counts are printed.

    python3 tests/fault/test_faults.py --count 1000 --rate 0.25     # the full run (tests/fault/run)
The default suite runs a smaller count (ctest fault.injection).
Environment: TK_BOOTSTRAP, TK_E2E_REFERENCE, TK_TEST_DATA (set by ctest).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lambda", "e2e"))
sys.path.insert(0, HERE)

import localaws as L  # noqa: E402
from fault_proxy import GET_FAULTS, HEAD_FAULTS, PUT_FAULTS, Proxy  # noqa: E402

L.require_moto()


BOOT = None  # the running bootstrap, whose log lines a failure shows


def fail(msg, key=None):
    print("FAIL: " + msg)
    if BOOT is not None and key is not None:
        src = key[len("thumbnails/"):-len(".jpg")]
        for line in BOOT.lines:
            if src in line:
                print("  log: " + line)
    sys.exit(1)


def sources(data):
    """Small real photos (decoded in a few ms each), cycled through the uploads."""
    out = []
    for n in sorted(os.listdir(os.path.join(data, "exif-orientation"))):
        if n.endswith(".jpg"):
            out.append(os.path.join(data, "exif-orientation", n))
    for n in ("basn2c08.png", "basn6a08.png", "basi0g08.png"):
        out.append(os.path.join(data, "pngsuite", n))
    return out


def reference(ref, path, env, tmp):
    out = os.path.join(tmp, "ref-" + os.path.basename(path))
    r = subprocess.run([ref, path, out], env=env, capture_output=True, timeout=120)
    if r.returncode != 0:
        fail(f"reference failed for {path}: {r.stderr.decode()}")
    with open(out, "rb") as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--rate", type=float, default=0.25, help="share of requests given a fault")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=12, help="most deliveries of one message")
    ap.add_argument("--timeout-ms", type=int, default=20000, help="invocation deadline")
    ap.add_argument("--kinds", default="", help="comma-separated fault kinds (default: all)")
    a = ap.parse_args()
    boot_bin = os.environ["TK_BOOTSTRAP"]
    ref_bin = os.environ["TK_E2E_REFERENCE"]
    data = os.environ.get("TK_TEST_DATA", os.path.join(HERE, "..", "data"))

    tmp = tempfile.mkdtemp(prefix="tk-fault-")
    moto = L.MotoServer().start(tmp)
    proxy = emu = boot = None
    try:
        s3 = moto.client("s3")
        s3.create_bucket(Bucket="src")
        s3.create_bucket(Bucket="dst")
        s3.put_bucket_versioning(Bucket="src", VersioningConfiguration={"Status": "Enabled"})
        from botocore.config import Config
        plain = L.boto3_client(moto, "s3", Config(request_checksum_calculation="when_required"))
        env = L.runtime_env(moto.url, "dst", {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512"})
        files = sources(data)
        want_by_file = {p: reference(ref_bin, p, env, tmp) for p in files}
        expect, msgs = {}, []
        for i in range(a.count):
            path = files[i % len(files)]
            key = "up/%05d-%s" % (i, os.path.basename(path))
            with open(path, "rb") as f:
                body = f.read()
            # Half the objects carry a CRC32 (boto3's default), half none: the body is then
            # checked against Content-Length, the event's size or a HeadObject.
            r = (s3 if i % 2 else plain).put_object(Bucket="src", Key=key, Body=body)
            expect["thumbnails/" + key + ".jpg"] = want_by_file[path]  # JPEG output
            # The notification S3 sends for this upload (moto's own queue is too slow to
            # drain thousands from), as one SQS message.
            rec = {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": L.REGION,
                   "eventName": "ObjectCreated:Put",
                   "s3": {"bucket": {"name": "src", "arn": "arn:aws:s3:::src"},
                          "object": {"key": L.quote_key(key), "size": len(body),
                                     "eTag": r["ETag"].strip('"'),
                                     "versionId": r["VersionId"],
                                     "sequencer": "%016X" % (i + 1)}}}
            msgs.append({"MessageId": "msg-%05d" % i, "ReceiptHandle": "rh-%05d" % i,
                         "Body": json.dumps({"Records": [rec]})})

        kinds = [k for k in a.kinds.split(",") if k] or None
        proxy = Proxy(moto.port, rate=a.rate, seed=a.seed, kinds=kinds).start()
        emu = L.RuntimeEmulator(timeout_ms=a.timeout_ms).start()
        env["AWS_ENDPOINT_URL"] = proxy.url
        boot = L.Bootstrap(boot_bin, emu, env).start()
        global BOOT
        BOOT = boot
        dst_key = {}
        for m in msgs:
            rec = json.loads(m["Body"])["Records"][0]
            k = L.unquote_key(rec["s3"]["object"]["key"])
            dst_key[m["MessageId"]] = "thumbnails/" + k + ".jpg"

        pending = list(msgs)
        invocations = failed_invocations = 0
        slowest = 0.0
        t0 = time.monotonic()
        for rnd in range(a.rounds):
            if not pending:
                break
            again = []
            for i in range(0, len(pending), 10):
                batch = pending[i:i + 10]
                rid = emu.enqueue(L.sqs_event(batch))
                res = emu.wait_result(rid, timeout=a.timeout_ms / 1000 + 30)
                invocations += 1
                took = res.received_at - emu.handed_out_at(rid)
                slowest = max(slowest, took)
                if took * 1000 > a.timeout_ms:
                    fail(f"invocation {rid} answered after its deadline ({took:.1f} s)")
                if res.kind == "error":
                    failed_invocations += 1
                    again += batch
                    continue
                failed = {f["itemIdentifier"] for f in res.json()["batchItemFailures"]}
                for m in batch:
                    if m["MessageId"] in failed:
                        again.append(m)
                        continue
                    # Reported done: the thumbnail must be there, whole, now.
                    key = dst_key[m["MessageId"]]
                    try:
                        got = s3.get_object(Bucket="dst", Key=key)["Body"].read()
                    except s3.exceptions.NoSuchKey:
                        fail(f"{key}: reported done without its object", key)
                    if got != expect[key]:
                        fail(f"{key}: reported done with {len(got)} bytes, expected "
                             f"{len(expect[key])} (truncated or wrong)", key)
            pending = again
            print(f"round {rnd + 1}: {len(pending)} message(s) to deliver again")
        wall = time.monotonic() - t0
        if pending:
            fail(f"{len(pending)} message(s) still failing after {a.rounds} deliveries")

        listed = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket="dst"):
            for o in page.get("Contents", []):
                listed[o["Key"]] = o["Size"]
        missing = sorted(set(expect) - set(listed))
        if missing:
            fail(f"{len(missing)} thumbnail(s) missing, e.g. {missing[:3]}")
        zero = [k for k, n in listed.items() if n == 0]
        if zero:
            fail(f"zero-byte objects: {zero[:3]}")
        wrong = [k for k in expect
                 if s3.get_object(Bucket="dst", Key=k)["Body"].read() != expect[k]]
        if wrong:
            fail(f"{len(wrong)} thumbnail(s) differ from the reference, e.g. {wrong[:3]}")
        extra = sorted(set(listed) - set(expect))
        if extra:
            fail(f"unexpected objects in the destination: {extra[:3]}")

        counts = dict(sorted(proxy.counts.items()))
        never = sorted(set(kinds or GET_FAULTS + PUT_FAULTS + HEAD_FAULTS) - set(counts))
        summary = {"images": a.count, "thumbnails_correct": len(expect) - len(wrong),
                   "invocations": invocations, "failed_invocations": failed_invocations,
                   "slowest_invocation_s": round(slowest, 2), "wall_s": round(wall, 1),
                   "requests": proxy.requests, "faults_injected": proxy.total(),
                   "faults_by_kind": counts}
        print(json.dumps(summary, indent=1))
        if never:
            fail(f"fault kinds never injected: {never} (raise --count or --rate)")
        everything = "\n".join(boot.lines) + boot.stderr.decode("utf-8", "replace")
        if "Sanitizer" in everything or "runtime error:" in everything:
            fail("a sanitizer reported a problem")
        print(f"ok: {len(expect)}/{a.count} thumbnails correct with "
              f"{proxy.total()} faults injected")
        return 0
    finally:
        L.stop_all(boot, emu, proxy, moto, tmp=tmp)


if __name__ == "__main__":
    sys.exit(main())
