"""bench/lambda-tuning/run — which Lambda memory size to pick, and what a million photos cost.

For a named workload (phone, camera, mixed) or a folder of images, at each memory size:
thumbkit's real `bootstrap` and the Python + Pillow handlers (best practice, and the
workshop's full decode for the record), each a Lambda handler process driven through the
Runtime API, doing S3 GET -> thumbnail -> S3 PUT through the S3 model (first-byte latency and
per-connection bandwidth in front of a local moto). Sizes are emulated with cgroups (CPU =
memory/1769 of a vCPU, memory limit = the size), checked by a calibration run first.

Writes bench/results/lambda-WORKLOAD-DATE-COMMIT.{md,json,png}: the calibration, the S3 and
price models, per size p50/p95, init, peak memory, OOM and the cost per million images
(x86_64 and arm64), the recommendation, the comparison with Pillow, the smallest size that runs
every workload without OOM, the Power Tuning-style chart, and the README lines.
"""
import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import benchlib  # noqa: E402
import cgroups  # noqa: E402
import costs  # noqa: E402
import functions  # noqa: E402
import report  # noqa: E402
import workloads  # noqa: E402

SIZES = [128, 256, 512, 768, 1024, 1536, 1769, 2048, 3008]
MIN_INVOCATIONS = 20  # per size and model: enough for a p95 that is not just the maximum of a few
# The S3 model's defaults (README: sources). Median small-request latency "often in the tens of
# milliseconds" (S3 performance guidelines); 85-90 MB/s per connection (same guidelines).
S3_GET_LATENCY_MS = 30.0
S3_PUT_LATENCY_MS = 30.0
S3_MBPS = 85.0


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="bench/lambda-tuning/run", description=__doc__.split("\n")[0])
    ap.add_argument("--workload", default="phone", help="phone, camera, mixed, or a folder of images (default phone)")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="memory sizes in MB")
    ap.add_argument("--models", default=",".join(functions.MODELS))
    ap.add_argument("--rounds", type=int, default=0, help="passes over the images (default: enough for %d "
                    "invocations per size and model)" % MIN_INVOCATIONS)
    ap.add_argument("--cold-starts", type=int, default=3, help="processes per size and model (each one a cold start)")
    ap.add_argument("--max-images", type=int, default=0, help="use only the first N images (smoke runs)")
    ap.add_argument("--p95-target", type=float, default=500.0, help="latency target in ms (default 500)")
    ap.add_argument("--s3-get-latency-ms", type=float, default=S3_GET_LATENCY_MS)
    ap.add_argument("--s3-put-latency-ms", type=float, default=S3_PUT_LATENCY_MS)
    ap.add_argument("--s3-mbps", type=float, default=S3_MBPS, help="per-connection bandwidth, 10^6 bytes/s")
    ap.add_argument("--no-s3-model", action="store_true", help="talk to moto directly (no latency, no bandwidth)")
    ap.add_argument("--price-gb-s", type=float, default=costs.PRICE_GB_S_X86)
    ap.add_argument("--price-gb-s-arm64", type=float, default=costs.PRICE_GB_S_ARM64)
    ap.add_argument("--price-request", type=float, default=costs.PRICE_REQUEST * 1e6, help="USD per million requests")
    ap.add_argument("--cold-every", type=int, default=100, help="one billed cold start per N invocations")
    ap.add_argument("--arm64-time-ratio", type=float, default=1.0,
                    help="arm64 compute time / x86_64 compute time (README: sources; default 1.0)")
    ap.add_argument("--cfs-period-ms", type=float, default=cgroups.PERIOD_US / 1000.0,
                    help="CFS period of the emulated sizes (default 20 ms, as measured on Lambda)")
    ap.add_argument("--calibrate-seconds", type=float, default=5.0, help="CPU-share calibration window per size (0: skip)")
    ap.add_argument("--no-oom-check", action="store_true", help="skip the smallest-size-without-OOM check")
    ap.add_argument("--oom-sizes", default=None, help="sizes the OOM check tries, ascending (default: --sizes)")
    ap.add_argument("--oom-workloads", choices=("all", "self"), default="all",
                    help="all: every named workload and this one (default); self: only this run's images")
    ap.add_argument("--build", default=None, help="build dir to use as is (default: build build-bench first)")
    ap.add_argument("--corpus", default=os.path.join(REPO, "..", "shared", "corpus"))
    ap.add_argument("--cache", default=os.path.join(REPO, "bench", "results", "workloads"))
    ap.add_argument("--out", default=None, help="report prefix (default bench/results/lambda-WORKLOAD-DATE-COMMIT)")
    ap.add_argument("--no-chart", action="store_true")
    return ap.parse_args(argv)


