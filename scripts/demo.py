"""The local demo (run by scripts/demo): the whole image service on a local AWS.

moto server (S3, SQS, SNS, DynamoDB, CloudWatch) + two Lambda functions, each the real
`bootstrap` under the project's Runtime API emulator:
  - the API function answers API Gateway HTTP API (payload 2.0) events;
  - the thumbnail function handles the S3 notifications moto puts on an SQS queue.

The flow, for each sample image: POST /images reserves an upload -> the bytes go to S3 over
HTTP with the presigned PUT URL -> S3 notifies the queue -> the thumbnail function makes the
thumbnails (several sizes), the zip archive, the DynamoDB record and the SNS message ->
GET /images/{id} returns the record with presigned thumbnail URLs, which are fetched ->
the SNS message is read from a subscribed SQS queue. Printed as a table; the thumbnails are
copied to OUT_DIR.

With --serve it then keeps everything running behind the HTTP API front and serves the upload
page (tests/lambda/e2e/localapi.py, as scripts/local-api does), printing the URL to open, until
Ctrl-C: the gallery shows the demo's images, and new uploads are processed as they arrive.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# moto, the Runtime API emulator and the real bootstrap, as the end-to-end tests drive them.
sys.path.insert(0, os.path.join(REPO, "tests", "lambda", "e2e"))
import localaws as L  # noqa: E402
import localapi  # noqa: E402

SRC, DST, TABLE = "demo-images", "demo-thumbnails", "ImageMetadata"
SIZES = "128,256"


def call_api(emu, method, path, body=None, headers=None, query=None):
    return L.ApiAnswer(emu.invoke(L.api_event(method, path, body, headers, query), timeout=60))


def stop_on_signal(signum, frame):
    """SIGTERM: leave through the finally block; a second signal must not cut its cleanup short."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(143)


