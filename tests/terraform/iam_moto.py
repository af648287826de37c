#!/usr/bin/env python3
"""The function's IAM policy, enforced by a local AWS (moto in auth mode).

1. Renders terraform/policies/lambda-policy.json.tftpl (the file Terraform's
   templatefile() renders) with local bucket names, and checks its shape:
   no wildcard action, no "*" resource except cloudwatch:PutMetricData limited
   by the cloudwatch:namespace condition, which appears only in API metric mode.
2. Starts moto_server, creates the buckets, an IAM user holding exactly that
   policy, and turns authorisation on.
3. With that user's keys: `bootstrap --event FILE` on a direct S3 event must
   write a real thumbnail under KEY_PREFIX in the destination bucket; the same
   run pointed at another bucket must write nothing.
4. With the same keys (boto3): reading the source and writing under the prefix
   are allowed; reading the destination, writing the source, writing outside
   the prefix and touching any other bucket are denied.
5. The image service, worker: with the policy rendered with every feature on,
   the record (dynamodb:UpdateItem), the SNS message (sns:Publish), the zip
   (s3:PutObject under ARCHIVE_PREFIX) and PutMetricData all work; with each
   of these statements removed, that call is denied (and what must not be
   written is not).
6. The API function's policy (policies/api-policy.json.tftpl): the real
   bootstrap answering API Gateway events uploads (s3:PutObject under
   UPLOAD_PREFIX), reads a record and lists (dynamodb:GetItem, Scan); the
   presigned GET it signs is exercised with the same keys directly (moto
   does not check presigned URLs); each is denied without its statement.

moto's own enforcing mode evaluates non-S3 actions against the resource "*"
and without condition keys; moto_iam_server.py (next to this file) starts
moto with the table, topic and namespace of each request put in, so the
scoped statements are evaluated as AWS evaluates them.

usage: iam_moto.py --repo DIR [--bootstrap PATH | --no-bootstrap-target]
Prints one line per check and "N passed, N failed". Exit 0 all passed, 1 a
failure, 77 (skip) with --no-bootstrap-target, while the target does not exist.
"""

import argparse
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tfpolicy  # noqa: E402

REGION = "eu-west-3"
ACCOUNT = "123456789012"  # moto's default account
SRC, DST, OTHER = "tk-iam-src", "tk-iam-dst", "tk-iam-other"
PREFIX = "thumbnails/"
FUNCTION = "tp-lambda-thumbnail"
NAMESPACE = "INOW/Lambda101"
TABLE = "ImageMetadata"
TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{TABLE}"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:{FUNCTION}-images"
ARCHIVE_PREFIX = "zip/"
UPLOAD_PREFIX = "uploads/"

results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(f"{'ok' if ok else 'not ok'} - {name}{f' ({detail})' if detail else ''}", flush=True)
    return ok


def template_args(metric_api_mode, service=False):
    """The worker policy's arguments, as iam.tf passes them; @p service turns on the record,
    the notification and the archive statements."""
    return {
        "source_bucket_arn": f"arn:aws:s3:::{SRC}",
        "dest_bucket_arn": f"arn:aws:s3:::{DST}",
        "dest_prefix": PREFIX,
        "log_group_arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{FUNCTION}",
        "failure_queue_arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{FUNCTION}-failures",
        "metric_api_mode": metric_api_mode,
        "metric_namespace": NAMESPACE,
        "metadata_enabled": service,
        "metadata_table_arn": TABLE_ARN,
        "notify_enabled": service,
        "notify_topic_arn": TOPIC_ARN,
        "archive_enabled": service,
        "archive_prefix": ARCHIVE_PREFIX,
        "queue_mode": False,
        "jobs_queue_arn": "",
    }


def api_template_args():
    """The API policy's arguments, as api.tf passes them."""
    return {
        "upload_bucket_arn": f"arn:aws:s3:::{SRC}",
        "upload_prefix": UPLOAD_PREFIX,
        "dest_bucket_arn": f"arn:aws:s3:::{DST}",
        "dest_prefix": PREFIX,
        "metadata_table_arn": TABLE_ARN,
        "log_group_arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{FUNCTION}-api",
    }


