#!/usr/bin/env python3
"""Warm per-invocation cost of each image-service feature on the local AWS (a measurement,
not a test).

Times are taken around each invocation through the Runtime API emulator (queue -> /next ->
handler -> /response), so they include everything the function does, PutMetricData too, and
the emulator's own loopback round trip (the same for every configuration).

One moto server; one bootstrap per configuration, each under its own Runtime API emulator,
all warm (a first invocation is discarded). The configurations take turns, one invocation
each per round, so that they see the same machine load; each invocation is one S3 record
(a JPEG photo of the test data) with a fresh sequencer. Reported: the median of the
invocation time (ms) per configuration and its difference from the
thumbnail-only configuration, and the same for the HTTP API's three routes. moto is a
Python server: its DynamoDB and SNS answer in milliseconds where AWS's take a few.

  python3 bench/lambda-service/bench_service.py --bootstrap build/adapter-lambda/bootstrap \
      [--rounds 40] [--image tests/data/jpeg/exif-samples__DSCN0010.jpg]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "lambda", "e2e"))
import localaws as L  # noqa: E402


def s3_event(key, size, seq):
    return {"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                         "s3": {"bucket": {"name": "src"},
                                "object": {"key": key, "size": size, "sequencer": "%016X" % seq}}}]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--image", default=os.path.join(REPO, "tests", "data", "jpeg",
                                                     "exif-samples__DSCN0010.jpg"))
    a = ap.parse_args()
    body = open(a.image, "rb").read()
    tmp = tempfile.mkdtemp(prefix="tk-bench-svc-")
    moto = L.MotoServer().start(tmp)
    runners = []
    try:
        s3 = moto.client("s3")
        for b in ("src", "dst"):
            s3.create_bucket(Bucket=b)
        L.create_table(moto, "ImageMetadata")
        topic, _ = L.subscribe_queue(moto, "bench-images", "bench-sub")
        configs = [
            ("thumbnail only", {}),
            ("+ record (DynamoDB)", {"METADATA_TABLE": "ImageMetadata"}),
            ("+ SNS message", {"NOTIFY_TOPIC_ARN": topic}),
            ("+ zip archive", {"ARCHIVE_PREFIX": "zip/"}),
            ("+ PutMetricData (api)", {"METRIC_MODE": "api"}),
            ("3 sizes (128,256,1024x768)", {"THUMB_SIZES": "128,256,1024x768"}),
            ("everything on", {"METADATA_TABLE": "ImageMetadata", "NOTIFY_TOPIC_ARN": topic,
                               "ARCHIVE_PREFIX": "zip/", "METRIC_MODE": "both",
                               "THUMB_SIZES": "128,256,1024x768"}),
        ]
        for i, (name, extra) in enumerate(configs):
            key = f"bench/{i}.jpg"
            s3.put_object(Bucket="src", Key=key, Body=body)
            emu = L.RuntimeEmulator().start()
            env = L.runtime_env(moto.url, "dst", dict(extra, AWS_LAMBDA_FUNCTION_NAME=f"bench-{i}"))
            boot = L.Bootstrap(a.bootstrap, emu, env).start()
            runners.append((name, key, emu, boot))
        api_emu = L.RuntimeEmulator().start()
        api_boot = L.Bootstrap(a.bootstrap, api_emu, L.runtime_env(moto.url, "dst", {
            "METADATA_TABLE": "ImageMetadata", "UPLOAD_BUCKET": "src"})).start()
        times = {name: [] for name, *_ in runners}
        seq = 1
        for rnd in range(a.rounds + 1):
            for name, key, emu, boot in runners:
                seq += 1
                t0 = time.perf_counter()
                r = emu.invoke(s3_event(key, len(body), seq), timeout=60)
                ms = (time.perf_counter() - t0) * 1000
                assert r.kind == "response" and r.json().get("processed") == 1, (name, r.body)
                if rnd > 0:  # the first round warms up
                    times[name].append(ms)
        api = {"POST /images (reserve)": L.api_event("POST", "/images",
                                                     {"contentType": "image/jpeg", "contentLength": 1000},
                                                     {"Content-Type": "application/json"}),
               "GET /images/{id}": L.api_event("GET", "/images/bench/1.jpg"),
               "GET /images?limit=20": L.api_event("GET", "/images", query={"limit": "20"})}
        api_times = {k: [] for k in api}
        for rnd in range(a.rounds + 1):
            for k, ev in api.items():
                t0 = time.perf_counter()
                r = L.ApiAnswer(api_emu.invoke(ev, timeout=30))
                ms = (time.perf_counter() - t0) * 1000
                assert r.status in (200, 201), (k, r.json)
                if rnd > 0:
                    api_times[k].append(ms)
        base = statistics.median(times[runners[0][0]])
        print(f"warm invocation, median of {a.rounds} (one S3 record, {os.path.basename(a.image)}, "
              f"{len(body)} bytes; moto on loopback; machine shared):")
        print(f"  {'configuration':<30} {'ms':>8} {'vs thumbnail only':>18}")
        for name, *_ in runners:
            m = statistics.median(times[name])
            print(f"  {name:<30} {m:8.2f} {m - base:+17.2f}")
        print(f"HTTP API function, median of {a.rounds}:")
        for k, v in api_times.items():
            print(f"  {k:<30} {statistics.median(v):8.2f}")
        api_boot.stop()
        api_emu.stop()
    finally:
        for _, _, emu, boot in runners:
            boot.stop()
            emu.stop()
        moto.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