def build_tree(args):
    """The build to use: --build as given, else build-bench/ (Release, bench on) brought up to date."""
    if args.build:
        return os.path.abspath(args.build)
    d = os.path.join(REPO, "build-bench")
    if not os.path.exists(os.path.join(d, "CMakeCache.txt")):
        subprocess.run(["cmake", "-S", REPO, "-B", d, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                        "-DTK_BUILD_BENCH=ON", "-DTK_BUILD_TESTS=OFF"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", d, "-j", str(os.cpu_count() or 1), "--target", "bootstrap",
                    "tk_bench_run", "tk_bench_rss"], check=True, stdout=subprocess.DEVNULL)
    return d


def select(items, probes, handlers):
    """Which items each handler runs: the ones its decoder opens. @return {model: [paths]}, notes."""
    out, notes = {}, []
    for m in handlers:
        p = probes["thumbkit" if m == "thumbkit" else "pillow"]
        ok = [i.path for i in items if p.get(i.path) == "ok"]
        left = [i for i in items if p.get(i.path) != "ok"]
        if left:
            notes.append("%s leaves out %d of %d images it cannot open: %s" % (
                m, len(left), len(items), ", ".join("%s (%s)" % (os.path.basename(i.path), p.get(i.path, "not probed"))
                                                    for i in left)))
        out[m] = ok
    return out, notes


def heic_decision(items, probes):
    """HEIC joins the workload only when thumbkit decodes it. @return (items, statement)."""
    heic = [i for i in items if i.path.lower().endswith((".heic", ".heif"))]
    if not heic:
        return items, None
    ok = [i for i in heic if probes["thumbkit"].get(i.path) == "ok"]
    if len(ok) == len(heic):
        return items, "HEIC present: thumbkit decodes all %d HEIC files, so they are in the workload" % len(heic)
    why = sorted({probes["thumbkit"].get(i.path, "not probed") for i in heic if i not in ok})
    kept = [i for i in items if i not in heic or i in ok]
    return kept, ("HEIC absent: thumbkit's engine at this commit does not decode %d of the %d HEIC photos "
                  "(tk_bench_run: %s), so the workload runs without them" % (len(heic) - len(ok), len(heic), ", ".join(why)))


def summarize(model, mb, sessions, peak, kills, prices, expected):
    """One row of the report from the sessions of @p expected invocations (the ones that never
    ran, after a process died before its first /next, count as failed)."""
    ok, first = [], []
    for s in sessions:
        for i, inv in enumerate(s["invocations"]):
            if inv["ok"]:
                ok.append(inv)
                if i == 0:
                    first.append(inv["ms"])
    failed = expected - len(ok)
    durs = [inv["ms"] for inv in ok]
    s3 = [inv["s3_ms"] for inv in ok if inv.get("s3_ms") is not None]
    compute = [inv["ms"] - inv["s3_ms"] for inv in ok if inv.get("s3_ms") is not None]
    inits = [s["init_ms"] for s in sessions if s["init_ms"] is not None]
    init = statistics.median(inits) if inits else None
    pairs = [(inv["ms"], inv.get("s3_ms")) for inv in ok]
    return {
        "model": model, "memory_mb": mb, "vcpu": round(cgroups.target_share(mb), 3),
        "invocations": expected, "failed": failed,
        "oom": max(sum(1 for s in sessions if s["killed"]), kills or 0),
        "p50_ms": statistics.median(durs) if durs else None,
        "p95_ms": benchlib.percentile(durs, 95) if durs else None,
        "first_ms": statistics.median(first) if first else None,
        "init_ms": init,
        "compute_p50_ms": statistics.median(compute) if compute else None,
        "s3_p50_ms": statistics.median(s3) if s3 else None,
        "peak_mb": peak / 1048576.0 if peak else None,
        "maxrss_mb": max((s["maxrss_kb"] for s in sessions), default=0) / 1024.0,
        "cost": {arch: costs.per_million(prices, mb, pairs, init, arch) for arch in ("x86_64", "arm64")},
        "invocation_list": [{"file": os.path.basename(inv["file"]), "ms": inv["ms"], "s3_ms": inv.get("s3_ms"),
                             "ok": inv["ok"]} for s in sessions for inv in s["invocations"]],
    }


