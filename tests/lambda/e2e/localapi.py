"""The image service's HTTP API on loopback, for a browser: what `scripts/local-api` runs, what
`scripts/demo --serve` adds after its table, and what the browser test drives.

    moto (S3, SQS, DynamoDB; browser CORS on the buckets as terraform/api.tf sets it)
      API function:       HTTP API front (API Gateway payload 2.0) -> Runtime API emulator -> bootstrap
      thumbnail function: S3 -> SQS -> event source poller -> Runtime API emulator -> bootstrap
    upload page:          web/index.html on its own port (another origin, like CloudFront on AWS)

`Front` is the browser-facing part over a local AWS and two functions that already run (the
demo's); `LocalService` starts everything.
"""

import functools
import os
import shutil
import tempfile
from http.server import SimpleHTTPRequestHandler

import localaws as L
from event_source import SqsEventSource
from http_api_front import Cors, HttpApiFront, emulator_invoker
from loopback import LoopbackServer

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
WEB_DIR = os.path.join(REPO, "web")

# terraform/api.tf: the routes of aws_apigatewayv2_route.images and the API's
# cors_configuration (tests/terraform/check-structure.js checks they stay equal).
API_ROUTES = ("POST /images", "GET /images", "GET /images/{id+}")
API_CORS = dict(allow_methods=["GET", "POST", "OPTIONS"], allow_headers=["content-type", "authorization"],
                expose_headers=["location"], max_age=600)
API_TIMEOUT_S = 10.0  # aws_apigatewayv2_integration.api timeout_milliseconds


def api_cors(origin="*"):
    return Cors(allow_origins=[origin], **API_CORS)


def put_bucket_cors(moto, upload_bucket, dest_bucket, origin="*"):
    """The browser CORS rules of terraform/api.tf on moto's buckets: PUT (with the signed
    Content-Type) on uploads, GET on thumbnails. moto answers preflights from them once its
    global CORS is off (MOTO_ENV)."""
    s3 = moto.client("s3")
    s3.put_bucket_cors(Bucket=upload_bucket, CORSConfiguration={"CORSRules": [{
        "AllowedMethods": ["PUT"], "AllowedOrigins": [origin], "AllowedHeaders": ["content-type"],
        "MaxAgeSeconds": 600}]})
    s3.put_bucket_cors(Bucket=dest_bucket, CORSConfiguration={"CORSRules": [{
        "AllowedMethods": ["GET"], "AllowedOrigins": [origin], "MaxAgeSeconds": 600}]})


# moto otherwise answers every origin on every path (flask-cors), whatever the bucket says.
MOTO_ENV = {"MOTO_DISABLE_GLOBAL_CORS": "1"}


class _PageHandler(SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class PageServer(LoopbackServer):
    """web/ on a loopback port (the upload page at /)."""

    def __init__(self, port=0, host="127.0.0.1"):
        super().__init__(functools.partial(_PageHandler, directory=WEB_DIR), host, port)


class Front:
    """The HTTP API front, the SQS poller of the thumbnail function and the page server, over
    a local AWS whose functions already run under @p api_emulator and @p worker_emulator."""

    def __init__(self, moto, api_emulator, worker_emulator, queue_url, upload_bucket,
                 dest_bucket, port=0, page_port=0, origin="*", verbose=False):
        self.moto, self.queue_url = moto, queue_url
        self.api_emulator, self.worker_emulator = api_emulator, worker_emulator
        self.buckets = (upload_bucket, dest_bucket)
        self.port, self.page_port, self.origin, self.verbose = port, page_port, origin, verbose
        self.api = self.page = self.events = None

    def start(self):
        put_bucket_cors(self.moto, *self.buckets, origin=self.origin)
        self.events = SqsEventSource(self.moto, self.queue_url, self.worker_emulator).start()
        self.api = HttpApiFront(emulator_invoker(self.api_emulator), API_ROUTES,
                                cors=api_cors(self.origin), port=self.port,
                                timeout_s=API_TIMEOUT_S, verbose=self.verbose).start()
        self.page = PageServer(self.page_port).start()
        return self

    @property
    def page_url(self):
        return f"{self.page.url}/?api={self.api.url}"

    def stop(self):
        for part in (self.page, self.api, self.events):
            if part:
                part.stop()


class LocalService:
    """moto, the API function and the thumbnail function (the real @p bootstrap twice), and
    the Front: the whole image service on loopback."""

    UPLOADS, THUMBS, TABLE, QUEUE = "local-uploads", "local-thumbnails", "ImageMetadata", "local-s3-events"

    def __init__(self, bootstrap, port=0, page_port=0, sizes="128,256", max_bytes=None,
                 origin="*", verbose=False):
        self.bootstrap, self.sizes, self.max_bytes = bootstrap, sizes, max_bytes
        self.front_args = dict(port=port, page_port=page_port, origin=origin, verbose=verbose)
        self.tmp = tempfile.mkdtemp(prefix="thumbkit-local-api-")
        self.moto = L.MotoServer(env=MOTO_ENV)
        self.api_emu, self.worker_emu = L.RuntimeEmulator(), L.RuntimeEmulator()
        self.boots = []
        self.front = None

    def start(self):
        self.moto.start(self.tmp)
        s3, sqs = self.moto.client("s3"), self.moto.client("sqs")
        s3.create_bucket(Bucket=self.UPLOADS)
        s3.create_bucket(Bucket=self.THUMBS)
        qurl = sqs.create_queue(QueueName=self.QUEUE, Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
        qarn = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        # Everything the API uploads (UPLOAD_PREFIX), whatever its extension.
        s3.put_bucket_notification_configuration(Bucket=self.UPLOADS, NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": qarn, "Events": ["s3:ObjectCreated:*"], "Filter": {
                "Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}}}]})
        L.create_table(self.moto, self.TABLE)
        common = {"METADATA_TABLE": self.TABLE, "THUMB_SIZES": self.sizes}
        if self.max_bytes:
            common["MAX_INPUT_BYTES"] = str(self.max_bytes)
        for emu, extra in ((self.api_emu, {"UPLOAD_BUCKET": self.UPLOADS,
                                           "AWS_LAMBDA_FUNCTION_NAME": "thumbkit-local-api"}),
                           (self.worker_emu, {"AWS_LAMBDA_FUNCTION_NAME": "thumbkit-local"})):
            emu.start()
            env = L.runtime_env(self.moto.url, self.THUMBS, dict(common, **extra))
            self.boots.append(L.Bootstrap(self.bootstrap, emu, env).start())
        self.front = Front(self.moto, self.api_emu, self.worker_emu, qurl, self.UPLOADS,
                           self.THUMBS, **self.front_args).start()
        return self

    def dead_function(self):
        """@return (name, exit status, stderr) of a function whose process ended, or None."""
        for name, b in zip(("API function", "thumbnail function"), self.boots):
            if b.proc.poll() is not None:
                return name, b.proc.returncode, b.stderr.decode("utf-8", "replace")
        return None

    def info(self):
        return {"moto": self.moto.url, "api": self.front.api.url, "page": self.front.page_url,
                "uploadBucket": self.UPLOADS, "thumbnailBucket": self.THUMBS, "table": self.TABLE,
                "sizes": self.sizes}

    def stop(self):
        if self.front:
            self.front.stop()
        for b in self.boots:
            b.stop()
        self.api_emu.stop()
        self.worker_emu.stop()
        self.moto.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)
