"""Local AWS for the end-to-end tests and the demo: moto server, buckets, S3 -> SQS
notifications, and the real `bootstrap` driven through the Runtime API emulator.

Python stdlib + boto3 (and moto's `moto_server` executable) only.
"""

import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from http.server import BaseHTTPRequestHandler

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "emulator"))

from runtime_emulator import RuntimeEmulator  # noqa: E402

REGION = "us-east-1"
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"  # moto's test identity: any key works without auth mode
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


class QuietHandler(BaseHTTPRequestHandler):
    """Base of the tests' loopback HTTP servers: HTTP/1.1, no log lines, body helpers."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def require_moto():
    """Exit 77 (ctest: skipped, never passed) when boto3 or moto_server are missing."""
    try:
        import boto3  # noqa: F401
    except ImportError:  # pragma: no cover
        print("boto3 is not installed: skipping", file=sys.stderr)
        sys.exit(77)
    if not shutil.which("moto_server"):
        print("moto_server is not on PATH: skipping", file=sys.stderr)
        sys.exit(77)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    """moto_server on a free loopback port, started and stopped by the caller."""

    def __init__(self, auth_after=None, env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.auth_after = auth_after
        self.env = env or {}  # extra environment (MOTO_DISABLE_GLOBAL_CORS, ...)
        self.proc = None
        self.log_path = None
        self._log = None

    def start(self, log_dir=None):
        if self.proc is not None:  # already started (start() then `with`)
            return self
        env = dict(os.environ, **self.env)
        if self.auth_after is not None:
            env["INITIAL_NO_AUTH_ACTION_COUNT"] = str(self.auth_after)
        log = subprocess.DEVNULL
        if log_dir:
            self.log_path = os.path.join(log_dir, f"moto-{self.port}.log")
            log = self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            ["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        end = time.monotonic() + 30
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("moto_server exited at start")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("moto_server did not start")

    def reset_auth(self, value):
        """value "0": enforce signatures from now on; "inf": relax."""
        req = urllib.request.Request(self.url + "/moto-api/reset-auth", data=value.encode(),
                                     headers={"Content-Type": "text/plain"}, method="POST")
        urllib.request.urlopen(req, timeout=10).read()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def client(self, service, access_key=ACCESS_KEY, secret_key=SECRET_KEY):
        import boto3
        from botocore.config import Config
        return boto3.client(service, endpoint_url=self.url, region_name=REGION,
                            aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                            config=Config(retries={"max_attempts": 1}))


def stop_all(*things, tmp=None):
    """Stop each started thing (bootstraps, emulators, proxies, moto; None is skipped) in the
    order given, then remove @p tmp."""
    for t in things:
        for x in (t if isinstance(t, list) else [t]):
            if x is not None:
                x.stop()
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


def boto3_client(moto, service, config):
    """A client of @p moto with a botocore Config of the test's own (retries stay off)."""
    import boto3
    from botocore.config import Config
    return boto3.client(service, endpoint_url=moto.url, region_name=REGION,
                        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                        config=config.merge(Config(retries={"max_attempts": 1})))


def quote_key(key):
    """An object key as S3 notifications carry it: form-URL-encoded (a space is '+')."""
    import urllib.parse
    return urllib.parse.quote_plus(key, safe="/")


def unquote_key(key):
    """The object key of an S3 notification (form-URL-encoded) as S3 stores it."""
    import urllib.parse
    return urllib.parse.unquote_plus(key)


def create_user(moto, name, actions):
    """An IAM user allowed @p actions (one or a list) on every resource.
    @return (access key id, secret access key)."""
    iam = moto.client("iam")
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    iam.put_user_policy(UserName=name, PolicyName="allow", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
    return key["AccessKeyId"], key["SecretAccessKey"]


def setup_pipeline(moto, src_bucket, dst_bucket, queue_name, suffixes=(".jpg", ".png")):
    """Create the buckets and a queue, and send ObjectCreated events (by suffix) to it.
    @return the queue URL."""
    s3 = moto.client("s3")
    sqs = moto.client("sqs")
    s3.create_bucket(Bucket=src_bucket)
    if dst_bucket != src_bucket:
        s3.create_bucket(Bucket=dst_bucket)
    qurl = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(
        Bucket=src_bucket,
        NotificationConfiguration={"QueueConfigurations": [
            {"Id": f"thumbs{sfx}", "QueueArn": qarn, "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": sfx}]}}}
            for sfx in suffixes]})
    return qurl