def run_sizes(rig, cg, models, runs, sizes, cold_starts, prices):
    """Sizes outer, models inner: machine noise falls on every model alike."""
    rows = []
    for mb in sizes:
        for model in models:
            sessions, peak, kills = [], 0, 0
            per = max(1, math.ceil(len(runs[model]) / max(1, cold_starts)))
            for k in range(0, len(runs[model]), per):
                g = cg.create(mb)
                try:
                    sessions += rig.run(model, runs[model][k:k + per], g, cgroups.cpus_for(mb))
                    peak = max(peak, g.peak_bytes() or 0)
                    kills += g.oom_kills() or 0
                finally:
                    g.destroy()
            row = summarize(model, mb, sessions, peak, kills, prices, len(runs[model]))
            rows.append(row)
            print("%-16s %5d MB  p50 %8.1f  p95 %8.1f ms  init %7.1f ms  peak %6.1f MB  oom %d  failed %d" % (
                model, mb, row["p50_ms"] or -1, row["p95_ms"] or -1, row["init_ms"] or -1,
                row["peak_mb"] or row["maxrss_mb"], row["oom"], row["failed"]), file=sys.stderr)
    rows.sort(key=lambda r: (models.index(r["model"]), r["memory_mb"]))
    return rows


def oom_check(rig, cg, models, sets, sizes):
    """The smallest size at which each model runs every workload with no OOM and no failure:
    ascending sizes, one process per workload, memory limited (CPU not: memory use does not
    depend on the CPU share, and the check stays quick). @return {model: {...}}."""
    out = {}
    for model in models:
        res = {"smallest_mb": None, "tried": []}
        for mb in sizes:
            step = {"memory_mb": mb, "workloads": {}}
            for name, files in sets[model].items():
                g = cg.create(mb, "oom", cpu_limit=False)
                try:
                    sessions = rig.run(model, files, g, {0})
                    peak, kills = g.peak_bytes() or 0, g.oom_kills() or 0
                finally:
                    g.destroy()
                invs = [i for s in sessions for i in s["invocations"]]
                step["workloads"][name] = {
                    "images": len(files), "failed": sum(1 for i in invs if not i["ok"]) + len(files) - len(invs),
                    "oom": max(kills, sum(1 for s in sessions if s["killed"])), "peak_mb": peak / 1048576.0,
                    "maxrss_mb": max((s["maxrss_kb"] for s in sessions), default=0) / 1024.0}
            res["tried"].append(step)
            print("oom check %-16s %5d MB: %s" % (model, mb, json.dumps(step["workloads"])), file=sys.stderr)
            if all(w["oom"] == 0 and w["failed"] == 0 for w in step["workloads"].values()):
                res["smallest_mb"] = mb
                break
        out[model] = res
    return out


