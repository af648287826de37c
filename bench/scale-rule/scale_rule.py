"""bench/scale-rule/run — which JPEG decode scale to shrink-on-load to, by measurement.

For each box (default 128, 256, 512 px, fit inside, JPEG q85) and each photo of FOLDER:
thumbkit's thumbnail with the decode forced to 1/8, 1/4, 1/2 and 1/1 (tk_bench_run --scale),
with the engine's own rule, and the peers' (vipsthumbnail, sharp, Pillow, as bench/peers/run
runs them). Then PSNR of every thumbnail against the reference of bench/psnr.py (full decode,
EXIF transpose, Lanczos3 in float64 to the thumbnail's own size), and thumbkit's engine time
per image (one run, tk_bench_run's CPU time: indicative, not a benchmark).
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
sys.path.insert(0, BENCH)
sys.path.insert(0, os.path.join(BENCH, "peers"))
import benchlib  # noqa: E402
import peers  # noqa: E402  (the peers' command lines)

SCALES = (8, 4, 2, 1)


def thumbkit_set(driver, files, box, quality, scale, outdir):
    """Run tk_bench_run once over FILES; @return {file: json line}."""
    argv = [driver, "-s", str(box), "-q", str(quality), "-o", outdir]
    if scale:
        argv += ["--scale", str(scale)]
    res = benchlib.run_measured(argv + files)
    return {o["file"]: o for o in benchlib.json_lines(res["stdout"]) if "file" in o}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="bench/scale-rule/run", description=__doc__.split("\n")[0])
    ap.add_argument("folder", help="folder of JPEG photos (e.g. ../shared/corpus/photos)")
    ap.add_argument("--build", default=None, help="build dir with bench/tk_bench_run")
    ap.add_argument("--boxes", default="128,256,512")
    ap.add_argument("--quality", type=int, default=85)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--max-images", type=int, default=0, help="only the first N photos (smoke test)")
    ap.add_argument("--out", default=None, help="report prefix (default bench/results/scale-rule-DATE-COMMIT)")
    args = ap.parse_args(argv)

    build = benchlib.find_build(args.build)
    driver = benchlib.find_binary(build, "bench/tk_bench_run")
    if not driver:
        print("bench/scale-rule/run: bench/tk_bench_run not built (TK_BUILD_BENCH=ON)", file=sys.stderr)
        return 2
    files = [os.path.join(args.folder, f) for f in sorted(os.listdir(args.folder))
             if f.lower().endswith((".jpg", ".jpeg"))]
    if args.max_images:
        files = files[: args.max_images]
    boxes = [int(b) for b in args.boxes.split(",")]
    peer_tools = [] if args.no_peers else [t for t in (peers.Vips(), peers.Sharp(), peers.Pillow()) if t.available()]
    stamp = benchlib.stamp()
    out_prefix = args.out or os.path.join(BENCH, "results", "scale-rule-" + stamp["tag"])
    os.makedirs(os.path.dirname(os.path.abspath(out_prefix)), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="tk-scale-rule-")
    try:
        pairs, runs = {}, {}
        for box in boxes:
            for scale in SCALES + (0,):
                name = "%d/%s" % (box, "rule" if scale == 0 else "1:%d" % scale)
                d = os.path.join(tmp, name.replace("/", "-").replace(":", "_"))
                os.makedirs(d)
                runs[name] = thumbkit_set(driver, files, box, args.quality, scale, d)
                pairs[name] = [[f, os.path.join(d, os.path.basename(f) + ".jpg")] for f in files]
                print("box %d %-5s done" % (box, name.split("/")[1]), file=sys.stderr)
            for t in peer_tools:
                name = "%d/%s" % (box, t.name)
                d = os.path.join(tmp, name.replace("/", "-"))
                os.makedirs(d)
                benchlib.run_measured(t.command(files, d, box, args.quality), env=t.env())
                pairs[name] = [[f, os.path.join(d, t.out_name(f))] for f in files]
                print("box %d %-13s done" % (box, t.name), file=sys.stderr)
        pj = os.path.join(tmp, "pairs.json")
        with open(pj, "w") as fh:
            json.dump(pairs, fh)
        py = benchlib.python_with("PIL", "numpy")
        out = benchlib.capture([py, os.path.join(BENCH, "psnr.py"), pj], timeout=7200) if py else ""
        try:
            psnr = json.loads(out)
        except ValueError:
            print("bench/scale-rule/run: PSNR failed: " + out[-300:], file=sys.stderr)
            return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    report = {"date": stamp["date"], "commit": stamp["commit"], "folder": args.folder, "images": len(files),
              "boxes": boxes, "quality": args.quality, "host": benchlib.host_info(), "psnr": psnr,
              "runs": runs, "peers": [t.name + " " + t.version for t in peer_tools],
              "command": "bench/scale-rule/run " + " ".join(argv if argv is not None else sys.argv[1:])}
    md = render(report)
    with open(out_prefix + ".json", "w") as fh:
        json.dump(report, fh, indent=1)
    with open(out_prefix + ".md", "w") as fh:
        fh.write(md)
    print(md)
    print("wrote %s.{json,md}" % out_prefix)
    return 0


def render(rep):
    L = ["### Shrink-on-load scale, by measurement: %s (%d photos), JPEG q%d" % (
        rep["folder"], rep["images"], rep["quality"]), "",
        "`%s` — %s, commit %s, %s. PSNR dB against the full-decode reference (mean over the photos, "
        "min in brackets); thumbkit ms = CPU time per image (read, thumbnail, write), median of one "
        "run, indicative only (bench/run's reduced/... cases time the decodes properly). "
        "\"rule\" is the engine's own choice; the scales it took are counted after it." % (
            rep["command"], rep["date"], rep["commit"], rep["host"]), ""]
    cols = ["1:%d" % s for s in SCALES] + ["rule"]
    peer_names = [p.split(" ")[0] for p in rep["peers"]]
    L.append("| box | " + " | ".join("thumbkit " + c for c in cols) + "".join(" | " + p for p in peer_names) + " |")
    L.append("|---|" + "---:|" * (len(cols) + len(peer_names)))
    for box in rep["boxes"]:
        cells = []
        for c in cols + peer_names:
            key = "%d/%s" % (box, c)
            p = rep["psnr"].get(key) or {}
            cell = "%.2f (%.2f)" % (p["mean"], p["min"]) if p.get("mean") is not None else "—"
            run = rep["runs"].get(key)
            if run:
                ms = [o["cpu_ms"] for o in run.values() if o.get("status") == "ok"]
                if ms:
                    cell += ", %.1f ms" % statistics.median(ms)
                if c == "rule":
                    taken = {}
                    for o in run.values():
                        taken[o.get("scale")] = taken.get(o.get("scale"), 0) + 1
                    cell += "; " + ", ".join("1:%s ×%d" % (s, n) for s, n in sorted(taken.items(), reverse=True))
            cells.append(cell)
        L.append("| %d | %s |" % (box, " | ".join(cells)))
    L.append("")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    sys.exit(main())
