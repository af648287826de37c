"""Write the checked-in seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/).

Run once from the repository root when a target's seeds need to change:

    /usr/bin/python3 tests/fuzz/make_seeds.py   (Debian python3-pil, from scripts/install-deps)

Images are small re-encodings (Pillow, cjpeg/jpegtran) of tests/data files, so every seed runs
in milliseconds; everything else is written by hand below. Derived images keep the licence of
their source (tests/data/README.md): exif-orientation (MIT) and libjpeg-turbo's testorig (IJG).
"""

import base64
import io
import json
import os
import shutil
import struct
import subprocess
import zlib

from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(REPO, "tests", "data")
OUT = os.path.join(REPO, "tests", "fuzz", "corpus")


def target(name, keep=False):
    """The seed folder of @name, emptied unless @keep (a folder with seeds not made here)."""
    d = os.path.join(OUT, name)
    if not keep:
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d, exist_ok=True)
    return d


def put(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def jpeg(img, **kw):
    b = io.BytesIO()
    img.save(b, "JPEG", **kw)
    return b.getvalue()


def small(path, size):
    img = Image.open(path)
    exif = img.info.get("exif")
    img.thumbnail(size)
    return img, exif


def cjpeg(img, *args):
    """Encode through cjpeg (restart markers, arithmetic coding, odd sampling)."""
    ppm = io.BytesIO()
    img.convert("RGB").save(ppm, "PPM")
    return subprocess.run(["cjpeg", *args], input=ppm.getvalue(), capture_output=True,
                          check=True).stdout


def app1_payloads(path):
    """The APP1 (Exif) payloads of a JPEG file."""
    data = open(path, "rb").read()
    i, out = 2, []
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker, seglen = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker == 0xE1:
            out.append(data[i + 4:i + 2 + seglen])
        if marker == 0xDA:
            break
        i += 2 + seglen
    return out


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def images():
    """Small JPEGs in every coding the decoders handle, and PNGs PngSuite lacks."""
    out = {}
    orient = os.path.join(DATA, "exif-orientation")
    for n in (1, 3, 6, 8):
        img, exif = small(os.path.join(orient, f"Landscape_{n}.jpg"), (96, 72))
        out[f"landscape{n}-baseline.jpg"] = jpeg(img, quality=80, exif=exif)
        out[f"landscape{n}-progressive.jpg"] = jpeg(img, quality=80, exif=exif, progressive=True)
    img, _ = small(os.path.join(orient, "Portrait_1.jpg"), (48, 64))
    out["portrait-444.jpg"] = jpeg(img, quality=90, subsampling=0)
    out["portrait-422.jpg"] = jpeg(img, quality=90, subsampling=1)
    out["portrait-gray.jpg"] = jpeg(img.convert("L"), quality=85)
    out["portrait-gray-progressive.jpg"] = jpeg(img.convert("L"), quality=85, progressive=True)
    out["portrait-cmyk.jpg"] = jpeg(img.convert("CMYK"), quality=85)
    out["portrait-restart.jpg"] = cjpeg(img, "-restart", "1", "-quality", "75")
    out["portrait-restart-progressive.jpg"] = cjpeg(img, "-restart", "2", "-progressive")
    out["portrait-arithmetic.jpg"] = cjpeg(img, "-arithmetic")
    out["portrait-odd-sampling.jpg"] = cjpeg(img, "-sample", "2x1,1x2,1x1")
    odd, _ = small(os.path.join(orient, "Landscape_5.jpg"), (37, 23))
    out["odd-size-progressive.jpg"] = jpeg(odd, quality=70, progressive=True)
    rgba = Image.new("RGBA", (40, 30), (20, 120, 200, 0))
    rgba.paste(odd.convert("RGBA").resize((30, 20)), (5, 5))
    b = io.BytesIO()
    rgba.save(b, "PNG")
    out["rgba.png"] = b.getvalue()
    b = io.BytesIO()
    odd.convert("L").convert("I").save(b, "PNG")  # 16-bit gray
    out["gray16.png"] = b.getvalue()
    # A PNG with an eXIf chunk (orientation 6), which PngSuite does not have.
    ex = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00"
    raw = b"\x00" + bytes([10, 90, 200])  # filter byte, one RGB pixel
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    out["exif-orientation6.png"] = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) +
                                    png_chunk(b"eXIf", ex) +
                                    png_chunk(b"IDAT", zlib.compress(raw)) +
                                    png_chunk(b"IEND", b""))
    return out


