"""Presigned S3 URLs (aws/s3.h s3_presign) equal botocore's generate_presigned_url.

moto does not check presigned signatures (without auth mode it accepts any, in auth mode it
answers 500), so a URL's correctness is proved here by equality with botocore's for the same
inputs and the same clock: the same scheme, host and path (virtual-hosted on AWS, path style
on a configured endpoint, dotted buckets), the same query parameters, and the same
X-Amz-Signature. Rejecting a tampered or an expired URL is S3's behaviour when the URL is
used; it cannot be tested on the local AWS, and is not tested here.

  python3 test_presign.py --tool build/tests/lambda/presign_tool
"""

import argparse
import datetime
import os
import subprocess
import sys
import unittest
import urllib.parse
from unittest import mock

TOOL = None
AKID, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
WHEN = 1764460800  # 2025-11-30T00:00:00Z


def ours(method, bucket, key, ctype, expires, region, endpoint=None, token=None):
    env = {"PATH": os.environ.get("PATH", ""), "AWS_REGION": region,
           "AWS_ACCESS_KEY_ID": AKID, "AWS_SECRET_ACCESS_KEY": SECRET}
    if endpoint:
        env["AWS_ENDPOINT_URL_S3"] = endpoint
    if token:
        env["AWS_SESSION_TOKEN"] = token
    r = subprocess.run([TOOL, method, bucket, key, ctype or "-", str(expires), str(WHEN)],
                       env=env, capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise AssertionError(r.stderr)
    return r.stdout.strip()


def botocore_url(method, bucket, key, ctype, expires, region, endpoint=None, token=None):
    import boto3
    from botocore.config import Config
    # On AWS, the regional endpoint (as bootstrap's own requests use): botocore's default for a
    # presigned URL may be the global s3.amazonaws.com, which redirects outside us-east-1.
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    aws = f"https://s3.{region}.{suffix}"
    # The SDKs' rule: path style on a configured endpoint and for dotted bucket names (they
    # break the wildcard certificate), virtual-hosted otherwise.
    style = "path" if endpoint or "." in bucket else "virtual"
    s3 = boto3.client("s3", region_name=region, endpoint_url=endpoint or aws,
                      aws_access_key_id=AKID, aws_secret_access_key=SECRET,
                      aws_session_token=token,
                      config=Config(signature_version="s3v4",
                                    s3={"addressing_style": style}))
    params = {"Bucket": bucket, "Key": key}
    if ctype:
        params["ContentType"] = ctype
    op = {"GET": "get_object", "PUT": "put_object"}[method]
    now = datetime.datetime.fromtimestamp(WHEN, datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        return s3.generate_presigned_url(op, Params=params, ExpiresIn=expires)


def split(url):
    u = urllib.parse.urlsplit(url)
    return u.scheme, u.netloc, u.path, dict(urllib.parse.parse_qsl(u.query, strict_parsing=True))


class Presign(unittest.TestCase):
    CASES = [
        # method, bucket, key, content type, expires, region, endpoint, token
        ("PUT", "uploads-1", "uploads/0b8e5c1e-7d3a-4c55-9a3e-5f2b1f1d2c3b.jpg", "image/jpeg",
         300, "eu-west-3", None, None),
        ("PUT", "uploads-1", "uploads/x.png", "image/png", 60, "us-east-1",
         "http://127.0.0.1:5000", None),
        ("GET", "thumbs", "thumbnails/128x128/a b/ü+&=?.jpg.jpg", None, 900, "eu-west-3", None,
         None),
        ("GET", "thumbs", "thumbnails/a b.jpg.jpg", None, 300, "us-east-1",
         "http://localhost:4566", None),
        ("GET", "my.dotted.bucket", "k/~tilde*star.jpg", None, 3600, "ap-south-1", None, None),
        ("PUT", "uploads-1", "uploads/t.jpg", "image/jpeg", 300, "eu-west-3", None,
         "IQoJb3JpZ2luX2VjE//token+with/slashes=="),
        ("GET", "thumbs", "x.jpg", None, 604800, "cn-north-1", None, "tok"),
    ]

    def test_equal_to_botocore(self):
        for case in self.CASES:
            with self.subTest(case=case):
                a, b = ours(*case), botocore_url(*case)
                sa, sb = split(a), split(b)
                self.assertEqual(sa[:3], sb[:3], f"\nours     {a}\nbotocore {b}")
                self.assertEqual(sa[3], sb[3], f"\nours     {a}\nbotocore {b}")
                self.assertIn("X-Amz-Signature", sa[3])
                self.assertEqual(sa[3]["X-Amz-Expires"], str(case[4]))
                signed = sa[3]["X-Amz-SignedHeaders"].split(";")
                self.assertEqual("content-type" in signed, case[3] is not None)

    def test_url_differs_when_an_input_does(self):
        base = ours(*self.CASES[0])
        for i, alt in ((2, "uploads/other.jpg"), (3, "image/png"), (4, 301)):
            case = list(self.CASES[0])
            case[i] = alt
            self.assertNotEqual(split(ours(*case))[3]["X-Amz-Signature"],
                                split(base)[3]["X-Amz-Signature"])


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    args, rest = ap.parse_known_args()
    TOOL = args.tool
    try:
        import boto3  # noqa: F401
    except ImportError:
        print("boto3 is not installed: skipping")
        sys.exit(77)
    unittest.main(argv=[sys.argv[0]] + rest)
