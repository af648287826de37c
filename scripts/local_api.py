"""The image service's HTTP API on loopback, with the upload page (run by scripts/local-api).

Starts a local AWS (moto: S3 with browser CORS, SQS, DynamoDB), the API function and the
thumbnail function (the real `bootstrap` twice, each under the project's Runtime API
emulator), the HTTP API front (API Gateway HTTP API, payload format 2.0) and the page server,
prints their URLs and runs until Ctrl-C (or SIGTERM). Everything binds 127.0.0.1.
"""

import argparse
import json
import os
import signal
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "lambda", "e2e"))
import localapi  # noqa: E402

PORT, PAGE_PORT = 8750, 8751


def stop_on_signal(signum, frame):
    """SIGTERM: leave through the finally block, which stops what was started; a second
    signal must not interrupt that cleanup."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(143)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bootstrap", required=True, help="the bootstrap binary")
    ap.add_argument("--port", type=int, default=PORT, help=f"HTTP API port (default {PORT}; 0: any free)")
    ap.add_argument("--page-port", type=int, default=PAGE_PORT,
                    help=f"upload page port (default {PAGE_PORT}; 0: any free)")
    ap.add_argument("--sizes", default="128,256", help="THUMB_SIZES of both functions (default 128,256)")
    ap.add_argument("--max-bytes", type=int, help="MAX_INPUT_BYTES (default: the function's, 64 MiB)")
    ap.add_argument("--ready-file", help="write the URLs there as JSON once everything answers")
    ap.add_argument("--verbose", action="store_true", help="log each HTTP API request")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, stop_on_signal)
    # Ctrl-C, also when started from a shell that ignores SIGINT for background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    svc = localapi.LocalService(a.bootstrap, port=a.port, page_port=a.page_port, sizes=a.sizes,
                                max_bytes=a.max_bytes, verbose=a.verbose)
    try:
        try:
            svc.start()
        except OSError as e:
            print(f"local-api: cannot start: {e} (another server on port {a.port} or {a.page_port}? "
                  "choose others with --port/--page-port)", file=sys.stderr)
            return 1
        info = svc.info()
        print(f"local AWS (moto)   {info['moto']}")
        print(f"HTTP API           {info['api']}   (POST /images, GET /images, GET /images/{{id}})")
        print(f"upload page        {info['page']}")
        print("Ctrl-C stops everything.", flush=True)
        if a.ready_file:
            tmp = a.ready_file + ".tmp"
            with open(tmp, "w") as f:
                json.dump(info, f)
            os.replace(tmp, a.ready_file)
        while True:
            dead = svc.dead_function()
            if dead:
                name, rc, err = dead
                print(f"local-api: the {name} exited with status {rc}:\n{err[-2000:]}", file=sys.stderr)
                return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return 0
    finally:
        svc.stop()


if __name__ == "__main__":
    sys.exit(main())