def main():
    imgs = images()
    d = target("thumbnail")
    for k, v in imgs.items():
        put(d, k, v)
    d = target("jpeg_fast")
    for k, v in imgs.items():
        if k.endswith(".jpg"):
            put(d, k, v)

    # The ICC profiles and ftyp boxes in metadata/ were cut from tests/data files by hand
    # (tests/data/README.md); the EXIF blocks are made here.
    d = target("metadata", keep=True)
    orient = os.path.join(DATA, "exif-orientation")
    for n in range(9):
        for i, p in enumerate(app1_payloads(os.path.join(orient, f"Portrait_{n}.jpg"))):
            # Keep the IFDs and cut the thumbnail the EXIF block carries.
            put(d, f"portrait{n}-app1-{i}.bin", p[:4096])
    put(d, "tiff-le-orientation3.bin",
        b"Exif\x00\x00II\x2a\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00"
        b"\x03\x00\x00\x00")
    put(d, "tiff-be-long-orientation8.bin",
        b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x04\x00\x00\x00\x01\x00\x00\x00\x08")

    d = target("event")
    direct = {"bucket": "uploads", "key": "photos/a b.jpg", "size": 1234, "versionId": "v1"}
    put(d, "direct.json", json.dumps(direct))
    s3rec = {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
             "eventName": "ObjectCreated:Put",
             "s3": {"bucket": {"name": "uploads", "arn": "arn:aws:s3:::uploads"},
                    "object": {"key": "photos/x+y%C3%A9.jpg", "size": 5, "eTag": "abc",
                               "versionId": "3HL4kqtJlcpXroDTDmJ", "sequencer": "0055AED6DCD90281E5"}}}
    sqs = {"Records": [{"messageId": "m1", "eventSource": "aws:sqs",
                        "body": json.dumps({"Records": [s3rec]})},
                       {"messageId": "m2", "eventSource": "aws:sqs",
                        "body": json.dumps({"Type": "Notification",
                                            "Message": json.dumps({"Records": [s3rec]})})},
                       {"messageId": "m3", "eventSource": "aws:sqs", "body": "plain text"}]}
    put(d, "sqs-mixed.json", json.dumps(sqs))
    put(d, "s3-removed.json", json.dumps({"Records": [dict(s3rec, eventName="ObjectRemoved:Delete")]}))
    put(d, "test-event.json", json.dumps({"Event": "s3:TestEvent", "Bucket": "uploads"}))

    d = target("api_request")
    events = os.path.join(DATA, "events")
    for name in sorted(os.listdir(events)):
        if "apigw" in name or "lambda-urls" in name or "ProxyV2" in name:
            with open(os.path.join(events, name), "rb") as f:  # whole event: first byte odd
                put(d, "event-" + name.replace("__", "-"), b"\x01" + f.read())
    # Fields split at NUL (method, path, content type, body, query, base64 flag): first byte even.
    reqs = [("POST", "/images", "application/json",
             '{"contentType":"image/jpeg","contentLength":1234}', "", "0"),
            ("POST", "/images", "image/png", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlE"
             "QVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "", "1"),
            ("GET", "/images/uploads/a%20b%2Fc.jpg", "", "", "", "0"),
            ("GET", "/images", "", "", "limit=5", "0"),
            ("GET", "/images", "", "", "cursor=dXBsb2Fkcy9hLmpwZw", "0"),
            ("OPTIONS", "/images", "", "", "", "0"),
            ("DELETE", "/images/x", "", "", "", "0")]
    for i, r in enumerate(reqs, 1):
        put(d, f"req-{i}-{r[0].lower()}", "\x00" + "\x00".join(r))

    d = target("config")
    put(d, "minimal.env", "DEST_BUCKET=thumbs\nAWS_REGION=eu-west-3\n")
    put(d, "everything.env",
        "DEST_BUCKET=my.thumbs-1\nAWS_REGION=us-east-1\nTHUMB_SIZE=320x240\nTHUMB_FIT=cover\n"
        "OUTPUT_FORMAT=same\nJPEG_QUALITY=92\nTHUMB_FILTER=catmull-rom\nKEY_PREFIX=\n"
        "ALLOWED_EXTENSIONS=jpg, .PNG ,jpeg\nMAX_INPUT_BYTES=1048576\nMAX_PIXELS=4000000\n"
        "METRIC_NAMESPACE=Team/Thumbs\nAWS_LAMBDA_LOG_LEVEL=debug\n"
        "AWS_LAMBDA_FUNCTION_NAME=f\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=512\n"
        "AWS_ENDPOINT_URL_S3=http://127.0.0.1:5000/\n")
    put(d, "invalid.env", "DEST_BUCKET=Bad_Bucket\nTHUMB_SIZE=0x99999\nJPEG_QUALITY=-1\n")
    put(d, "endpoint.env", "DEST_BUCKET=abc\nAWS_DEFAULT_REGION=eu-west-1\n"
        "AWS_ENDPOINT_URL=https://user@host:99999/path?q\n")

    d = target("sigv4")
    put(d, "get-vanilla.txt", "\x00GET\n/\n\nX-Amz-Meta-A:  b   c \n")
    put(d, "s3-key.txt", "\x01PUT\n/bucket/photos/a%20b+c%C3%A9.jpg\nversionId=3%2F4&x=\n"
        "content-type:image/jpeg\nx-amz-meta-source-key:a%20b\n")
    put(d, "normalise.txt", "\x00POST\n/a/./b/../c//d%2F/\nZ=1&a=2&a=1&%41=\nmy-header:one\n"
        "My-Header:two\n")
    put(d, "utf8.txt", "\x01GET\n/\u00e9\u4f60/\U0001f431\nk=%E4%BD%A0\n")

    d = target("aws_error")
    put(d, "s3-nosuchkey.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey'
        '</Code><Message>The specified key does not exist.</Message><Key>a&amp;b.jpg</Key>'
        '<RequestId>4442587FB7D0A2F9</RequestId></Error>')
    put(d, "s3-slowdown.xml", "\x90<Error><Code>SlowDown</Code><Message>Please reduce your "
        "request rate.</Message></Error>")
    put(d, "query-throttling.xml", "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling"
        "</Code><Message>Rate exceeded &lt;x&gt;</Message></Error><RequestId>r-1</RequestId>"
        "</ErrorResponse>")
    put(d, "dynamodb.json", '{"__type":"com.amazonaws.dynamodb.v20120810#'
        'ConditionalCheckFailedException","message":"The conditional request failed"}')
    put(d, "sns.json", ' \n{"__type":"NotFound","Message":"Topic does not exist\\n"}')

    d = target("s3_response")
    body = imgs["portrait-gray.jpg"]
    crc = struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    b64 = base64.b64encode(crc).decode()
    put(d, "get-ok.http", b"G" + b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nETag: \"abc\"\r\n"
        b"x-amz-checksum-crc32: %s\r\nx-amz-checksum-type: FULL_OBJECT\r\n\r\n"
        % (len(body), b64.encode()) + body)
    put(d, "get-chunked.http", b"G" + b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n0\r\n\r\n")
    put(d, "get-close-delimited.http", b"G" + b"HTTP/1.1 200 OK\r\nConnection: close\r\n"
        b"x-amz-checksum-crc32c: AAAAAA==\r\n\r\nshort")
    put(d, "get-404.http", b"G" + b"HTTP/1.1 404 Not Found\r\nContent-Type: application/xml\r\n"
        b"Content-Length: 92\r\n\r\n<Error><Code>NoSuchKey</Code><Message>gone</Message>"
        b"<RequestId>R1</RequestId></Error>")
    put(d, "put-ok.http", b"P" + b"HTTP/1.1 200 OK\r\nETag: \"d41d8cd98f00b204e9800998ecf8427e\""
        b"\r\nContent-Length: 0\r\n\r\n")
    put(d, "put-503.http", b"P" + b"HTTP/1.1 503 Slow Down\r\nContent-Length: 60\r\n\r\n"
        b"<Error><Code>SlowDown</Code><Message>Reduce</Message></Error>")
    put(d, "head-ok.http", b"H" + b"HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nETag: \"e\"\r\n"
        b"x-amz-meta-source-sequencer: 0055AED6DCD90281E5\r\n"
        b"x-amz-meta-source-last-modified: 1700000000\r\n\r\n")
    print("seeds written under", OUT)


if __name__ == "__main__":
    main()