def as_list(x):
    return x if isinstance(x, list) else [x]


def check_policy_shape(template):
    docs = {}
    for mode in (False, True):
        try:
            docs[mode] = json.loads(tfpolicy.render(template, template_args(mode)))
            check(f"template renders to JSON (metric_api_mode={str(mode).lower()})", True)
        except (ValueError, tfpolicy.TemplateError) as e:
            check(f"template renders to JSON (metric_api_mode={str(mode).lower()})", False, str(e))
            return None
    for mode, doc in docs.items():
        stmts = doc.get("Statement", [])
        bad = []
        for s in stmts:
            if s.get("Effect") != "Allow" or "NotAction" in s or "NotResource" in s:
                bad.append(f"{s.get('Sid')}: only plain Allow statements expected")
            for a in as_list(s.get("Action", [])):
                if "*" in a:
                    bad.append(f"{s.get('Sid')}: wildcard action {a}")
            for r in as_list(s.get("Resource", [])):
                if r == "*":
                    cond = s.get("Condition", {}).get("StringEquals", {}).get("cloudwatch:namespace")
                    if as_list(s["Action"]) != ["cloudwatch:PutMetricData"] or cond != NAMESPACE:
                        bad.append(f"{s.get('Sid')}: Resource * without a namespace-scoped PutMetricData")
        actions = [a for s in stmts for a in as_list(s.get("Action", []))]
        has_metric = "cloudwatch:PutMetricData" in actions
        if has_metric != mode:
            bad.append(f"PutMetricData present={has_metric} with metric_api_mode={mode}")
        check(f"least privilege shape (metric_api_mode={str(mode).lower()})", not bad, "; ".join(bad))
    return docs[False]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def png_bytes(width, height):
    """A real RGB PNG (a gradient), made with zlib only."""
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (x * 255 // width, y * 255 // height, (x + y) & 255))
        for y in range(height)
    )

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


