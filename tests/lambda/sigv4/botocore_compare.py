#!/usr/bin/env python3
"""Compare thumbkit's SigV4 signer (through tests/lambda/sigv4/sigv4_tool) with botocore.

Generates random S3 and non-S3 requests from a fixed seed, signs each one with botocore's
SigV4Auth / S3SigV4Auth (Authorization header) or SigV4QueryAuth / S3SigV4QueryAuth (presigned
URL) at a fixed time, feeds the same description to sigv4_tool and compares the results
exactly (header: the whole Authorization value; presign: the signature and the parameters).

Apples to apples - what each side is given, and botocore's quirks:
  * Clock: botocore reads botocore.auth.get_current_datetime(); it is patched to the
    request's time, which sigv4_tool receives as "time" (so both format X-Amz-Date).
  * S3 paths: botocore's S3 signers sign the URL path as is (no normalisation, no second
    encoding). We give botocore the key encoded the way botocore's own REST serializer encodes
    a greedy {Key+} label (urllib quote, safe "/~"), and give sigv4_tool the *raw* key, which
    it encodes with urlcode_encode(key, keep_slash=true) - so the key encoding is compared
    too. Keys contain "//", "./" and "../" segments: S3 must keep them.
  * Non-S3 paths: botocore normalises (RFC 3986 dot segments, "//" collapsed) and quotes the
    already-encoded path again; sigv4_tool gets the same wire path.
  * Payload: S3SigV4Auth puts the payload hash in X-Amz-Content-SHA256 and signs that header:
    the SHA-256 of the body, or "UNSIGNED-PAYLOAD" when the client config disables payload
    signing (chosen at random here). sigv4_tool does the same (it adds x-amz-content-sha256
    for S3 in header mode). Presigned S3 URLs always use UNSIGNED-PAYLOAD. Non-S3 header
    signing over https hashes the body (no X-Amz-Content-SHA256 header).
  * Query: in header mode botocore canonicalises request.params itself (quote, safe "-_.~");
    sigv4_tool gets a raw query written with a *different but equivalent* encoding (random
    hex case, needlessly escaped unreserved characters, a bare "name" for an empty value),
    which it must decode and re-encode to the same canonical form. In presign mode botocore
    keeps one value per name (it goes through a dict), so names are unique there, and it
    moves a body into the query, so presigned requests have no body.
  * Headers: botocore never signs its blacklist (user-agent, expect, x-amzn-trace-id...) and
    replaces Date/X-Amz-Date; the generator uses neither. botocore collapses whitespace with
    str.split(), i.e. any Unicode space; values here are printable ASCII with spaces/tabs.
  * Session token: in header mode both sides add X-Amz-Security-Token as a signed header; in
    presign mode it is a signed query parameter.

Second phase (--client-count): botocore's real S3 client (path style, https endpoint; the
'before-send' hook captures the signed request and answers 404, so nothing goes on the
network) runs HeadObject/GetObject/PutObject/DeleteObject/ListObjectsV2 with odd keys and
prefixes. sigv4_tool gets the raw key (it encodes it itself), or for ListObjectsV2 the query
botocore's serializer wrote, the body (it hashes it itself) and the headers botocore chose to
sign (named in its SignedHeaders: which headers to sign is the client's policy; botocore adds
amz-sdk-* after signing and never signs user-agent/expect). Checksums are "when_required", so
PutObject sends a plain body whose SHA-256 is signed, as thumbkit's S3 client does.

Exit status: 0 all equal, 1 any difference, 77 botocore unavailable (ctest: skipped).
"""

import argparse
import datetime
import json
import logging
import random
import string
import subprocess
import sys
from unittest import mock
from urllib.parse import quote, unquote, urlsplit

try:
    import botocore
    import botocore.auth
    import botocore.exceptions
    import botocore.session
    from botocore.awsrequest import AWSRequest, AWSResponse
    from botocore.config import Config
    from botocore.credentials import Credentials