def compare(rows, common, prices, target_ms):
    """thumbkit against the Pillow handlers on the images every compared handler ran (the same
    photos: Pillow reads no HEIC), each at its own cheapest size whose p95 on those images meets
    @p target_ms (no OOM, no failure)."""
    out = {"common_images": sorted(os.path.basename(f) for f in common)}
    names = {os.path.basename(f) for f in common}
    for model in sorted({r["model"] for r in rows}):
        best = None
        for row in sorted((r for r in rows if r["model"] == model), key=lambda r: r["memory_mb"]):
            same = costs.on_images(row, names, prices)
            if same is None or (target_ms is not None and same["p95_ms"] > target_ms):
                continue
            total = same["cost"]["x86_64"]["total"]
            if best is None or total < best["cost"]["x86_64"]["total"]:
                best = dict(same, memory_mb=row["memory_mb"], dominant=costs.dominant(same["cost"]["x86_64"]))
        out[model] = best
    tk, pil = out.get("thumbkit"), out.get("pillow-best")
    if tk and pil:
        out["ratio_x86_64"] = tk["cost"]["x86_64"]["total"] / pil["cost"]["x86_64"]["total"]
        out["ratio_arm64"] = tk["cost"]["arm64"]["total"] / pil["cost"]["arm64"]["total"]
    return out


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    wanted = [m.strip() for m in args.models.split(",") if m.strip()]
    bad = [m for m in wanted if m not in functions.MODELS]
    if bad:
        print("bench/lambda-tuning/run: unknown model %s (models: %s)" % (", ".join(bad), ", ".join(functions.MODELS)),
              file=sys.stderr)
        return 2
    load_start = benchlib.host_info()
    build = build_tree(args)
    bootstrap = benchlib.find_binary(build, "adapter-lambda/bootstrap")
    driver = benchlib.find_binary(build, "bench/tk_bench_run")
    rss_method = benchlib.use_rss_helper(build)
    pillow_py = benchlib.python_with("PIL")
    handler_py = benchlib.python_with("PIL", "boto3")
    notes = []

    # The workloads: this run's, and for the OOM check every named one.
    names = [args.workload]
    if not args.no_oom_check and args.oom_workloads == "all":
        names += [n for n in workloads.NAMES if n != args.workload]
    built, descr = {}, {}
    for n in names:
        try:
            built[n], descr[n] = workloads.build(n, args.corpus, args.cache, pillow_py)
        except (FileNotFoundError, subprocess.CalledProcessError) as e:
            if n == args.workload:
                print("bench/lambda-tuning/run: %s" % e, file=sys.stderr)
                return 2
            notes.append("OOM check without workload %s: %s" % (n, e))
    every = sorted({i.path for items in built.values() for i in items})
    tk_probe, dims = functions.probe_thumbkit(driver, every)
    probes = {"thumbkit": tk_probe, "pillow": functions.probe_pillow(pillow_py, every)}
    heic_note = None
    for n in list(built):
        built[n], st = heic_decision(built[n], probes)
        heic_note = heic_note or st
    items = built[args.workload][:args.max_images] if args.max_images else built[args.workload]

    cg = cgroups.Cgroups(round(args.cfs_period_ms * 1000))
    if not cg.kind:
        print("bench/lambda-tuning/run: cannot emulate Lambda sizes (%s): run as root on a machine with "
              "cgroup cpu and memory controllers" % cg.why, file=sys.stderr)
        return 2
    models = []
    for m in wanted:
        if m == "thumbkit" and not bootstrap:
            notes.append("skipped thumbkit: bootstrap not built")
        elif m != "thumbkit" and not handler_py:
            notes.append("skipped %s: no python3 with Pillow and boto3 (apt-get install python3-pil python3-boto3)" % m)
        else:
            models.append(m)
    runs_files, sel_notes = select(items, probes, models)
    notes += sel_notes
    rounds = args.rounds or max(1, math.ceil(MIN_INVOCATIONS / max(1, len(items))))
    runs = {m: runs_files[m] * rounds for m in models}
    prices = costs.Prices(args.price_gb_s, args.price_gb_s_arm64, args.price_request / 1e6, args.cold_every,
                          args.arm64_time_ratio)
    s3_model = None if args.no_s3_model else {"get_latency_ms": args.s3_get_latency_ms,
                                              "put_latency_ms": args.s3_put_latency_ms, "mbps": args.s3_mbps}

    calibration = []
    if args.calibrate_seconds > 0:
        calibration = cgroups.calibrate(cg, sizes, args.calibrate_seconds)
        for c in calibration:
            print("calibration %5d MB: target %.3f measured %.3f (%+.1f %%) %s" % (
                c["memory_mb"], c["target"], c["measured"], c["error"] * 100, "ok" if c["ok"] else "OUTSIDE 5 %"),
                file=sys.stderr)

    tmp = tempfile.mkdtemp(prefix="tk-lambda-")
    all_files = sorted({f for fs in runs_files.values() for f in fs} |
                       {i.path for its in built.values() for i in its})
    rig = functions.Rig(bootstrap, handler_py, all_files, s3_model, tmp)
    try:
        rows = run_sizes(rig, cg, models, runs, sizes, args.cold_starts, prices)
        oom = None
        if not args.no_oom_check:
            oom_sizes = [int(s) for s in (args.oom_sizes or args.sizes).split(",") if s.strip()]
            oom_sets = dict(built, **{args.workload: items})
            sets = {m: {n: select(its, probes, [m])[0][m] for n, its in oom_sets.items()} for m in models}
            oom = oom_check(rig, cg, models, sets, sorted(oom_sizes))
        proxy = rig.proxy_stats() if s3_model else None
    finally:
        rig.close()
        shutil.rmtree(tmp, ignore_errors=True)

    rec = costs.recommend(rows, args.p95_target)
    common = set(runs_files.get("thumbkit", [])) & set(runs_files.get("pillow-best", runs_files.get("thumbkit", [])))
    stamp = benchlib.stamp()
    cmd = "bench/lambda-tuning/run " + " ".join(argv if argv is not None else sys.argv[1:])
    rep = {"date": stamp["date"], "commit": stamp["commit"], "command": cmd.strip(), "mode": "cgroup " + cg.kind,
           "cfs_period_ms": cg.period_us / 1000.0,
           "host_start": load_start, "host_end": benchlib.host_info(),
           "workload": {"name": args.workload, "description": descr.get(args.workload, ""),
                        "items": [dict(i.as_dict(), pixels=dims.get(i.path)) for i in items], "rounds": rounds,
                        "heic": heic_note},
           "models": models, "sizes": sizes, "cold_starts": args.cold_starts, "p95_target_ms": args.p95_target,
           "s3_model": s3_model, "s3_model_stats": proxy, "prices": prices.as_dict(),
           "calibration": calibration, "calibration_tolerance": cgroups.TOLERANCE,
           "rows": rows, "recommend": rec, "recommend_arm64": costs.recommend(rows, args.p95_target, "arm64"),
           "compare": compare(rows, common, prices, args.p95_target), "oom_check": oom,
           "oom_workloads": {n: len(v) for n, v in dict(built, **{args.workload: items}).items()}, "rss_method": rss_method, "notes": notes}
    rep["readme_rows"] = report.readme_rows(rep)
    prefix = args.out or os.path.join(REPO, "bench", "results", "lambda-%s-%s" % (
        args.workload if args.workload in workloads.NAMES else "folder", stamp["tag"]))
    os.makedirs(os.path.dirname(os.path.abspath(prefix)), exist_ok=True)
    with open(prefix + ".json", "w") as fh:
        json.dump(rep, fh, indent=1)
    chart = ""
    if not args.no_chart and rows:
        chart = report.chart(prefix + ".json", prefix + ".png")
        if chart:
            notes.append(chart)
    md = report.render(rep, os.path.basename(prefix) + ".png" if os.path.exists(prefix + ".png") else None)
    with open(prefix + ".md", "w") as fh:
        fh.write(md)
    print(md)
    print("wrote %s.{json,md%s}" % (prefix, ",png" if os.path.exists(prefix + ".png") else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
