"""The Python + Pillow thumbnail handlers thumbkit is compared with, as Lambda handlers.

Both do what thumbkit's bootstrap does for an S3 notification: S3 GET, thumbnail, S3 PUT of
KEY_PREFIX + key + ".jpg" to DEST_BUCKET, with the boto3 client created at init (module level)
as the tutorials do. They log one JSON line per image with the same timing fields as the
bootstrap ("thumbnail written": getMs, putMs, totalMs).

  best      best practice: Image.thumbnail((256, 256)) (JPEG draft mode: DCT shrink-on-load;
            its default BICUBIC with reducing_gap 2.0), then ImageOps.exif_transpose, JPEG q85.
            The same box and quality as the bootstrap's defaults.
  workshop  the workshop's handler, kept for the record: a full decode, resize((128, 128))
            (aspect ratio not kept, Pillow's default filter), JPEG at Pillow's default quality.
"""
import io
import json
import os
import sys
import time
import urllib.parse

import boto3
from botocore.config import Config
from PIL import Image, ImageOps

# Lambda sets no endpoint; the bench points both handlers at its S3 model proxy. Debian's boto3
# (1.26) predates AWS_ENDPOINT_URL support, so it is read here.
_endpoint = os.environ.get("AWS_ENDPOINT_URL")
s3 = boto3.client("s3", endpoint_url=_endpoint,
                  config=Config(s3={"addressing_style": "path"}) if _endpoint else None)
DEST = os.environ.get("DEST_BUCKET", "")
PREFIX = os.environ.get("KEY_PREFIX", "thumbnails/")
BOX = 256
QUALITY = 85


def _objects(event):
    """(bucket, key) of each S3 notification record; keys are form-URL-encoded."""
    for rec in event.get("Records", []):
        yield rec["s3"]["bucket"]["name"], urllib.parse.unquote_plus(rec["s3"]["object"]["key"])


def _best(im):
    im.thumbnail((BOX, BOX))
    im = ImageOps.exif_transpose(im)
    if im.mode not in ("RGB", "L"):
        im = im.convert("RGB")
    out = io.BytesIO()
    im.save(out, "JPEG", quality=QUALITY)
    return out.getvalue()


def _workshop(im):
    im = im.resize((128, 128))
    if im.mode not in ("RGB", "L"):
        im = im.convert("RGB")
    out = io.BytesIO()
    im.save(out, "JPEG")
    return out.getvalue()


def _handle(event, make):
    done = 0
    for bucket, key in _objects(event):
        t0 = time.perf_counter()
        data = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        t1 = time.perf_counter()
        with Image.open(io.BytesIO(data)) as im:
            thumb = make(im)
        t2 = time.perf_counter()
        s3.put_object(Bucket=DEST, Key=PREFIX + key + ".jpg", Body=thumb, ContentType="image/jpeg")
        t3 = time.perf_counter()
        print(json.dumps({"level": "INFO", "message": "thumbnail written", "key": key, "bytes": len(thumb),
                          "getMs": (t1 - t0) * 1e3, "putMs": (t3 - t2) * 1e3, "totalMs": (t3 - t0) * 1e3}),
              flush=True)
        done += 1
    return {"processed": done}


def best(event, context):
    """Lambda handler: best-practice Pillow thumbnail of each object in an S3 event."""
    return _handle(event, _best)


def workshop(event, context):
    """Lambda handler: the workshop's full decode + resize((128, 128))."""
    return _handle(event, _workshop)


if __name__ == "__main__":
    sys.exit("a Lambda handler module: run it through python_runtime.py")