def drain_queue(moto, qurl, expect, timeout=20):
    """Receive messages until @p expect S3 records arrived (test events are dropped).
    @return the raw SQS messages (dicts with MessageId, Body, ReceiptHandle, ...)."""
    sqs = moto.client("sqs")
    out, n = [], 0
    end = time.monotonic() + timeout
    while n < expect and time.monotonic() < end:
        r = sqs.receive_message(QueueUrl=qurl, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                AttributeNames=["All"], MessageAttributeNames=["All"])
        for m in r.get("Messages", []):
            body = json.loads(m["Body"])
            if "Records" not in body:  # s3:TestEvent
                continue
            out.append(m)
            n += len(body["Records"])
            sqs.delete_message(QueueUrl=qurl, ReceiptHandle=m["ReceiptHandle"])
    if n < expect:
        raise TimeoutError(f"only {n} of {expect} S3 records arrived on the queue")
    return out


def sqs_event(messages, queue_arn="arn:aws:sqs:us-east-1:123456789012:thumbs"):
    """Wrap received SQS messages as the Lambda SQS event source would."""
    recs = []
    for m in messages:
        recs.append({
            "messageId": m["MessageId"],
            "receiptHandle": m["ReceiptHandle"],
            "body": m["Body"],
            "attributes": m.get("Attributes", {}),
            "messageAttributes": {},
            "md5OfBody": m.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": queue_arn,
            "awsRegion": REGION,
        })
    return {"Records": recs}


def s3_records(messages):
    """The S3 notification records carried by SQS messages (a direct S3 event's Records)."""
    out = []
    for m in messages:
        out.extend(json.loads(m["Body"])["Records"])
    return out


class Bootstrap:
    """The real bootstrap binary, attached to an emulator. stdout lines are collected."""

    def __init__(self, binary, emulator, env):
        self.binary = binary
        self.emulator = emulator
        self.env = dict(env)
        self.env["AWS_LAMBDA_RUNTIME_API"] = emulator.endpoint
        self.lines = []
        self.stderr = b""
        self.proc = None
        self.started_at = None
        self._reader = None

    def start(self, **popen_kw):
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen([self.binary], env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, **popen_kw)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._err_reader = threading.Thread(target=self._read_err, daemon=True)
        self._err_reader.start()
        return self

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.decode("utf-8", "replace").rstrip("\n"))

    def _read_err(self):
        self.stderr = self.proc.stderr.read()

    def stop(self):
        """Stop the way a runtime ends when its Runtime API goes away: /next fails and the
        process exits by itself (so sanitizers run their exit checks); SIGTERM if it hangs."""
        if self.proc and self.proc.poll() is None:
            self.emulator.stop_serving()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._join()
        return self.proc.returncode if self.proc else None

    def _join(self):
        if self._reader:
            self._reader.join(5)
            self._err_reader.join(5)
            self.proc.stdout.close()
            self.proc.stderr.close()
            self._reader = None

    def wait_exit(self, timeout=30):
        rc = self.proc.wait(timeout)
        self._join()
        return rc

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def records(self):
        """Parsed stdout lines (raises if one is not JSON)."""
        return [json.loads(line) for line in self.lines]

    def logs(self, message=None):
        return [r for r in self.records() if "_aws" not in r and
                (message is None or r.get("message") == message)]

    def emf(self):
        return [r for r in self.records() if "_aws" in r]


