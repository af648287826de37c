"""bench.lambda.smoke: bench/lambda-tuning/run on two sample photos at one size, so it cannot rot.

No timing is asserted; what must hold whatever the machine's load:
  - every handler (the bootstrap, both Pillow handlers) ran every invocation, none failed;
  - the S3 model sits in the path: the bootstrap's logged S3 time per image is at least the
    modelled GET + PUT first-byte latencies;
  - the calibration ran and the quota caps the share (a group without its quota would measure
    about 1 vCPU, not the 0.29 of 512 MB);
  - the OOM check found a size, the report, data, chart and README lines were written;
  - no sanitizer report, no Python traceback.
usage: lambda_tuning_smoke.py BUILD_DIR OUT_DIR (exit 77: skipped, with the reason)
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LATENCY_MS = 25.0


def skip(why):
    print("skipped: " + why)
    sys.exit(77)


def main(build, out):
    if os.geteuid() != 0:
        skip("emulating Lambda sizes needs root (cgroups)")
    if not shutil.which("moto_server"):
        skip("moto_server is not installed")
    os.makedirs(out, exist_ok=True)
    prefix = os.path.join(out, "lambda")
    for ext in (".json", ".md", ".png"):
        if os.path.exists(prefix + ext):
            os.unlink(prefix + ext)
    argv = ["sh", os.path.join(REPO, "bench", "lambda-tuning", "run"), "--build", build,
            "--workload", os.path.join(REPO, "tests", "data", "exif-orientation"), "--max-images", "2",
            "--sizes", "512", "--rounds", "2", "--cold-starts", "1", "--calibrate-seconds", "1",
            "--oom-workloads", "self", "--oom-sizes", "256", "--p95-target", "5000",
            "--s3-get-latency-ms", str(LATENCY_MS), "--s3-put-latency-ms", str(LATENCY_MS),
            "--cache", os.path.join(out, "workloads"), "--out", prefix]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    text = p.stdout.decode("utf-8", "replace")
    print(text[-6000:])
    problems = []
    for bad in ("AddressSanitizer", "LeakSanitizer", "runtime error:", "Traceback"):
        if bad in text:
            problems.append("output has " + bad)
    if p.returncode != 0:
        problems.append("run exited %d" % p.returncode)
    rep = {}
    if os.path.exists(prefix + ".json"):
        with open(prefix + ".json") as fh:
            rep = json.load(fh)
    rows = {r["model"]: r for r in rep.get("rows", [])}
    for m in ("thumbkit", "pillow-best", "pillow-workshop"):
        r = rows.get(m)
        if not r:
            problems.append("no row for " + m)
        elif r["invocations"] != 4 or r["failed"] or r["oom"]:
            problems.append("%s: %d invocations, %d failed, %d OOM (want 4, 0, 0)" % (
                m, r["invocations"], r["failed"], r["oom"]))
        elif (r["s3_p50_ms"] or 0) < 2 * LATENCY_MS:
            problems.append("%s: S3 p50 %.1f ms is below the modelled %.0f ms: the S3 model is not in the path"
                            % (m, r["s3_p50_ms"] or 0, 2 * LATENCY_MS))
    cal = rep.get("calibration") or []
    if len(cal) != 1 or not 0.0 < cal[0]["measured"] < 1.5 * cal[0]["target"]:
        problems.append("calibration did not cap the share: %s" % cal)
    oom = rep.get("oom_check") or {}
    if any((oom.get(m) or {}).get("smallest_mb") != 256 for m in rows):
        problems.append("OOM check did not pass at 256 MB: %s" % oom)
    if not rep.get("readme_rows"):
        problems.append("no README lines")
    for ext in (".md", ".png"):
        if not os.path.exists(prefix + ext):
            problems.append("missing " + prefix + ext)
    for x in problems:
        print("FAIL: " + x)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