def image_size(data):
    """(width, height) of a PNG or baseline/progressive JPEG, else None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", data[16:24])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 4 <= len(data) and data[i] == 0xFF:
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return (w, h)
            i += 2 + length
    return None


def s3_event(bucket, key, size):
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": REGION,
                "eventTime": "2026-01-01T00:00:00.000Z",
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "thumbnail-jpg",
                    "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                    "object": {"key": urllib.parse.quote_plus(key, safe="/"), "size": size, "eTag": "0"},
                },
            }
        ]
    }


def run_bootstrap(bootstrap, env, event, tmp, name):
    path = os.path.join(tmp, f"{name}.json")
    with open(path, "w") as f:
        json.dump(event, f)
    try:
        p = subprocess.run([bootstrap, "--event", path], env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None, "timed out after 60 s"
    return p.returncode, (p.stdout + p.stderr)


def run_event(bootstrap, env, event, tmp, name):
    """bootstrap --event: @return (exit status, stdout, stderr)."""
    path = os.path.join(tmp, f"{name}.json")
    with open(path, "w") as f:
        json.dump(event, f)
    try:
        p = subprocess.run([bootstrap, "--event", path], env=env, capture_output=True, text=True,
                           timeout=60)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after 60 s"
    return p.returncode, p.stdout, p.stderr


def exists(s3, bucket, key):
    from botocore.exceptions import ClientError
    try:
        s3.head_object(Bucket=bucket, Key=key)
        return True
    except ClientError:
        return False


def without(policy, sid):
    doc = json.loads(json.dumps(policy))
    doc["Statement"] = [st for st in doc["Statement"] if st.get("Sid") != sid]
    assert len(doc["Statement"]) == len(policy["Statement"]) - 1, sid
    return doc


def user_with(iam, name, policy):
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
    return iam.create_access_key(UserName=name)["AccessKey"]


def shape_ok(doc, what):
    bad = []
    for st in doc["Statement"]:
        for a in as_list(st["Action"]):
            if "*" in a:
                bad.append(f"{st['Sid']}: wildcard action {a}")
        for r in as_list(st["Resource"]):
            if r == "*" and as_list(st["Action"]) != ["cloudwatch:PutMetricData"]:
                bad.append(f"{st['Sid']}: Resource *")
    check(f"least privilege shape ({what})", not bad, "; ".join(bad))


SERVICE_SIDS = ("WriteImageRecords", "PublishImageNotifications", "WriteArchivesUnderPrefix",
                "PutMetricDataInOwnNamespace")


def service_checks(bootstrap, template, base_env, client, admin_key, tmp, attempt):
    """The worker's image-service statements: each exercised with exactly the rendered policy,
    each feature working with it, each denied when its statement is removed."""
    policy = json.loads(tfpolicy.render(template, template_args(True, service=True)))
    shape_ok(policy, "worker, every service feature on")
    sids = [st["Sid"] for st in policy["Statement"]]
    check("worker policy has the service statements", all(x in sids for x in SERVICE_SIDS), str(sids))
    off = json.loads(tfpolicy.render(template, template_args(False, service=False)))
    check("worker policy without the service has none of them",
          not any(st["Sid"] in SERVICE_SIDS for st in off["Statement"]))

    admin = {svc: client(svc, admin_key) for svc in ("s3", "dynamodb", "sns", "sqs", "cloudwatch")}
    admin["dynamodb"].create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "ImageID", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "ImageID", "AttributeType": "S"}])
    admin["sns"].create_topic(Name=f"{FUNCTION}-images")
    qurl = admin["sqs"].create_queue(QueueName="tk-iam-notes")["QueueUrl"]
    qarn = admin["sqs"].get_queue_attributes(QueueUrl=qurl, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    admin["sns"].subscribe(TopicArn=TOPIC_ARN, Protocol="sqs", Endpoint=qarn)
    iam = client("iam", admin_key, region="us-east-1")
    body = png_bytes(320, 200)

    def run(user_key, name):
        key = f"uploads/svc-{name}.png"
        admin["s3"].put_object(Bucket=SRC, Key=key, Body=body)
        env = dict(base_env, AWS_ACCESS_KEY_ID=user_key["AccessKeyId"],
                   AWS_SECRET_ACCESS_KEY=user_key["SecretAccessKey"], METADATA_TABLE=TABLE,
                   NOTIFY_TOPIC_ARN=TOPIC_ARN, ARCHIVE_PREFIX=ARCHIVE_PREFIX, METRIC_MODE="api",
                   AWS_LAMBDA_FUNCTION_NAME=f"{FUNCTION}-{name}")
        ev = s3_event(SRC, key, len(body))
        ev["Records"][0]["s3"]["object"]["sequencer"] = "0A"
        rc, out, err = run_event(bootstrap, env, ev, tmp, f"svc-{name}")
        logs = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
        item = admin["dynamodb"].get_item(TableName=TABLE, Key={"ImageID": {"S": key}}).get("Item")
        msgs = admin["sqs"].receive_message(QueueUrl=qurl, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        for m in msgs:
            admin["sqs"].delete_message(QueueUrl=qurl, ReceiptHandle=m["ReceiptHandle"])
        notes = [json.loads(json.loads(m["Body"])["Message"])["imageId"] for m in msgs]
        zipped = exists(admin["s3"], SRC, f"{ARCHIVE_PREFIX}{key}.zip")
        thumb = exists(admin["s3"], DST, f"{PREFIX}{key}.jpg")
        metrics = admin["cloudwatch"].list_metrics(
            Namespace=NAMESPACE, Dimensions=[{"Name": "FunctionName", "Value": f"{FUNCTION}-{name}"}])["Metrics"]
        return {"rc": rc, "out": out, "logs": logs, "item": item, "notes": notes, "zip": zipped,
                "thumb": thumb, "metric": bool(metrics), "key": key,
                "text": out + err}

    full = run(user_with(iam, "svc-full", policy), "full")
    ok = (full["rc"] == 0 and json.loads(full["out"] or "{}") == {"processed": 1, "skipped": 0, "failed": 0}
          and full["thumb"] and full["zip"] and full["metric"] and full["notes"] == [full["key"]]
          and full["item"] and full["item"]["status"]["S"] == "processed")
    if not check("with exactly the rendered policy: thumbnail, record (UpdateItem), SNS message, zip, "
                 "PutMetricData all work", ok,
                 f"rc {full['rc']}, thumb {full['thumb']}, zip {full['zip']}, metric {full['metric']}, "
                 f"notes {full['notes']}"):
        print(full["text"][-3000:])

    def denied(r):
        return "AccessDenied" in r["text"] or "AuthorizationError" in r["text"]

    r = run(user_with(iam, "svc-no-records", without(policy, "WriteImageRecords")), "no-records")
    check("without WriteImageRecords: the claim is denied and nothing is written",
          denied(r) and not r["thumb"] and not r["zip"] and not r["notes"] and r["item"] is None,
          f"thumb {r['thumb']}, zip {r['zip']}")
    r = run(user_with(iam, "svc-no-notes", without(policy, "PublishImageNotifications")), "no-notes")
    check("without PublishImageNotifications: Publish is denied, the job fails, notifyPending stays",
          denied(r) and not r["notes"] and r["item"] is not None and "notifyPending" in r["item"]
          and json.loads(r["out"] or "{}").get("failed") == 1, r["text"][-300:] if not denied(r) else "")
    r = run(user_with(iam, "svc-no-zip", without(policy, "WriteArchivesUnderPrefix")), "no-zip")
    check("without WriteArchivesUnderPrefix: the archive PUT is denied, no thumbnail after it",
          denied(r) and not r["zip"] and not r["thumb"], f"zip {r['zip']}, thumb {r['thumb']}")
    r = run(user_with(iam, "svc-no-metric", without(policy, "PutMetricDataInOwnNamespace")), "no-metric")
    warned = any(x.get("message") == "PutMetricData failed" and "AccessDenied" in x.get("error", "")
                 for x in r["logs"])
    check("without PutMetricDataInOwnNamespace: PutMetricData is denied and logged, the image is "
          "still processed", warned and not r["metric"] and r["thumb"]
          and json.loads(r["out"] or "{}").get("processed") == 1)
    fn = client("s3", user_with(iam, "svc-probe", policy))
    attempt("write outside ARCHIVE_PREFIX in the source bucket: denied",
            lambda: fn.put_object(Bucket=SRC, Key="elsewhere.zip", Body=b"x"), False)
    ddb = client("dynamodb", iam.create_access_key(UserName="svc-probe")["AccessKey"])
    attempt("read the table with the worker's keys (GetItem): denied",
            lambda: ddb.get_item(TableName=TABLE, Key={"ImageID": {"S": "x"}}), False)


def api_checks(bootstrap, repo, base_env, client, admin_key, tmp, attempt):
    """The API function's policy: each statement exercised by the real bootstrap answering
    API Gateway events (or, for the presigned GET it signs, by the same keys directly: moto
    does not check presigned URLs), and denied without its statement."""
    import base64
    with open(os.path.join(repo, "terraform", "policies", "api-policy.json.tftpl")) as f:
        policy = json.loads(tfpolicy.render(f.read(), api_template_args()))
    shape_ok(policy, "API function")
    iam = client("iam", admin_key, region="us-east-1")
    admin = {svc: client(svc, admin_key) for svc in ("s3", "dynamodb")}
    # A processed image, as the worker leaves it.
    thumb = f"{PREFIX}uploads/api-done.png.jpg"
    admin["s3"].put_object(Bucket=DST, Key=thumb, Body=b"thumbnail bytes")
    admin["dynamodb"].put_item(TableName=TABLE, Item={
        "ImageID": {"S": "uploads/api-done.png"}, "status": {"S": "processed"},
        "thumbnails": {"L": [{"M": {"bucket": {"S": DST}, "key": {"S": thumb}, "size": {"S": "256x256"}}}]}})
    png = png_bytes(64, 48)

    def api_event(method, path, body=None, ctype=None, b64=False):
        ev = {"version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": "",
              "headers": {"content-type": ctype} if ctype else {},
              "requestContext": {"http": {"method": method, "path": path}, "requestId": "r1",
                                 "stage": "$default"},
              "isBase64Encoded": b64}
        if body is not None:
            ev["body"] = body
        return ev

    events = {
        "upload": api_event("POST", "/images", base64.b64encode(png).decode(), "image/png", True),
        "reserve": api_event("POST", "/images", json.dumps({"contentType": "image/png", "contentLength": 10}),
                             "application/json"),
        "get": api_event("GET", "/images/uploads/api-done.png"),
        "list": api_event("GET", "/images"),
    }

    def answers(key):
        env = dict(base_env, AWS_ACCESS_KEY_ID=key["AccessKeyId"], AWS_SECRET_ACCESS_KEY=key["SecretAccessKey"],
                   UPLOAD_BUCKET=SRC, UPLOAD_PREFIX=UPLOAD_PREFIX, METADATA_TABLE=TABLE,
                   AWS_LAMBDA_FUNCTION_NAME=f"{FUNCTION}-api")
        out = {}
        for name, ev in events.items():
            rc, stdout, stderr = run_event(bootstrap, env, ev, tmp, f"api-{name}")
            try:
                doc = json.loads(stdout)
                out[name] = (doc["statusCode"], json.loads(doc["body"]))
            except (ValueError, KeyError):
                out[name] = (None, stdout + stderr[-500:])
        return out

    full_key = user_with(iam, "api-full", policy)
    a = answers(full_key)
    ok = (a["upload"][0] == 201 and a["reserve"][0] == 201 and a["get"][0] == 200
          and a["list"][0] == 200 and a["get"][1]["thumbnails"][0].get("url"))
    check("API with exactly its rendered policy: inline upload (PutObject), reservation, record "
          "(GetItem), listing (Scan)", ok, str({k: v[0] for k, v in a.items()}))
    if a["upload"][0] == 201:
        key = a["upload"][1]["imageId"]
        stored = admin["s3"].get_object(Bucket=SRC, Key=key)["Body"].read()
        check("the inline upload is stored under UPLOAD_PREFIX", key.startswith(UPLOAD_PREFIX) and stored == png, key)
    fs3 = client("s3", full_key)
    fddb = client("dynamodb", full_key)
    # What the presigned URLs it signs would do, made with the same keys.
    attempt("API keys: read a thumbnail under KEY_PREFIX (its presigned GET): allowed",
            lambda: fs3.get_object(Bucket=DST, Key=thumb)["Body"].read(), True)
    attempt("API keys: write under UPLOAD_PREFIX (its presigned PUT): allowed",
            lambda: fs3.put_object(Bucket=SRC, Key=f"{UPLOAD_PREFIX}probe.png", Body=b"x"), True)
    attempt("API keys: write outside UPLOAD_PREFIX: denied",
            lambda: fs3.put_object(Bucket=SRC, Key="images/probe.png", Body=b"x"), False)
    attempt("API keys: read a source object: denied",
            lambda: fs3.get_object(Bucket=SRC, Key=f"{UPLOAD_PREFIX}probe.png"), False)
    attempt("API keys: write the destination bucket: denied",
            lambda: fs3.put_object(Bucket=DST, Key=f"{PREFIX}x.jpg", Body=b"x"), False)
    attempt("API keys: write a record (UpdateItem): denied",
            lambda: fddb.update_item(TableName=TABLE, Key={"ImageID": {"S": "x"}},
                                     UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": {"S": "1"}}), False)

    a = answers(user_with(iam, "api-no-uploads", without(policy, "UploadsUnderPrefix")))
    check("API without UploadsUnderPrefix: the inline upload is denied (502, AccessDenied)",
          a["upload"][0] == 502 and "AccessDenied" in a["upload"][1]["error"]["message"], str(a["upload"])[:300])
    a = answers(user_with(iam, "api-no-records", without(policy, "ReadImageRecords")))
    check("API without ReadImageRecords: record and listing are denied (502, AccessDenied)",
          a["get"][0] == 502 and a["list"][0] == 502 and "AccessDenied" in a["get"][1]["error"]["message"],
          f"{a['get'][0]} {a['list'][0]}")
    nk = user_with(iam, "api-no-thumbs", without(policy, "ReadThumbnailsUnderPrefix"))
    attempt("API without ReadThumbnailsUnderPrefix: its keys cannot read thumbnails (what its "
            "presigned GET would do)", lambda: client("s3", nk).get_object(Bucket=DST, Key=thumb), False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--bootstrap")
    ap.add_argument("--no-bootstrap-target", action="store_true")
    args = ap.parse_args()

    if args.no_bootstrap_target:
        print("SKIP: the CMake target `bootstrap` (adapter-lambda) does not exist yet; "
              "this test runs as soon as it does")
        return 77
    if not args.bootstrap or not os.access(args.bootstrap, os.X_OK):
        print(f"not ok - bootstrap executable: {args.bootstrap!r} is not an executable file")
        return 1

    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    with open(os.path.join(args.repo, "terraform", "policies", "lambda-policy.json.tftpl")) as f:
        template = f.read()
    policy = check_policy_shape(template)
    if policy is None:
        print(f"{results['passed']} passed, {results['failed']} failed")
        return 1

    if shutil.which("moto_server") is None:
        print("not ok - moto_server not on PATH (pip install 'moto[server]')")
        return 1
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    tmp = tempfile.mkdtemp(prefix="tk-iam-")
    log = open(os.path.join(tmp, "moto.log"), "w")
    # moto's server, with non-S3 policies evaluated on the real resource (see the launcher).
    launcher = os.path.join(os.path.dirname(os.path.abspath(__file__)), "moto_iam_server.py")
    server = subprocess.Popen([sys.executable, launcher, "-H", "127.0.0.1", "-p", str(port)],
                              stdout=log, stderr=log)
    try:
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2)
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    print("not ok - moto_server did not start")
                    return 1
                time.sleep(0.1)

        cfg = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})

        def client(service, key=None, region=REGION):
            key = key or {"AccessKeyId": "setup", "SecretAccessKey": "setup"}
            return boto3.client(service, endpoint_url=endpoint, region_name=region, config=cfg,
                                aws_access_key_id=key["AccessKeyId"],
                                aws_secret_access_key=key["SecretAccessKey"])

        # --- setup, before authorisation is enforced -------------------------
        s3 = client("s3")
        for b in (SRC, DST, OTHER):
            s3.create_bucket(Bucket=b, CreateBucketConfiguration={"LocationConstraint": REGION})
        uploads = []
        jpeg_path = os.path.join(args.repo, "tests", "data", "jpeg", "exif-samples__DSCN0010.jpg")
        if os.path.exists(jpeg_path):
            with open(jpeg_path, "rb") as f:
                uploads.append(("uploads/2026/photo one.jpg", f.read()))
        uploads.append(("uploads/gradient.png", png_bytes(640, 400)))
        for key, body in uploads:
            s3.put_object(Bucket=SRC, Key=key, Body=body)
        s3.put_object(Bucket=DST, Key=f"{PREFIX}existing.jpg", Body=b"thumbnail")
        s3.put_object(Bucket=OTHER, Key="secret.txt", Body=b"secret")

        iam = client("iam", region="us-east-1")
        iam.create_user(UserName="thumbkit-function")
        iam.put_user_policy(UserName="thumbkit-function", PolicyName="lambda-policy",
                            PolicyDocument=json.dumps(policy))
        fn_key = iam.create_access_key(UserName="thumbkit-function")["AccessKey"]
        iam.create_user(UserName="admin")
        iam.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        admin_key = iam.create_access_key(UserName="admin")["AccessKey"]

        req = urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST",
                                     headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(req, timeout=5)
        admin = client("s3", admin_key)
        fn = client("s3", fn_key)
        try:
            client("s3").list_buckets()
            check("moto enforces authorisation", False, "unknown keys were accepted")
        except ClientError:
            check("moto enforces authorisation", True)

        # --- the adapter's flow, with the function's keys --------------------
        env = {
            "PATH": "/usr/bin:/bin",
            "AWS_ACCESS_KEY_ID": fn_key["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": fn_key["SecretAccessKey"],
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_LAMBDA_FUNCTION_NAME": FUNCTION,
            "DEST_BUCKET": DST,
            "KEY_PREFIX": PREFIX,
            "THUMB_SIZE": "256x256",
        }
        before = {o["Key"] for o in admin.list_objects_v2(Bucket=DST).get("Contents", [])}
        for i, (key, body) in enumerate(uploads):
            rc, out = run_bootstrap(args.bootstrap, env, s3_event(SRC, key, len(body)), tmp, f"event{i}")
            after = {o["Key"] for o in admin.list_objects_v2(Bucket=DST).get("Contents", [])}
            new = sorted(after - before)
            before = after
            ok = rc == 0 and len(new) == 1 and new[0].startswith(PREFIX)
            detail = f"exit {rc}, new objects {new}"
            if ok:
                thumb = admin.get_object(Bucket=DST, Key=new[0])["Body"].read()
                size = image_size(thumb)
                ok = size is not None and max(size) <= 256 and min(size) >= 1
                detail = f"{new[0]}: {size}"
            if not check(f"bootstrap --event writes a thumbnail of {key!r} with the policy's keys", ok, detail):
                print(out[-3000:])

        denied_env = dict(env, DEST_BUCKET=OTHER)
        key, body = uploads[-1]
        rc, out = run_bootstrap(args.bootstrap, denied_env, s3_event(SRC, key, len(body)), tmp, "denied")
        written = [o["Key"] for o in admin.list_objects_v2(Bucket=OTHER).get("Contents", []) if o["Key"] != "secret.txt"]
        denied = "AccessDenied" in out
        if not check("bootstrap cannot write to another bucket with the policy's keys (S3 says AccessDenied)",
                     not written and rc is not None and denied, f"exit {rc}, written {written}, AccessDenied logged: {denied}"):
            print(out[-3000:])

        # --- direct calls with the function's keys ---------------------------
        def attempt(what, call, expect_allowed):
            try:
                call()
                allowed, why = True, "allowed"
            except ClientError as e:
                code = e.response.get("Error", {}).get("Code", "")
                allowed, why = False, code
                if code not in ("AccessDenied", "AccessDeniedException", "403"):
                    check(what, False, f"unexpected error {code}")
                    return
            check(what, allowed == expect_allowed, why)

        src_key = uploads[-1][0]
        attempt("read a source object: allowed", lambda: fn.get_object(Bucket=SRC, Key=src_key)["Body"].read(), True)
        attempt("write under the destination prefix: allowed",
                lambda: fn.put_object(Bucket=DST, Key=f"{PREFIX}probe.jpg", Body=b"x"), True)
        # Thumbnails are read back (HeadObject) before a write, to order events (publish.h);
        # listing the bucket makes a missing one 404 rather than 403.
        attempt("read a thumbnail under the prefix: allowed",
                lambda: fn.get_object(Bucket=DST, Key=f"{PREFIX}probe.jpg"), True)
        attempt("read the destination outside the prefix: denied",
                lambda: fn.get_object(Bucket=DST, Key="elsewhere/existing.jpg"), False)
        attempt("list the destination bucket: allowed (a missing thumbnail is 404)",
                lambda: fn.list_objects_v2(Bucket=DST), True)
        attempt("write outside the destination prefix: denied",
                lambda: fn.put_object(Bucket=DST, Key="elsewhere/probe.jpg", Body=b"x"), False)
        attempt("write the source bucket: denied", lambda: fn.put_object(Bucket=SRC, Key="uploads/evil.jpg", Body=b"x"), False)
        attempt("delete a source object: denied", lambda: fn.delete_object(Bucket=SRC, Key=src_key), False)
        attempt("read another bucket: denied", lambda: fn.get_object(Bucket=OTHER, Key="secret.txt"), False)
        attempt("write another bucket: denied", lambda: fn.put_object(Bucket=OTHER, Key="x", Body=b"x"), False)
        attempt("list all buckets: denied", lambda: fn.list_buckets(), False)
        attempt("create a bucket: denied",
                lambda: fn.create_bucket(Bucket="tk-iam-new", CreateBucketConfiguration={"LocationConstraint": REGION}), False)

        service_checks(args.bootstrap, template, env, client, admin_key, tmp, attempt)
        api_checks(args.bootstrap, args.repo, env, client, admin_key, tmp, attempt)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{results['passed']} passed, {results['failed']} failed")
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
