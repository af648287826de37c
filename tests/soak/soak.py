"""Soak: many warm invocations of one `bootstrap` process; its memory and file descriptors
must not grow.

One bootstrap, fed by the Runtime API emulator with a new request id and X-Ray trace id per
invocation (as Lambda sends them), each a direct event for one of a few small images in a
local S3 (moto), so every invocation GETs, decodes, HEADs and PUTs. RSS (VmRSS) and the
number of open descriptors are sampled from /proc every SAMPLE invocations. After a warm-up
(the first WARMUP invocations: allocator arenas, curl's connection cache and libjpeg's
tables settle), the least-squares slope of RSS must stay under --max-slope bytes per
invocation, and the descriptor count must not rise.

    python3 tests/soak/soak.py --invocations 10000        # the long form (tests/soak/run)
The default suite runs a short form (ctest soak.warm_loop).
Environment: TK_BOOTSTRAP, TK_TEST_DATA (set by ctest).
"""

import argparse
import json
import os
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lambda", "e2e"))
import localaws as L  # noqa: E402

L.require_moto()


def proc_sample(pid):
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def slope(points):
    """Least-squares slope of (x, y) points."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--invocations", type=int, default=10000)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--max-slope", type=float, default=16.0,
                    help="largest RSS growth allowed, bytes per invocation")
    a = ap.parse_args()
    data = os.environ.get("TK_TEST_DATA", os.path.join(HERE, "..", "data"))
    tmp = tempfile.mkdtemp(prefix="tk-soak-")
    moto = L.MotoServer().start(tmp)
    emu = boot = None
    try:
        s3 = moto.client("s3")
        s3.create_bucket(Bucket="src")
        s3.create_bucket(Bucket="dst")
        keys = []
        for name in ("basn2c08.png", "basn6a08.png", "basi0g08.png", "tbbn3p08.png"):
            with open(os.path.join(data, "pngsuite", name), "rb") as f:
                s3.put_object(Bucket="src", Key="soak/" + name, Body=f.read())
            keys.append("soak/" + name)
        emu = L.RuntimeEmulator().start()
        boot = L.Bootstrap(os.environ["TK_BOOTSTRAP"], emu,
                           L.runtime_env(moto.url, "dst", {"AWS_LAMBDA_LOG_LEVEL": "WARN"})).start()
        samples, fds = [], []
        t0 = time.monotonic()
        for i in range(a.invocations):
            trace = "Root=1-%08x-%s;Parent=%s;Sampled=1" % (
                int(time.time()), uuid.uuid4().hex[:24], uuid.uuid4().hex[:16])
            res = emu.invoke({"bucket": "src", "key": keys[i % len(keys)]}, timeout=60,
                             trace_id=trace)
            if res.kind != "response" or res.json().get("processed") != 1:
                print(f"FAIL: invocation {i}: {res.kind} {res.body[:300]!r}")
                return 1
            if (i + 1) % a.sample == 0:
                rss, nfd = proc_sample(boot.proc.pid)
                if i + 1 > a.warmup:
                    samples.append((i + 1, rss))
                    fds.append(nfd)
        wall = time.monotonic() - t0
        per_inv = slope(samples)
        report = {
            "invocations": a.invocations,
            "wall_s": round(wall, 1),
            "invocations_per_s": round(a.invocations / wall, 1),
            "rss_first_kb": samples[0][1] // 1024,
            "rss_last_kb": samples[-1][1] // 1024,
            "rss_max_kb": max(r for _, r in samples) // 1024,
            "rss_slope_bytes_per_invocation": round(per_inv, 2),
            "fds_first": fds[0],
            "fds_max": max(fds),
            "fds_last": fds[-1],
        }
        print(json.dumps(report, indent=1))
        ok = True
        if per_inv > a.max_slope:
            print(f"FAIL: RSS grows {per_inv:.1f} bytes per invocation (bound {a.max_slope})")
            ok = False
        if max(fds) > fds[0]:
            print(f"FAIL: open descriptors grew from {fds[0]} to {max(fds)}")
            ok = False
        if ok:
            print(f"ok: RSS slope {per_inv:.2f} B/invocation (bound {a.max_slope}), "
                  f"descriptors steady at {fds[0]}")
        return 0 if ok else 1
    finally:
        L.stop_all(boot, emu, moto, tmp=tmp)


if __name__ == "__main__":
    sys.exit(main())
