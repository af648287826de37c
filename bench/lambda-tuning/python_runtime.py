"""A small stand-in for Lambda's managed Python runtime (standard library only).

It does what the managed runtime does around a handler: import the handler's module (its
top-level code is the function's init: imports, the boto3 client), then loop on the Runtime
API: GET /next, call handler(event, context), POST /response (or /error). Init failures go to
/init/error. The real runtime (awslambdaric) does more bookkeeping per invocation, so its
overhead is at least this one's.

usage: AWS_LAMBDA_RUNTIME_API=host:port python_runtime.py MODULE.FUNCTION
       (MODULE is imported from this file's folder)
"""
import http.client
import importlib
import json
import os
import sys
import time
import traceback

PREFIX = "/2018-06-01/runtime"


class Context:
    """The attributes handlers commonly use."""

    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def error_body(exc):
    return json.dumps({"errorMessage": str(exc), "errorType": type(exc).__name__,
                       "stackTrace": traceback.format_exception(exc)}).encode()


def main(argv):
    host, _, port = os.environ["AWS_LAMBDA_RUNTIME_API"].partition(":")
    conn = http.client.HTTPConnection(host, int(port or 80))
    module_name, _, func_name = argv[1].rpartition(".")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        handler = getattr(importlib.import_module(module_name), func_name)
    except Exception as e:  # noqa: BLE001 - reported to the Runtime API like the real runtime
        conn.request("POST", PREFIX + "/init/error", body=error_body(e))
        conn.getresponse().read()
        return 1
    while True:
        try:
            conn.request("GET", PREFIX + "/invocation/next")
            resp = conn.getresponse()
            payload = resp.read()
        except (OSError, http.client.HTTPException):
            return 0  # the Runtime API went away: the environment is shutting down
        if resp.status != 200:
            return 0
        headers = dict(resp.getheaders())
        ctx = Context(headers)
        try:
            result = handler(json.loads(payload or b"null"), ctx)
            path, body = "/response", json.dumps(result).encode()
        except Exception as e:  # noqa: BLE001
            path, body = "/error", error_body(e)
        conn.request("POST", "%s/invocation/%s%s" % (PREFIX, ctx.aws_request_id, path), body=body,
                     headers={"Content-Type": "application/json"})
        conn.getresponse().read()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