def runtime_env(moto_url, dest_bucket, extra=None, access_key=ACCESS_KEY, secret_key=SECRET_KEY):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_ENDPOINT_URL": moto_url,
        "DEST_BUCKET": dest_bucket,
        "AWS_LAMBDA_FUNCTION_NAME": "thumbkit-e2e",
    }
    for k in ("TK_SIMD", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    env.update(extra or {})
    return env


# ---- image headers ------------------------------------------------------------------------

def image_dims(data):
    """(format, width, height) from a JPEG SOF or PNG IHDR header; raises on anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        if data[12:16] != b"IHDR":
            raise ValueError("PNG without IHDR")
        w, h = struct.unpack(">II", data[16:24])
        crc = struct.unpack(">I", data[29:33])[0]
        if zlib.crc32(data[12:29]) & 0xFFFFFFFF != crc:
            raise ValueError("bad IHDR CRC")
        return "png", w, h
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 4 <= len(data):
            if data[i] != 0xFF:
                raise ValueError("bad JPEG marker")
            marker = data[i + 1]
            if marker == 0xFF:
                i += 1
                continue
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            seglen = struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB,
                          0xCD, 0xCE, 0xCF):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return "jpeg", w, h
            i += 2 + seglen
        raise ValueError("JPEG without SOF")
    raise ValueError("not a JPEG or PNG")


# ---- the image service ----------------------------------------------------------------------

def create_table(moto, name):
    """The ImageMetadata table: ImageID (string) as its hash key, on demand."""
    moto.client("dynamodb").create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "ImageID", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "ImageID", "AttributeType": "S"}])


def subscribe_queue(moto, topic_name, queue_name):
    """An SNS topic with an SQS queue subscribed (raw delivery off: the SNS envelope, with
    MessageAttributes). @return (topic ARN, queue URL)."""
    sns = moto.client("sns")
    sqs = moto.client("sqs")
    arn = sns.create_topic(Name=topic_name)["TopicArn"]
    qurl = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)
    return arn, qurl


def receive_notifications(moto, qurl, expect, timeout=10):
    """SNS envelopes that arrived on @p qurl (parsed; "Message" parsed as JSON too)."""
    sqs = moto.client("sqs")
    out = []
    end = time.monotonic() + timeout
    while len(out) < expect and time.monotonic() < end:
        r = sqs.receive_message(QueueUrl=qurl, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for m in r.get("Messages", []):
            env = json.loads(m["Body"])
            env["Message"] = json.loads(env["Message"])
            out.append(env)
            sqs.delete_message(QueueUrl=qurl, ReceiptHandle=m["ReceiptHandle"])
    return out


def api_event(method, path, body=None, headers=None, query=None, base64_body=False,
              stage="$default"):
    """An API Gateway HTTP API (payload format 2.0) event, as API Gateway builds it: header
    names lower-cased, rawPath percent-encoded as sent, the body a string (base64 when
    binary)."""
    import base64
    import urllib.parse
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    raw_query = urllib.parse.urlencode(query or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    if isinstance(body, bytes):
        body = base64.b64encode(body).decode() if base64_body else body.decode("latin-1")
    ev = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path if stage == "$default" else f"/{stage}{path}",
        "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012", "apiId": "local", "domainName": "localhost",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "127.0.0.1", "userAgent": "tests"},
            "requestId": "req-" + str(time.monotonic_ns()), "routeKey": "$default",
            "stage": stage, "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": bool(base64_body),
    }
    if query:
        ev["queryStringParameters"] = dict(query)
    if body is not None:
        ev["body"] = body
    return ev


class ApiAnswer:
    """A proxy response of the function: status, headers (lower-case names), JSON body."""

    def __init__(self, result):
        doc = result.json()
        self.raw = doc
        self.status = doc["statusCode"]
        self.headers = {k.lower(): v for k, v in doc.get("headers", {}).items()}
        text = doc.get("body") or ""
        self.json = json.loads(text) if text else None


def http(method, url, body=None, headers=None, timeout=30):
    """One real HTTP request on loopback: @return (status, headers dict, body bytes)."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
