"""bench/run — build and run the micro-benchmarks, keep the JSON, print the headline.

1. Configures and builds a Release tree with TK_BUILD_BENCH=ON (default build-bench/).
2. Runs build-bench/bench/tk_bench pinned to one core: every case (or --filter), Google
   Benchmark repetitions, medians kept; the JSON goes to bench/results/<date>-<commit>.json
   together with the run's metadata.
3. Headline, measured side by side in alternating rounds: RGB 4928x3279 -> 852x567 Lanczos3
   per ISA, memcpy of the same source, and Pillow's Image.resize of the same geometry
   (Debian python3-pil; skipped with a note when missing). Ratios against the goals.
4. A Markdown summary (.md) and a chart (.png, matplotlib) beside the JSON.

Compare two runs: bench/run --compare OLD.json [NEW.json]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import benchlib  # noqa: E402

GEOM = (4928, 3279, 852, 567)
HEAD_RE = r"^(memcpy/rgb/4928x3279|resample/(scalar|sse41|avx2|avx512)/lanczos3/rgb/4928x3279/852x567)$"
GOAL_PILLOW = 12.0
GOAL_MEMCPY = 3.0


def build(build_dir, jobs):
    fresh = not os.path.exists(os.path.join(build_dir, "CMakeCache.txt"))
    cfg = ["cmake", "-S", REPO, "-B", build_dir, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release", "-DTK_BUILD_BENCH=ON"]
    if fresh:
        cfg.append("-DTK_BUILD_TESTS=OFF")
    subprocess.run(cfg, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build_dir, "-j", str(jobs)], check=True, stdout=subprocess.DEVNULL)


def gb_run(exe, pin, extra, out_json):
    argv = pin + [exe, "--benchmark_out=" + out_json, "--benchmark_out_format=json",
                  "--benchmark_format=console"] + extra
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    with open(out_json) as fh:
        return json.load(fh), p.stdout.decode("utf-8", "replace")


def medians(gb):
    """{name: {"real_ms", "cpu_ms", "label", "error"}} from a Google Benchmark JSON (median aggregate,
    else the mean of the plain runs)."""
    acc = {}
    for b in gb.get("benchmarks", []):
        name = b.get("run_name") or b["name"]
        unit = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
        if b.get("error_occurred"):
            acc[name] = {"error": b.get("error_message", "error")}
            continue
        e = acc.setdefault(name, {"runs": []})
        if b.get("aggregate_name") == "median":
            e["median"] = (b["real_time"] * unit, b["cpu_time"] * unit)
        elif b.get("run_type", "iteration") == "iteration":
            e["runs"].append((b["real_time"] * unit, b["cpu_time"] * unit))
        if b.get("label"):
            e["label"] = b["label"]
    out = {}
    for name, e in acc.items():
        if "error" in e:
            out[name] = {"error": e["error"]}
            continue
        if "median" in e:
            r, c = e["median"]
        elif e["runs"]:
            r = statistics.median(x[0] for x in e["runs"])
            c = statistics.median(x[1] for x in e["runs"])
        else:
            continue
        out[name] = {"real_ms": r, "cpu_ms": c, "label": e.get("label", "")}
    return out


def headline(exe, pin, rounds, min_time, tmp):
    """Alternating rounds: thumbkit cases then Pillow, so both see the same machine load."""
    py = benchlib.python_with("PIL")
    times = {}
    pillow_version, note = None, ""
    for r in range(rounds):
        gb, _ = gb_run(exe, pin, ["--benchmark_filter=" + HEAD_RE, "--benchmark_min_time=%g" % min_time],
                       os.path.join(tmp, "head-%d.json" % r))
        for name, m in medians(gb).items():
            if "cpu_ms" in m:
                times.setdefault(name, []).append(m["cpu_ms"])
        if py:
            out = benchlib.capture(pin + [py, os.path.join(BENCH, "pillow_resize.py")] + [str(x) for x in GEOM]
                                   + ["rgb", "3"], timeout=600)
            try:
                res = json.loads(out.strip().splitlines()[-1])
                pillow_version = res["pillow"]
                times.setdefault("Pillow %s resize LANCZOS" % pillow_version, []).append(statistics.median(res["ms"]))
            except (ValueError, IndexError, KeyError):
                note = "Pillow resize failed: " + out[-200:]
        else:
            note = "Pillow not installed (apt-get install python3-pil): no Pillow ratio"
    rows = [{"name": n, "ms": statistics.median(v), "rounds": v} for n, v in times.items()]
    order = ["memcpy", "resample/avx512", "resample/avx2", "resample/sse41", "resample/scalar", "Pillow"]
    rows.sort(key=lambda r: next((i for i, p in enumerate(order) if r["name"].startswith(p)), 99))
    return rows, note


def summary_md(res):
    L = []
    m = res["meta"]
    L.append("### Micro-benchmarks — %s, commit %s" % (m["date"], m["commit"]))
    L.append("")
    L.append("`%s`; %s; pinned `%s`; Google Benchmark %s; medians of CPU time (Pillow: CPU time of its thread), so other load on the core costs wall time, not these numbers." % (
        m["command"], m["host"], m["pinned"] or "no", m["gb_note"]))
    L.append("")
    head = res["headline"]
    if head["rows"]:
        L.append("#### Headline: RGB 4928×3279 → 852×567 Lanczos3, one core (%d alternating rounds)" % head["rounds"])
        L.append("")
        L.append("| case | ms (median) | ÷ memcpy | Pillow ÷ this |")
        L.append("|---|---:|---:|---:|")
        mc = next((r["ms"] for r in head["rows"] if r["name"].startswith("memcpy")), None)
        pil = next((r["ms"] for r in head["rows"] if r["name"].startswith("Pillow")), None)
        for r in head["rows"]:
            L.append("| %s | %.2f | %s | %s |" % (r["name"], r["ms"], "%.1f×" % (r["ms"] / mc) if mc else "—",
                                                 "%.1f×" % (pil / r["ms"]) if pil else "—"))
        L.append("")
        for g in head["goals"]:
            L.append("- %s" % g)
        if head["note"]:
            L.append("- " + head["note"])
        L.append("")
    med = res["medians"]

    def table(title, pattern, key=lambda n: n):
        names = sorted((n for n in med if re.search(pattern, n)), key=key)
        if not names:
            return
        L.append("#### " + title)
        L.append("")
        L.append("| case | ms | MPix/s (source) | note |")
        L.append("|---|---:|---:|---|")
        for n in names:
            e = med[n]
            if "error" in e:
                L.append("| %s | — | — | skipped: %s |" % (n, e["error"]))
                continue
            mp = res["pixels"].get(n)
            L.append("| %s | %.3f | %s | %s |" % (n, e["cpu_ms"], "%.0f" % (mp / e["cpu_ms"] / 1e3) if mp else "—",
                                                e.get("label", "")))
        L.append("")

    table("Resampler, Lanczos3, every ISA and layout", r"^(resample/[^/]+/lanczos3/|memcpy/)")
    table("Resampler, every filter (AVX2)", r"^resample/avx2/")
    table("Plan (weights) alone", r"^plan/")
    table("JPEG decode per DCT scale (libjpeg-turbo)", r"^decode/")
    table("Decode options, same photos: ISLOW (default) vs IFAST IDCT vs plain chroma upsampling",
          r"^decode(-[a-z+]+)?/(Landscape_1|exif-samples__canon|sharp__2569)[^/]*/1:[124]$",
          key=lambda n: (n.split("/")[1], n.split("/")[2], n.split("/")[0]))
    table("Encode", r"^encode/")
    table("Whole pipeline, tk_thumbnail() per corpus image (256 px JPEG q85)", r"^pipeline")
    reduced_md(med, L)
    return "\n".join(L) + "\n"


def reduced_md(med, L):
    """The fast decoder against libjpeg-turbo at 1/8, 1/4 and 1/2, one row per photo, scale and variant."""
    rows = {}
    for n, e in med.items():
        parts = n.split("/")
        if parts[0] == "reduced" and len(parts) == 5 and "error" not in e:
            rows.setdefault((parts[1], parts[2], parts[3]), {})[parts[4]] = e["cpu_ms"]
    if not rows:
        return
    L.append("#### Reduced-scale decode: the fast decoder vs libjpeg-turbo (reduced/...)")
    L.append("")
    L.append("Each photo as stored and losslessly re-coded as progressive, CPU ms per decode. At 1/2 the "
             "stored files are timed on libjpeg-turbo only (baseline files are not eligible for the fast "
             "decoder there).")
    L.append("")
    L.append("| scale | photo | variant | libjpeg-turbo ms | fast ms | libjpeg ÷ fast |")
    L.append("|---|---|---|---:|---:|---:|")
    order = {"1:8": 0, "1:4": 1, "1:2": 2}
    for (scale, photo, variant), r in sorted(rows.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0][1:])):
        lj, fa = r.get("libjpeg"), r.get("fast")
        L.append("| 1/%s | %s | %s | %s | %s | %s |" % (scale[2:], photo, variant, "%.2f" % lj if lj else "—",
                                                      "%.2f" % fa if fa else "—",
                                                      "%.1f×" % (lj / fa) if lj and fa else "—"))
    L.append("")


def compare(old_path, new_path):
    with open(old_path) as fh:
        old = json.load(fh)
    with open(new_path) as fh:
        new = json.load(fh)
    mo, mn = old["medians"], new["medians"]
    print("%-70s %10s %10s %8s" % ("case", "old ms", "new ms", "new/old"))
    for n in sorted(set(mo) & set(mn)):
        if "cpu_ms" in mo[n] and "cpu_ms" in mn[n]:
            print("%-70s %10.3f %10.3f %7.2f×" % (n[:70], mo[n]["cpu_ms"], mn[n]["cpu_ms"], mn[n]["cpu_ms"] / mo[n]["cpu_ms"]))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build-bench"))
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--filter", default=None, help="Google Benchmark regex (default: every case)")
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--min-time", type=float, default=0.2, help="seconds per repetition")
    ap.add_argument("--rounds", type=int, default=5, help="headline rounds (0: none)")
    ap.add_argument("--data", default=None, help="data folder for the file cases (default: tests/data)")
    ap.add_argument("--big-jpeg", default=None, help="extra JPEG for decode/pipeline cases")
    ap.add_argument("--out", default=None, help="result prefix (default bench/results/DATE-COMMIT)")
    ap.add_argument("--cpu", default="0", help="core to pin to with taskset ('' for none)")
    ap.add_argument("--nice", type=int, default=0, help="run the measured commands at this nice value (e.g. -10 as root)")
    ap.add_argument("--compare", nargs="+", metavar="JSON", help="compare OLD.json with NEW.json (or the latest)")
    args = ap.parse_args(argv)

    if args.compare:
        if len(args.compare) == 1:
            # the latest run of this checkout (bench/results/ is not in git)
            res_dir = os.path.join(BENCH, "results")
            latest = sorted(f for f in os.listdir(res_dir) if re.match(r"^\d{4}-.*\.json$", f)) \
                if os.path.isdir(res_dir) else []
            if not latest:
                print("bench/run --compare: no run in %s yet; name NEW.json" % res_dir, file=sys.stderr)
                return 2
            args.compare.append(os.path.join(res_dir, latest[-1]))
        return compare(args.compare[0], args.compare[1])

    if not args.no_build:
        build(args.build, os.cpu_count() or 2)
    exe = os.path.join(args.build, "bench", "tk_bench")
    if not os.access(exe, os.X_OK):
        print("bench/run: %s not built (needs libbenchmark-dev)" % exe, file=sys.stderr)
        return 2
    pin = benchlib.pin_prefix(args.cpu, args.nice)
    stamp = benchlib.stamp()
    out_prefix = args.out or os.path.join(BENCH, "results", stamp["tag"])
    os.makedirs(os.path.dirname(os.path.abspath(out_prefix)), exist_ok=True)
    extra = ["--benchmark_repetitions=%d" % args.repetitions, "--benchmark_min_time=%g" % args.min_time]
    if args.repetitions > 1:
        extra.append("--benchmark_report_aggregates_only=true")
    if args.filter:
        extra.append("--benchmark_filter=" + args.filter)
    if args.data:
        extra.append("--tk_data=" + args.data)
    if args.big_jpeg:
        extra.append("--tk_big_jpeg=" + args.big_jpeg)

    with tempfile.TemporaryDirectory(prefix="tk-bench-") as tmp:
        gb, console = gb_run(exe, pin, extra, os.path.join(tmp, "all.json"))
        sys.stderr.write(console)
        rows, note = headline(exe, pin, args.rounds, 0.3, tmp) if args.rounds > 0 else ([], "")

    # source pixels per case, for MPix/s in the summary (the items counter)
    pixels = {}
    for b in gb.get("benchmarks", []):
        name = b.get("run_name") or b["name"]
        if "items_per_second" in b and b.get("aggregate_name") in (None, "median"):
            unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
            pixels[name] = b["items_per_second"] * b["cpu_time"] * unit
    goals = []
    mc = next((r["ms"] for r in rows if r["name"].startswith("memcpy")), None)
    pil = next((r["ms"] for r in rows if r["name"].startswith("Pillow")), None)
    best = min((r for r in rows if r["name"].startswith("resample/")), key=lambda r: r["ms"], default=None)
    if best and pil:
        k = pil / best["ms"]
        goals.append("goal ≥ %.0f× faster than Pillow: %s %.1f× — %s" % (
            GOAL_PILLOW, best["name"].split("/")[1], k, "met" if k >= GOAL_PILLOW else "MISSED (needs %.2f ms, %.1f× faster than now)" % (
                pil / GOAL_PILLOW, best["ms"] / (pil / GOAL_PILLOW))))
    if best and mc:
        k = best["ms"] / mc
        goals.append("goal ≤ %.0f× memcpy: %s %.1f× — %s" % (
            GOAL_MEMCPY, best["name"].split("/")[1], k, "met" if k <= GOAL_MEMCPY else "MISSED (needs %.2f ms, %.1f× faster than now)" % (
                mc * GOAL_MEMCPY, best["ms"] / (mc * GOAL_MEMCPY))))
    cmd = "bench/run " + " ".join(argv if argv is not None else sys.argv[1:])
    res = {
        "meta": {"date": stamp["date"], "commit": stamp["commit"], "command": cmd.strip(), "host": benchlib.host_info(),
                 "pinned": " ".join(pin), "gb_note": "%s (Debian's libbenchmark warns it was built as DEBUG: that is"
                 " the harness library only)" % gb.get("context", {}).get("library_build_type", "?"),
                 "context": gb.get("context", {})},
        "headline": {"rows": rows, "rounds": args.rounds, "goals": goals, "note": note},
        "medians": medians(gb), "pixels": pixels,
        # Google Benchmark's own records, aggregates only (or the runs when there is one repetition)
        "google_benchmark": {"context": gb.get("context", {}), "benchmarks": [
            b for b in gb.get("benchmarks", [])
            if args.repetitions <= 1 or b.get("aggregate_name") in ("median", "stddev", "cv")]},
    }
    md = summary_md(res)
    with open(out_prefix + ".json", "w") as fh:
        json.dump(res, fh, separators=(",", ":"))
    with open(out_prefix + ".md", "w") as fh:
        fh.write(md)
    if rows:
        res_for_plot = {"headline": rows, "date": stamp["date"], "commit": stamp["commit"]}
        pj = out_prefix + ".plot.json"
        with open(pj, "w") as fh:
            json.dump(res_for_plot, fh)
        note = benchlib.plot("micro", pj, out_prefix + ".png")
        os.unlink(pj)
        if note:
            print(note)
    print(md)
    print("wrote %s.{json,md%s}" % (out_prefix, ",png" if os.path.exists(out_prefix + ".png") else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