except ImportError as e:  # pragma: no cover - environment without botocore
    print(f"botocore not importable ({e}); skipping", file=sys.stderr)
    sys.exit(77)

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1"]
SERVICES = ["execute-api", "sqs", "service", "lambda", "dynamodb"]
B64 = string.ascii_letters + string.digits + "+/"
WORDS = ["photo", "IMG_0001", "thumbnails", "2024", "résumé", "über", "日本語", "😀",
         "a b", "x+y", "100%", "~tilde", "semi;colon", "quote'd", "star*", "(paren)",
         "amp&and", "eq=sign", "q?mark", "hash#tag", "at@", "comma,", "dollar$",
         "[brackets]", "back\\slash", "caret^", "pipe|", "curly{}", "space  two",
         "dash-under_dot.", "UPPER", "-", "_", "..."]
ODD = " +%~!*'()&=;:,/?#@$[]\"<>^`{|}\\é中🚀\t"


class Capture(logging.Handler):
    """Keeps botocore.auth's debug records (canonical request, string to sign)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


def rand_text(rng, alphabet, lo, hi):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def rand_key(rng):
    parts = []
    for _ in range(rng.randint(1, 9)):  # deep prefixes
        r = rng.random()
        if r < 0.55:
            parts.append(rng.choice(WORDS))
        elif r < 0.75:
            parts.append(rand_text(rng, string.ascii_letters + string.digits + ODD, 1, 12))
        elif r < 0.85:
            parts.append(rng.choice([".", "..", ""]))  # S3 must not normalise these
        else:
            parts.append(rand_text(rng, "abcdef", 1, 6))
    key = "/".join(parts)
    if rng.random() < 0.15:
        key += "/"
    return key or "k"


def rand_param_text(rng, allow_empty=True):
    r = rng.random()
    if allow_empty and r < 0.15:
        return ""
    if r < 0.5:
        return rng.choice(WORDS)
    return rand_text(rng, string.ascii_letters + string.digits + ODD, 1, 10)


def odd_encode(rng, text):
    """Percent-encode equivalently to SigV4 but not canonically (random hex case, some
    unreserved characters escaped needlessly). Never '+' for a space."""
    out = []
    for b in text.encode("utf-8"):
        c = chr(b)
        unreserved = c in string.ascii_letters + string.digits + "-._~"
        if unreserved and rng.random() < 0.8:
            out.append(c)
        else:
            h = f"{b:02X}"
            if rng.random() < 0.4:
                h = h.lower()
            out.append("%" + h)
    return "".join(out)


def rand_headers(rng):
    headers = []
    for _ in range(rng.randint(0, 4)):
        name = rng.choice(["Content-Type", "Cache-Control", "x-amz-acl", "Range",
                           "If-None-Match", "x-amz-meta-" + rng.choice(["a", "b", "owner"]),
                           "X-Custom-Header"])
        name = "".join(ch.upper() if rng.random() < 0.3 else ch for ch in name)
        pieces = [rand_text(rng, string.ascii_letters + string.digits + "\"=;,/:.-", 1, 8)
                  for _ in range(rng.randint(1, 3))]
        sep = lambda: rng.choice([" ", "  ", "\t", " \t  "])  # noqa: E731
        value = sep() if rng.random() < 0.3 else ""
        value += sep().join(pieces)
        if rng.random() < 0.3:
            value += sep()
        headers.append([name, value])
    return headers


def make_case(rng, i):
    s3 = i % 2 == 0
    mode = "presign" if rng.random() < 0.3 else "header"
    when = rng.choice([1440938160, rng.randint(946684800, 2145916800)])
    region = rng.choice(REGIONS)
    token = None
    if rng.random() < 0.4:
        token = rand_text(rng, B64, 40, 300) + rng.choice(["", "=", "=="])
    case = {
        "mode": mode,
        "s3": s3,
        "service": "s3" if s3 else rng.choice(SERVICES),
        "region": region,
        "time": when,
        "access_key_id": "AKIA" + rand_text(rng, string.ascii_uppercase + string.digits, 16, 16),
        "secret_access_key": rand_text(rng, B64, 40, 40),
        "session_token": token,
        "expires": rng.choice([1, 60, 3600, 604800]),
        "headers": rand_headers(rng) if mode == "header" or rng.random() < 0.3 else [],
    }
    if s3:
        bucket = rand_text(rng, string.ascii_lowercase + string.digits, 3, 12) + "-bkt"
        case["host"] = f"s3.{region}.amazonaws.com"
        case["bucket"] = bucket
        case["key"] = rand_key(rng)
        case["method"] = rng.choice(["GET", "PUT", "HEAD", "DELETE", "POST"])
    else:
        segs = [rng.choice([".", "..", "", rand_param_text(rng, False)])
                if rng.random() < 0.3 else rand_param_text(rng, False)
                for _ in range(rng.randint(0, 6))]
        case["host"] = f"{case['service']}.{region}.amazonaws.com"
        case["path"] = "/" + "/".join(quote(s, safe="-_.~") for s in segs)
        case["method"] = "GET" if mode == "presign" else rng.choice(["GET", "POST", "PUT"])
    params = []
    for _ in range(rng.randint(0, 5)):
        if mode == "header" and params and rng.random() < 0.25:
            name = params[-1][0]  # repeated name: sorted by value
        else:
            name = rand_param_text(rng, False)
            if mode == "presign":
                while any(name == p[0] for p in params) or name.lower().startswith("x-amz-"):
                    name = rand_param_text(rng, False) + str(len(params))
        params.append((name, rand_param_text(rng)))
    case["params"] = params
    case["query"] = "&".join(
        odd_encode(rng, n) + ("" if v == "" and rng.random() < 0.5 else "=" + odd_encode(rng, v))
        for n, v in params) or None
    body = ""
    # presigned: botocore would move a body into the query; a presigned URL has no body yet
    if case["method"] in ("PUT", "POST") and mode == "header" and rng.random() < 0.7:
        body = rand_text(rng, string.printable + "éü日本😀", 0, 200)
    case["body"] = body
    case["unsigned_payload"] = (s3 and mode == "presign") or (s3 and rng.random() < 0.3)
    return case


def botocore_sign(case, capture):
    creds = Credentials(case["access_key_id"], case["secret_access_key"],
                        case["session_token"])
    if case["s3"]:
        path = "/" + case["bucket"] + "/" + quote(case["key"], safe="/~")
    else:
        path = case["path"]
    url = "https://" + case["host"] + path
    req = AWSRequest(method=case["method"], url=url, data=case["body"].encode("utf-8"))
    req.headers["Host"] = case["host"]
    for name, value in case["headers"]:
        req.headers[name] = value  # HTTPHeaders appends: repeats are kept in order
    if case["mode"] == "presign":
        req.params = dict(case["params"])
        cls = botocore.auth.S3SigV4QueryAuth if case["s3"] else botocore.auth.SigV4QueryAuth
        signer = cls(creds, case["service"], case["region"], expires=case["expires"])
    else:
        req.params = list(case["params"])
        cls = botocore.auth.S3SigV4Auth if case["s3"] else botocore.auth.SigV4Auth
        signer = cls(creds, case["service"], case["region"])
        if case["s3"]:
            req.context["client_config"] = Config(
                s3={"payload_signing_enabled": not case["unsigned_payload"]})
    now = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc)
    capture.records.clear()
    with mock.patch("botocore.auth.get_current_datetime", return_value=now.replace(tzinfo=None)):
        signer.add_auth(req)
    if case["mode"] == "presign":
        return urlsplit(req.url).query
    return req.headers["Authorization"]


def tool_input(case):
    d = {k: case[k] for k in ("mode", "s3", "service", "region", "time", "access_key_id",
                              "secret_access_key", "session_token", "expires", "headers",
                              "host", "method", "body", "unsigned_payload", "query")}
    for k in ("bucket", "key", "path"):
        if k in case:
            d[k] = case[k]
    return d


def query_pairs(q):
    """Decoded (name, value) pairs, sorted; '+' is a literal plus (neither side emits it)."""
    out = []
    for part in q.split("&"):
        n, _, v = part.partition("=")
        out.append((unquote(n), unquote(v)))
    return sorted(out)


def signature_of(q):
    return dict(query_pairs(q)).get("X-Amz-Signature")


class _EmptyRaw:
    def stream(self, *args, **kwargs):
        return iter([b""])


def client_case(rng, session, i):
    """Runs one S3 operation through botocore's client; returns (tool input, Authorization)."""
    region = rng.choice(REGIONS[:4])
    token = rand_text(rng, B64, 40, 200) if rng.random() < 0.5 else None
    akid = "ASIA" + rand_text(rng, string.ascii_uppercase + string.digits, 16, 16)
    secret = rand_text(rng, B64, 40, 40)
    when = rng.randint(946684800, 2145916800)
    endpoint = f"https://s3.{region}.amazonaws.com"
    client = session.create_client(
        "s3", region_name=region, endpoint_url=endpoint, aws_access_key_id=akid,
        aws_secret_access_key=secret, aws_session_token=token,
        config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1},
                      request_checksum_calculation="when_required"))
    captured = []

    def before_send(request, **kwargs):
        captured.append(request)
        return AWSResponse(request.url, 404, {}, _EmptyRaw())

    client.meta.events.register("before-send", before_send)
    bucket = rand_text(rng, string.ascii_lowercase + string.digits, 3, 12) + "-bkt"
    key = rand_key(rng)
    body = ""
    op = rng.choice(["head_object", "get_object", "put_object", "delete_object",
                     "list_objects_v2"])
    kwargs = {"Bucket": bucket}
    if op == "list_objects_v2":
        kwargs["Prefix"] = rand_key(rng)
        if rng.random() < 0.5:
            kwargs["Delimiter"] = rng.choice(["/", "+", " ", "é"])
        if rng.random() < 0.3:
            kwargs["StartAfter"] = rand_param_text(rng, False)
    else:
        kwargs["Key"] = key
    if op == "get_object" and rng.random() < 0.5:
        kwargs["Range"] = f"bytes=0-{rng.randint(1, 99999)}"
    if op == "put_object":
        body = rand_text(rng, string.printable + "éü日本😀", 0, 300)
        kwargs["Body"] = body.encode("utf-8")
        kwargs["ContentType"] = rng.choice(["image/jpeg", "image/png", "image/webp"])
        if rng.random() < 0.5:
            kwargs["CacheControl"] = "max-age=" + str(rng.randint(0, 99999)) + "  ,  public"
        if rng.random() < 0.6:
            kwargs["Metadata"] = {"source": "  " + rand_text(rng, string.ascii_letters + " ",
                                                              1, 20) + " "}
    now = datetime.datetime.fromtimestamp(when, datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        try:
            getattr(client, op)(**kwargs)
        except botocore.exceptions.ClientError:
            pass
    req = captured[-1]

    def text(v):
        return v.decode("utf-8") if isinstance(v, bytes) else v

    authz = text(req.headers["Authorization"])
    signed = authz.split("SignedHeaders=")[1].split(",")[0].split(";")
    headers = [[name, text(value)] for name, value in req.headers.items()
               if name.lower() in signed and name.lower() != "host"]
    url = urlsplit(req.url)
    tool = {"mode": "header", "s3": True, "service": "s3", "region": region, "time": when,
            "access_key_id": akid, "secret_access_key": secret, "session_token": token,
            "host": url.netloc, "method": req.method, "headers": headers, "body": body,
            "add_headers": False, "query": url.query or None}
    if op == "list_objects_v2":
        tool["path"] = url.path
    else:
        tool["bucket"], tool["key"] = bucket, key
    return f"s3-client/{op}", tool, authz


def run_client_phase(args, rng):
    session = botocore.session.get_session()
    cases = [client_case(rng, session, i) for i in range(args.client_count)]
    proc = subprocess.run([args.tool], input=json.dumps([c[1] for c in cases]),
                          capture_output=True, text=True, check=False)
    got = proc.stdout.split("\n")
    if proc.returncode != 0 or len(got) < len(cases):
        print(f"sigv4_tool failed (status {proc.returncode}):\n{proc.stderr}", file=sys.stderr)
        return len(cases) or 1
    failed = 0
    kinds = {}
    for (kind, tool, want), have in zip(cases, got):
        ok_n, total = kinds.get(kind, (0, 0))
        kinds[kind] = (ok_n + (have == want), total + 1)
        if have != want:
            failed += 1
            if failed <= 5:
                detail = subprocess.run([args.tool, "--verbose"], input=json.dumps(tool),
                                        capture_output=True, text=True, check=False)
                print(f"MISMATCH ({kind})\n  input: {json.dumps(tool)}\n  botocore:   {want}\n"
                      f"  sigv4_tool: {have}\n--- sigv4_tool debug\n{detail.stderr}",
                      file=sys.stderr)
    for kind in sorted(kinds):
        print(f"{kind}: {kinds[kind][0]}/{kinds[kind][1]} equal")
    print(f"botocore S3 client: {len(cases) - failed}/{len(cases)} equal")
    return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tool", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20150830)
    ap.add_argument("--client-count", type=int, default=40)
    args = ap.parse_args()

    capture = Capture()
    log = logging.getLogger("botocore.auth")
    log.setLevel(logging.DEBUG)
    log.addHandler(capture)
    log.propagate = False

    rng = random.Random(args.seed)
    cases = [make_case(rng, i) for i in range(args.count)]
    expected, boto_debug = [], []
    for c in cases:
        expected.append(botocore_sign(c, capture))
        boto_debug.append("\n".join(capture.records))

    proc = subprocess.run([args.tool], input=json.dumps([tool_input(c) for c in cases]),
                          capture_output=True, text=True, check=False)
    got = proc.stdout.split("\n")
    if proc.returncode != 0 or len(got) < len(cases):
        print(f"sigv4_tool failed (status {proc.returncode}):\n{proc.stderr}", file=sys.stderr)
        return 1

    kinds = {}
    failed = 0
    for i, (c, want, have) in enumerate(zip(cases, expected, got)):
        kind = ("s3" if c["s3"] else "generic") + "/" + c["mode"]
        ok_n, total = kinds.get(kind, (0, 0))
        if c["mode"] == "presign":
            same = (signature_of(have) is not None and signature_of(have) == signature_of(want)
                    and query_pairs(have) == query_pairs(want))
        else:
            same = have == want
        kinds[kind] = (ok_n + same, total + 1)
        if not same:
            failed += 1
            if failed <= 5:
                detail = subprocess.run([args.tool, "--verbose"], input=json.dumps(tool_input(c)),
                                        capture_output=True, text=True, check=False)
                print(f"MISMATCH case {i} ({kind})\n  input: {json.dumps(tool_input(c))}\n"
                      f"  botocore:   {want}\n  sigv4_tool: {have}\n"
                      f"--- botocore debug\n{boto_debug[i]}\n--- sigv4_tool debug\n"
                      f"{detail.stderr}", file=sys.stderr)
    for kind in sorted(kinds):
        print(f"{kind}: {kinds[kind][0]}/{kinds[kind][1]} equal")
    print(f"botocore {botocore.__version__}: {len(cases) - failed}/{len(cases)} equal "
          f"(seed {args.seed})")
    failed += run_client_phase(args, rng)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