def serve(moto, api_emu, worker_emu, qurl, a):
    """The HTTP API front and the upload page over the demo's local AWS, until Ctrl-C."""
    front = localapi.Front(moto, api_emu, worker_emu, qurl, SRC, DST, port=a.port,
                           page_port=a.page_port)
    try:
        front.start()
    except OSError as e:
        print(f"demo: cannot serve: {e} (another server on port {a.port} or {a.page_port}?)")
        front.stop()
        return
    print()
    print(f"HTTP API             {front.api.url}")
    print(f"upload page          {front.page_url}")
    print("Open the page in a browser; Ctrl-C stops everything.", flush=True)
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    finally:
        front.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--data", required=True, help="tests/data")
    ap.add_argument("--out", required=True, help="folder for the thumbnails")
    ap.add_argument("--serve", action="store_true",
                    help="then serve the HTTP API and the upload page until Ctrl-C")
    ap.add_argument("--port", type=int, default=8750, help="HTTP API port with --serve")
    ap.add_argument("--page-port", type=int, default=8751, help="upload page port with --serve")
    a = ap.parse_args()
    # Turn SIGTERM into an exception so the finally block stops moto, the emulators, bootstrap.
    signal.signal(signal.SIGTERM, stop_on_signal)

    samples = []
    for n in ("exif-samples__DSCN0010.jpg", "sharp__concert.jpg", "libjpeg-turbo__testorig.jpg"):
        p = os.path.join(a.data, "jpeg", n)
        if os.path.exists(p):
            samples.append((n.split("__", 1)[1], "image/jpeg", open(p, "rb").read()))
    samples.append(("Portrait_6.jpg", "image/jpeg",
                    open(os.path.join(a.data, "exif-orientation", "Portrait_6.jpg"), "rb").read()))
    samples.append(("basn6a08.png", "image/png",
                    open(os.path.join(a.data, "pngsuite", "basn6a08.png"), "rb").read()))
    samples.append(("not-a-picture.jpg", "image/jpeg", b"just some text\n" * 50))

    tmp = tempfile.mkdtemp(prefix="thumbkit-demo-")
    moto = L.MotoServer(env=localapi.MOTO_ENV)
    api_emu, worker_emu = L.RuntimeEmulator(), L.RuntimeEmulator()
    api_boot = worker_boot = None
    try:
        t0 = time.monotonic()
        moto.start(tmp)
        api_emu.start()
        worker_emu.start()
        print(f"local AWS (moto)     {moto.url}")
        print(f"API function         Runtime API {api_emu.endpoint}")
        print(f"thumbnail function   Runtime API {worker_emu.endpoint}")
        # Uploads go to uploads/ of the source bucket; S3 notifies an SQS queue; the archive
        # goes to zip/ of the same bucket (never processed again).
        qurl = L.setup_pipeline(moto, SRC, DST, "demo-s3-events", suffixes=(".jpg", ".png", ".heic", ".heif", ".webp", ".avif"))
        L.create_table(moto, TABLE)
        topic, notes_q = L.subscribe_queue(moto, "demo-images-done", "demo-subscriber")
        common = {"METADATA_TABLE": TABLE, "THUMB_SIZES": SIZES}
        api_boot = L.Bootstrap(a.bootstrap, api_emu, L.runtime_env(moto.url, DST, dict(
            common, UPLOAD_BUCKET=SRC, ARCHIVE_PREFIX="zip/",
            AWS_LAMBDA_FUNCTION_NAME="thumbkit-demo-api"))).start()
        worker_boot = L.Bootstrap(a.bootstrap, worker_emu, L.runtime_env(moto.url, DST, dict(
            common, NOTIFY_TOPIC_ARN=topic, ARCHIVE_PREFIX="zip/", METRIC_MODE="both",
            THUMB_CACHE_CONTROL="public, max-age=31536000, immutable",
            AWS_LAMBDA_FUNCTION_NAME="thumbkit-demo"))).start()

        # 1. Reserve and upload through the presigned URLs.
        rows = []
        for name, ctype, body in samples:
            r = call_api(api_emu, "POST", "/images", {"contentType": ctype, "contentLength": len(body)},
                         {"Content-Type": "application/json"})
            up = r.json["upload"]
            status, _, _ = L.http(up["method"], up["url"], body, up["headers"])
            rows.append({"name": name, "id": r.json["imageId"], "post": r.status, "put": status,
                         "bytes": len(body)})
        print(f"uploaded             {len(rows)} files: POST /images -> presigned PUT to s3://{SRC}/uploads/")

        # 2. The S3 notifications, as the thumbnail function's SQS event source delivers them.
        msgs = L.drain_queue(moto, qurl, len(rows))
        t1 = time.monotonic()
        res = worker_emu.invoke(L.sqs_event(msgs), timeout=120)
        print(f"thumbnail function   {len(msgs)} S3 notifications in one SQS batch -> {res.body.decode()} "
              f"({(time.monotonic() - t1) * 1000:.0f} ms)")

        # 3. What each image became: the record through the API, the thumbnails through their
        #    URLs, the SNS message, the zip.
        notes = {n["Message"]["imageId"]: n for n in
                 L.receive_notifications(moto, notes_q, sum(1 for r in rows if "not-a" not in r["name"]))}
        s3 = moto.client("s3")
        os.makedirs(a.out, exist_ok=True)
        for row in rows:
            g = call_api(api_emu, "GET", "/images/" + urllib.parse.quote(row["id"]))
            row["get"] = g.status
            rec = g.json or {}
            row["status"] = rec.get("status", "-")
            row["reason"] = rec.get("reasonCode", "")
            row["ms"] = rec.get("processingMs")
            got = []
            for t in rec.get("thumbnails", []):
                st, _, data = L.http("GET", t["url"])
                if st == 200:
                    got.append(f"{t['width']}x{t['height']}")
                    dest = os.path.join(a.out, row["name"] + "." + t["size"] + "." + t["key"].rsplit(".", 1)[1])
                    with open(dest, "wb") as f:
                        f.write(data)
            row["thumbs"] = " ".join(got) or "-"
            n = notes.get(row["id"])
            row["sns"] = n["MessageAttributes"]["status"]["Value"] if n else "-"
            try:
                z = s3.head_object(Bucket=SRC, Key="zip/" + row["id"] + ".zip")
                row["zip"] = f"{z['ContentLength']} B"
            except Exception:  # noqa: BLE001 - not there: shown as "-"
                row["zip"] = "-"

        print()
        head = ("image", "POST", "PUT", "bytes", "thumbnails (fetched via URL)", "GET /images/{id}",
                "ms", "SNS", "zip")
        w = [max(len(head[0]), *(len(r["name"]) for r in rows)), 4, 3, 7, 28, 26, 6, 9, 9]
        line = "  ".join(h.ljust(x) for h, x in zip(head, w))
        print(line)
        print("-" * len(line))
        for r in rows:
            status = f"{r['get']} {r['status']}" + (f" ({r['reason']})" if r["reason"] else "")
            ms = f"{r['ms']:.1f}" if isinstance(r["ms"], (int, float)) else "-"
            cells = (r["name"], str(r["post"]), str(r["put"]), str(r["bytes"]), r["thumbs"], status,
                     ms, r["sns"], r["zip"])
            print("  ".join(c.ljust(x) for c, x in zip(cells, w)))
        print()
        lst = call_api(api_emu, "GET", "/images", query={"limit": "3"})
        print(f"GET /images?limit=3  {lst.status}: {lst.json['count']} items, nextCursor "
              f"{'set' if lst.json['nextCursor'] else 'null'}")
        sample = rows[0]["id"]
        print(f"record of {sample}:")
        print("  " + json.dumps({k: v for k, v in call_api(api_emu, "GET", "/images/" + sample).json.items()
                                 if k in ("status", "image", "processingMs", "createdAt")}))
        emf = worker_boot.emf()
        if emf:
            m = emf[-1]
            print(f"metric (EMF line)    ImagesProcessed={m['ImagesProcessed']} ImagesSkipped={m['ImagesSkipped']} "
                  f"ImagesFailed={m['ImagesFailed']}")
        cw = moto.client("cloudwatch").list_metrics(Namespace="INOW/Lambda101")["Metrics"]
        print(f"metric (CloudWatch)  {len(cw)} metrics via PutMetricData: "
              f"{', '.join(sorted({c['MetricName'] for c in cw}))}")
        cold = worker_boot.logs("cold start")
        if cold:
            print(f"SIMD kernels         {cold[0]['simd']}")
        print(f"thumbnails in        {os.path.abspath(a.out)}/")
        print(f"total                {time.monotonic() - t0:.1f} s")
        ok = sum(1 for r in rows if r["status"] == "processed")
        if a.serve:
            serve(moto, api_emu, worker_emu, qurl, a)
        else:
            print("upload page          bash scripts/demo --serve (or bash scripts/local-api) serves it at "
                  f"http://127.0.0.1:{a.page_port}/?api=http://127.0.0.1:{a.port}")
        return 0 if ok == len(rows) - 1 else 1
    finally:
        for b in (api_boot, worker_boot):
            if b:
                b.stop()
        api_emu.stop()
        worker_emu.stop()
        moto.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
