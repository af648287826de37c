"""The local demo (run by scripts/demo): moto + the Runtime API emulator + the real bootstrap.

Creates an upload bucket with S3 -> SQS notifications, uploads the sample images, feeds
the notifications from the queue to bootstrap as one SQS batch, prints a table, copies
the thumbnails to OUT_DIR and shows the ImagesProcessed metric.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# moto, the Runtime API emulator and the real bootstrap, as the end-to-end tests drive them.
sys.path.insert(0, os.path.join(REPO, "tests", "lambda", "e2e"))
import localaws as L  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--data", required=True, help="tests/data")
    ap.add_argument("--out", required=True, help="folder for the thumbnails")
    a = ap.parse_args()
    # Turn SIGTERM into an exception so the finally block stops moto, the emulator, bootstrap.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    samples = []
    orient = os.path.join(a.data, "exif-orientation")
    for n in sorted(os.listdir(orient)):
        if n.endswith(".jpg"):
            samples.append(("exif-orientation/" + n, os.path.join(orient, n)))
    for n in ("exif-samples__DSCN0010.jpg", "libjpeg-turbo__testimgint.jpg",
              "libjpeg-turbo__testorig.jpg", "sharp__concert.jpg", "thumbor__grayscale-icc.jpg"):
        p = os.path.join(a.data, "jpeg", n)
        if os.path.exists(p):
            samples.append(("photos/" + n.split("__", 1)[1], p))
    samples.append(("photos/not really a picture.jpg", None))

    tmp = tempfile.mkdtemp(prefix="thumbkit-demo-")
    moto = L.MotoServer()
    emu = L.RuntimeEmulator()
    boot = None
    try:
        t0 = time.monotonic()
        moto.start(tmp)
        emu.start()
        print(f"moto server     {moto.url}")
        print(f"Runtime API     {emu.endpoint} (tests/lambda/emulator)")
        qurl = L.setup_pipeline(moto, "demo-uploads", "demo-thumbnails", "demo-thumbnail-jobs")
        s3 = moto.client("s3")
        for key, path in samples:
            body = open(path, "rb").read() if path else b"just some text\n" * 50
            s3.put_object(Bucket="demo-uploads", Key=key, Body=body)
        print(f"uploaded        {len(samples)} objects to s3://demo-uploads/")
        msgs = L.drain_queue(moto, qurl, len(samples))
        print(f"queued          {len(msgs)} S3 notifications on SQS")

        env = L.runtime_env(moto.url, "demo-thumbnails",
                            {"AWS_LAMBDA_FUNCTION_NAME": "thumbkit-demo"})
        boot = L.Bootstrap(a.bootstrap, emu, env).start()
        res = emu.invoke(L.sqs_event(msgs), timeout=120)
        deadline = time.monotonic() + 10
        while not boot.emf() and time.monotonic() < deadline:
            time.sleep(0.02)
        print(f"Lambda response {res.body.decode()}")
        print()

        written = {r["key"]: r for r in boot.logs("thumbnail written")}
        skipped = {r["key"]: r for r in boot.logs("object skipped")}
        failed = {r["key"]: r for r in boot.logs("thumbnail failed")}
        w = max(len(k) for k, _ in samples)
        print(f"{'source key':<{w}}  {'thumbnail key':<{w + 15}}  {'size':>9}  "
              f"{'bytes':>7}  {'ms':>6}")
        os.makedirs(a.out, exist_ok=True)
        for key, _ in samples:
            if key in written:
                r = written[key]
                print(f"{key:<{w}}  {r['destKey']:<{w + 15}}  "
                      f"{str(r['width']) + 'x' + str(r['height']):>9}  {r['thumbBytes']:>7}  "
                      f"{r['totalMs']:>6.1f}")
                data = s3.get_object(Bucket="demo-thumbnails", Key=r["destKey"])["Body"].read()
                dest = os.path.join(a.out, r["destKey"].replace("/", "__"))
                with open(dest, "wb") as f:
                    f.write(data)
            elif key in skipped:
                print(f"{key:<{w}}  {'(skipped: ' + skipped[key]['reason'] + ')'}")
            elif key in failed:
                print(f"{key:<{w}}  {'(failed: ' + failed[key]['error'] + ')'}")
        emf = boot.emf()
        print()
        if emf:
            m = emf[-1]
            print(f"EMF metric      ImagesProcessed={m['ImagesProcessed']} "
                  f"ImagesSkipped={m['ImagesSkipped']} ImagesFailed={m['ImagesFailed']} "
                  f"ProcessingTime={m['ProcessingTime']:.1f} ms")
        cold = boot.logs("cold start")
        if cold:
            print(f"SIMD kernels    {cold[0]['simd']}")
        print(f"thumbnails in   {os.path.abspath(a.out)}/")
        print(f"total           {time.monotonic() - t0:.1f} s")
        return 0 if emf and emf[-1]["ImagesProcessed"] > 0 else 1
    finally:
        if boot:
            boot.stop()
        emu.stop()
        moto.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
