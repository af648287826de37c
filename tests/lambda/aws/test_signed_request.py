"""The signed request helper (adapter-lambda/aws/request.h) on APIs other than S3.

Drives the small `aws_call` tool (one aws_send() per run) against
  * a moto server started here in auth mode, so signatures are really verified:
      DynamoDB ListTables / DescribeTable  JSON protocol: POST /, X-Amz-Target,
                                           application/x-amz-json-1.0
      STS GetCallerIdentity                query protocol: POST /, form-encoded Action=...
                                           (the shape of SNS Publish and CloudWatch calls)
  * a recording HTTP server on loopback that answers 503 a given number of times, to see the
    retries, the deadline and exactly what goes over the wire (trace id, signed headers).

  python3 test_signed_request.py --tool build/tests/lambda/aws_call
Exits 77 (skipped) when boto3 or moto_server are missing.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from http.server import ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

import localaws as L  # noqa: E402

L.require_moto()

TOOL = None
DDB_JSON = "Content-Type: application/x-amz-json-1.0"
FORM = "Content-Type: application/x-www-form-urlencoded; charset=utf-8"


def call(env, service, endpoint_id, *args):
    """Run aws_call: @return its JSON result (dict)."""
    r = subprocess.run([TOOL, service, endpoint_id, *args], env=env, capture_output=True,
                       timeout=60)
    if r.returncode != 0:
        raise AssertionError(f"aws_call exited {r.returncode}: {r.stderr.decode()}")
    return json.loads(r.stdout.decode())


def base_env(akid, secret, **extra):
    env = {"PATH": os.environ.get("PATH", ""), "AWS_REGION": L.REGION,
           "AWS_ACCESS_KEY_ID": akid, "AWS_SECRET_ACCESS_KEY": secret}
    env.update(extra)
    return env


class Moto(unittest.TestCase):
    """Real signature checks: moto in auth mode."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tk-aws-")
        cls.moto = L.MotoServer().start(cls.tmp)
        cls.akid, cls.secret = L.create_user(cls.moto, "thumbkit", ["dynamodb:*", "sts:*"])
        cls.moto.client("dynamodb").create_table(
            TableName="thumbkit-images", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
        cls.moto.reset_auth("0")  # from now on every request must be signed correctly
        cls.dead = "http://127.0.0.1:%d" % L.free_port()

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def ddb(self, target, body, secret=None, **env_extra):
        # AWS_ENDPOINT_URL_DYNAMODB wins over AWS_ENDPOINT_URL (a dead port here), as in the SDKs.
        env = base_env(self.akid, secret or self.secret, AWS_ENDPOINT_URL=self.dead,
                       AWS_ENDPOINT_URL_DYNAMODB=self.moto.url, **env_extra)
        return call(env, "dynamodb", "DYNAMODB", "POST", "/", "--header",
                    "X-Amz-Target: DynamoDB_20120810." + target, "--header", DDB_JSON,
                    "--body", json.dumps(body))

    def test_dynamodb_list_tables(self):
        r = self.ddb("ListTables", {})
        self.assertEqual(r["status"], "ok", r)
        self.assertEqual(r["http"], 200)
        self.assertEqual(r["attempts"], 1)
        self.assertTrue(r["requestId"], "x-amzn-RequestId is read from the response")
        self.assertEqual(json.loads(r["body"])["TableNames"], ["thumbkit-images"])

    def test_dynamodb_error_is_parsed_and_permanent(self):
        r = self.ddb("DescribeTable", {"TableName": "no-such-table"})
        self.assertEqual(r["status"], "permanent", r)
        self.assertEqual(r["http"], 400)
        self.assertEqual(r["code"], "ResourceNotFoundException")
        self.assertIn("not found", r["message"])
        self.assertEqual(r["attempts"], 1, "a permanent error is not retried")

    def test_wrong_secret_is_rejected(self):
        r = self.ddb("ListTables", {}, secret="wrong" + self.secret[5:])
        self.assertEqual(r["status"], "permanent", r)
        self.assertEqual(r["http"], 403)
        self.assertEqual(r["code"], "SignatureDoesNotMatch")
        self.assertEqual(r["attempts"], 1)

    def test_sts_query_protocol(self):
        # Only AWS_ENDPOINT_URL is set: the general variable serves every service.
        env = base_env(self.akid, self.secret, AWS_ENDPOINT_URL=self.moto.url)
        r = call(env, "sts", "STS", "POST", "/", "--header", FORM, "--body",
                 "Action=GetCallerIdentity&Version=2011-06-15")
        self.assertEqual(r["status"], "ok", r)
        self.assertIn("<Arn>arn:aws:iam::123456789012:user/thumbkit</Arn>", r["body"])


class Recorder:
    """Loopback HTTP server that records requests and answers `fail` times 503 first."""

    def __init__(self, fail):
        self.requests, self.fail = [], fail
        rec = self

        class H(L.QuietHandler):
            def do_POST(self):
                body = self.read_body()
                rec.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                if rec.fail > 0:
                    rec.fail -= 1
                    out, status = b'{"__type":"ThrottlingException","message":"slow down"}', 503
                else:
                    out, status = b'{"TableNames":[]}', 200
                self.reply(status, out, "application/x-amz-json-1.0")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


class Wire(unittest.TestCase):
    """Retries, deadline, trace id and signed headers, seen on the wire."""

    TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

    def run_tool(self, rec, *extra):
        env = base_env("AKIDEXAMPLE", "secret", AWS_ENDPOINT_URL_DYNAMODB=rec.url,
                       AWS_SESSION_TOKEN="session-token")
        return call(env, "dynamodb", "DYNAMODB", "POST", "/", "--header",
                    "X-Amz-Target: DynamoDB_20120810.ListTables", "--header", DDB_JSON,
                    "--body", "{}", *extra)

    def test_transient_errors_are_retried_with_the_trace_id(self):
        rec = Recorder(fail=2)
        try:
            r = self.run_tool(rec, "--trace", self.TRACE)
        finally:
            rec.stop()
        self.assertEqual(r["status"], "ok", r)
        self.assertEqual(r["attempts"], 3)
        self.assertEqual(len(rec.requests), 3)
        for h, body in rec.requests:
            self.assertEqual(body, b"{}")
            self.assertEqual(h.get("x-amzn-trace-id"), self.TRACE)
            self.assertEqual(h.get("x-amz-target"), "DynamoDB_20120810.ListTables")
            self.assertEqual(h.get("x-amz-security-token"), "session-token")
            self.assertNotIn("x-amz-content-sha256", h, "only S3 wants the payload hash header")
            self.assertNotIn("expect", h)
            auth = h["authorization"]
            self.assertIn("/us-east-1/dynamodb/aws4_request", auth)
            signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
            self.assertEqual(signed, ["content-type", "host", "x-amz-date",
                                      "x-amz-security-token", "x-amz-target"])

    def test_deadline_bounds_the_retries(self):
        rec = Recorder(fail=1000)
        t0 = time.monotonic()
        try:
            r = self.run_tool(rec, "--deadline-in-ms", "1500")
        finally:
            rec.stop()
        elapsed = time.monotonic() - t0
        self.assertEqual(r["status"], "transient", r)
        self.assertEqual(r["code"], "ThrottlingException")
        self.assertEqual(r["http"], 503)
        self.assertGreaterEqual(r["attempts"], 1)
        # Retries stop 500 ms before the deadline (retry.h's reserve): well inside 1.5 s.
        self.assertLess(elapsed, 1.5 + 1.0)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    args, rest = ap.parse_known_args()
    TOOL = os.path.abspath(args.tool)
    unittest.main(argv=[sys.argv[0], "-v"] + rest)
