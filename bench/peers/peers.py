"""bench/peers/run — thumbkit's CLI and other thumbnailers side by side on one folder of images.

Every tool runs as one process over the whole folder (start-up amortised), pinned to one core
(taskset -c 0) and single-threaded, with the same settings: fit inside SIZE px (default 256),
JPEG quality 85, EXIF-rotated, never upscaled. Rounds are interleaved (tool order rotates each
round) so machine noise falls on every tool alike; we report medians over rounds.

Per tool: batch ms/image (process wall time / images; median over rounds), per-image median
measured inside the process where the tool allows it, peak RSS (ru_maxrss of the process),
and PSNR of each thumbnail against a reference (full decode with Pillow, EXIF transpose, then
Lanczos3 in double precision to the tool's own output size).

Peers that are not installed are skipped with a note. Needs only the Python standard library;
PSNR needs numpy + Pillow, the chart matplotlib (Debian: python3-numpy python3-pil
python3-matplotlib) — without them those parts are skipped, with a note.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import benchlib  # noqa: E402  (bench/benchlib.py)

BIG_SOURCE = "jpeg/sharp__2569067123_aca715a2ee_o.jpg"


# ----------------------------------------------------------------------------- tools

class Tool:
    """One thumbnailer. run() returns {wall_ms, maxrss_kb, per_image_ms, failed, rc}."""

    name = "?"
    version = ""
    note = ""
    inside_timing = False

    def available(self):
        return False

    def command(self, files, outdir, size, quality):
        raise NotImplementedError

    def env(self):
        return None

    def out_name(self, path):
        return os.path.splitext(os.path.basename(path))[0] + ".jpg"

    def run(self, files, outdir, size, quality, pin):
        argv = self.command(files, outdir, size, quality)
        res = benchlib.run_measured(pin + argv, env=self.env())
        per_image = []
        failed = 0
        for obj in benchlib.json_lines(res["stdout"]):
            if "file" in obj and "ms" in obj:
                per_image.append(obj["ms"])
                if obj.get("status") != "ok":
                    failed += 1
        res["per_image_ms"] = per_image if self.inside_timing else []
        res["failed"] = failed
        return res


class Thumbkit(Tool):
    name = "thumbkit"

    def __init__(self, cli, driver):
        self.cli, self.driver = cli, driver

    def available(self):
        if not (self.cli and os.access(self.cli, os.X_OK)):
            self.note = "thumbkit CLI not built (give --thumbkit PATH)"
            return False
        out = benchlib.capture([self.cli, "--version"])
        self.version = out.strip().splitlines()[0] if out.strip() else "?"
        if self.driver and os.access(self.driver, os.X_OK):
            self.inside_timing = True
        else:
            self.note = "per-image timing needs bench/tk_bench_run (TK_BUILD_BENCH=ON)"
        return True

    def command(self, files, outdir, size, quality):
        return [self.cli, "-j", "1", "-s", str(size), "-q", str(quality), "-o", outdir] + files

    def out_name(self, path):
        return os.path.basename(path) + ".jpg"

    def run(self, files, outdir, size, quality, pin):
        res = Tool.run(self, files, outdir, size, quality, pin)
        drv = None
        if self.inside_timing:
            # Same work, same process model, timed per image inside (public API, bench/tk_bench_run.c).
            drv = benchlib.run_measured(pin + [self.driver, "-s", str(size), "-q", str(quality),
                                               "-o", tempfile.mkdtemp(dir=outdir)] + files)
            ok = [o for o in benchlib.json_lines(drv["stdout"]) if "file" in o and o.get("status") == "ok"]
            res["per_image_ms"] = [o["ms"] for o in ok]
            res["stages"] = {k: [o[k] for o in ok] for k in ("engine_ms", "decode_ms", "resample_ms", "encode_ms")}
        for r, what in ((res, "thumbkit"), (drv if self.inside_timing else None, "tk_bench_run")):
            if r and r["rc"] != 0:  # surface sanitizer reports and errors (the smoke test greps them)
                sys.stderr.write("%s exited %d:\n%s\n" % (what, r["rc"], r["stderr"][-3000:]))
        # The CLI reports failures in its exit status only.
        res["failed"] = len(files) - sum(
            os.path.exists(os.path.join(outdir, self.out_name(f))) for f in files)
        return res


class Vips(Tool):
    name = "vipsthumbnail"
    note = "VIPS_CONCURRENCY=1; batch time only (no per-image timing inside)"

    def available(self):
        self.exe = shutil.which("vipsthumbnail")
        if not self.exe:
            self.note = "not installed (apt-get install libvips-tools)"
            return False
        self.version = benchlib.capture([self.exe, "--vips-version"]).strip()
        return True

    def env(self):
        return dict(os.environ, VIPS_CONCURRENCY="1")

    def command(self, files, outdir, size, quality):
        return [self.exe, "-s", str(size), "-o",
                os.path.join(outdir, "%%s.jpg[Q=%d,strip]" % quality)] + files


class Sharp(Tool):
    name = "sharp"
    inside_timing = True

    def available(self):
        self.node = shutil.which("node")
        if not self.node:
            self.note = "node not installed"
            return False
        if not os.path.isdir(os.path.join(HERE, "node_modules", "sharp")):
            self.note = "not installed (npm ci --prefix bench/peers)"
            return False
        out = benchlib.capture([self.node, "-e", "const s=require('sharp');"
                                "console.log('sharp '+s.versions.sharp+' (libvips '+s.versions.vips+')')"],
                               cwd=HERE)
        if not out.startswith("sharp"):
            self.note = "sharp does not load: " + out.strip()[:80]
            return False
        self.version = out.strip()
        self.note = "sharp.concurrency(1), cache off, UV_THREADPOOL_SIZE=1"
        return True

    def env(self):
        return dict(os.environ, UV_THREADPOOL_SIZE="1")

    def command(self, files, outdir, size, quality):
        return [self.node, os.path.join(HERE, "sharp_thumbs.js"), outdir, str(size), str(quality)] + files


class Pillow(Tool):
    name = "Pillow"
    inside_timing = True

    def available(self):
        self.py = benchlib.python_with("PIL")
        if not self.py:
            self.note = "not installed (apt-get install python3-pil)"
            return False
        self.version = "Pillow " + benchlib.capture(
            [self.py, "-c", "import PIL; print(PIL.__version__)"]).strip()
        self.note = "textbook Image.thumbnail (draft + default BICUBIC) + exif_transpose"
        return True

    def command(self, files, outdir, size, quality):
        return [self.py, os.path.join(HERE, "pillow_thumbs.py"), outdir, str(size), str(quality)] + files


class ImageMagick(Tool):
    name = "ImageMagick"
    note = "mogrify -auto-orient -thumbnail (the convert -thumbnail recipe, batched); MAGICK_THREAD_LIMIT=1"

    def available(self):
        magick = shutil.which("magick")
        mogrify = shutil.which("mogrify")
        if magick:
            self.argv0 = [magick, "mogrify"]
        elif mogrify:
            self.argv0 = [mogrify]
        else:
            self.note = "not installed (apt-get install imagemagick)"
            return False
        out = benchlib.capture(self.argv0 + ["-version"])
        if "ImageMagick" not in out:  # e.g. a stand-in script named convert/mogrify
            self.note = "no real ImageMagick found"
            return False
        self.version = out.splitlines()[0].replace("Version: ", "").split(" https")[0]
        return True

    def env(self):
        return dict(os.environ, MAGICK_THREAD_LIMIT="1", OMP_NUM_THREADS="1")

    def command(self, files, outdir, size, quality):
        return self.argv0 + ["-path", outdir, "-format", "jpg", "-auto-orient", "-thumbnail",
                             "%dx%d>" % (size, size), "-quality", str(quality)] + files


# ----------------------------------------------------------------------------- main

def make_big_jpeg(tmp, data_dir, mp=24.0):
    """A ~24 MP JPEG upscaled from a corpus photo (made at run time, never stored)."""
    src = os.path.join(data_dir, BIG_SOURCE)
    if not os.path.exists(src):
        return None, "source photo missing"
    dst = os.path.join(tmp, "big-24mp.jpg")
    py = benchlib.python_with("PIL")
    if py:
        code = ("import sys,math\nfrom PIL import Image\nim=Image.open(sys.argv[1]).convert('RGB')\n"
                "k=math.sqrt(%f*1e6/(im.width*im.height))\n"
                "im=im.resize((round(im.width*k),round(im.height*k)),Image.BICUBIC)\n"
                "im.save(sys.argv[2],'JPEG',quality=90)\nprint(im.width,im.height)\n" % mp)
        out = benchlib.capture([py, "-c", code, src, dst])
        if os.path.exists(dst):
            return dst, "%s px upscaled from %s (Pillow bicubic, q90)" % (
                "x".join(out.split()), os.path.basename(src))
    vips = shutil.which("vips")
    if vips:
        subprocess.run([vips, "resize", src, dst + "[Q=90]", "2.0"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if os.path.exists(dst):
            return dst, "upscaled 2x from %s (vips resize, q90)" % os.path.basename(src)
    return None, "no tool to make it (needs python3-pil or libvips-tools)"


def main(argv=None):
    ap = argparse.ArgumentParser(prog="bench/peers/run", description=__doc__.split("\n")[0])
    ap.add_argument("folder", nargs="?", help="folder of images (default: sample photos in tests/data)")
    ap.add_argument("--data", default=os.path.join(REPO, "tests", "data"), help="tests/data folder")
    ap.add_argument("--build", default=None, help="build dir with adapter-cli/thumbkit and bench/tk_bench_run")
    ap.add_argument("--thumbkit", default=None, help="path of the thumbkit CLI")
    ap.add_argument("--driver", default=None, help="path of bench/tk_bench_run")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--quality", type=int, default=85)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--max-images", type=int, default=0, help="use only the first N images (smoke test)")
    ap.add_argument("--tools", default="thumbkit,vipsthumbnail,sharp,Pillow,ImageMagick")
    ap.add_argument("--no-big", action="store_true", help="skip the 24 MP peak-RSS measure")
    ap.add_argument("--no-psnr", action="store_true")
    ap.add_argument("--no-chart", action="store_true")
    ap.add_argument("--no-stages", action="store_true",
                    help="skip the per-photo stage table (thumbkit's stages beside libjpeg-turbo's 1/8 decode)")
    ap.add_argument("--stage-repeats", type=int, default=5, help="runs per photo for the stage table (fastest)")
    ap.add_argument("--out", default=None, help="report prefix (default bench/results/peers-DATE-COMMIT)")
    ap.add_argument("--cpu", default="0", help="core to pin to with taskset ('' for none)")
    ap.add_argument("--nice", type=int, default=0, help="run the measured commands at this nice value (e.g. -10 as root)")
    args = ap.parse_args(argv)

    build = benchlib.find_build(args.build)
    cli = args.thumbkit or benchlib.find_binary(build, "adapter-cli/thumbkit")
    driver = args.driver or benchlib.find_binary(build, "bench/tk_bench_run")
    pin = benchlib.pin_prefix(args.cpu, args.nice)
    rss_method = benchlib.use_rss_helper(build)

    files, folder_desc = benchlib.select_images(args.folder, args.data, args.max_images)
    if not files:
        print("bench/peers/run: no images found", file=sys.stderr)
        return 2

    wanted = [t.strip().lower() for t in args.tools.split(",") if t.strip()]
    all_tools = [Thumbkit(cli, driver), Vips(), Sharp(), Pillow(), ImageMagick()]
    tools, skipped = [], []
    for t in all_tools:
        if t.name.lower() not in wanted:
            continue
        (tools if t.available() else skipped).append(t)
    for t in skipped:
        print("skip %s: %s" % (t.name, t.note), file=sys.stderr)

    stamp = benchlib.stamp()
    out_prefix = args.out or os.path.join(REPO, "bench", "results", "peers-" + stamp["tag"])
    os.makedirs(os.path.dirname(os.path.abspath(out_prefix)), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="tk-peers-")
    try:
        results = {t.name: {"rounds": [], "cpu_rounds": [], "per_image_ms": [], "maxrss_kb": 0, "failed": 0}
                   for t in tools}
        outdirs = {t.name: os.path.join(tmp, t.name) for t in tools}
        n = len(files)
        for r in range(args.rounds):
            order = tools[r % len(tools):] + tools[: r % len(tools)] if tools else []
            for t in order:
                d = outdirs[t.name]
                shutil.rmtree(d, ignore_errors=True)
                os.makedirs(d)
                res = t.run(files, d, args.size, args.quality, pin)
                R = results[t.name]
                R["rounds"].append(res["wall_ms"] / n)
                R["cpu_rounds"].append((res["user_ms"] + res["sys_ms"]) / n)
                R["per_image_ms"].extend(res["per_image_ms"])
                R["maxrss_kb"] = max(R["maxrss_kb"], res["maxrss_kb"])
                R["failed"] = res["failed"]
                for k, v in res.get("stages", {}).items():
                    R.setdefault("stages", {}).setdefault(k, []).extend(v)
                print("round %d %-13s %8.2f ms/image  cpu %8.2f  rss %6.1f MB  failed %d" % (
                    r + 1, t.name, res["wall_ms"] / n, R["cpu_rounds"][-1], res["maxrss_kb"] / 1024, res["failed"]),
                    file=sys.stderr)

        psnr_note = ""
        if not args.no_psnr and tools:
            py = benchlib.python_with("PIL", "numpy")
            if py:
                pairs = {t.name: [[f, os.path.join(outdirs[t.name], t.out_name(f))] for f in files]
                         for t in tools}
                pj = os.path.join(tmp, "pairs.json")
                with open(pj, "w") as fh:
                    json.dump(pairs, fh)
                # A float64 Lanczos reference per image: minutes for big photos, not seconds.
                out = benchlib.capture([py, os.path.join(os.path.dirname(HERE), "psnr.py"), pj],
                                       timeout=3600)
                try:
                    psnr = json.loads(out)
                except ValueError:
                    psnr = {}
                    psnr_note = "PSNR failed: " + (out[-300:] or "no output (timed out?)")
                for name, v in psnr.items():
                    results[name]["psnr"] = v
            else:
                psnr_note = "PSNR skipped: needs numpy and Pillow (python3-numpy python3-pil)"

        stages = None
        thumbkit_tool = next((t for t in tools if t.name == "thumbkit" and t.inside_timing), None)
        if not args.no_stages and thumbkit_tool:
            stages = stage_table(driver, files, args.size, args.quality, pin, args.stage_repeats)

        big = None
        if not args.no_big and tools:
            big_file, big_desc = make_big_jpeg(tmp, args.data)
            big = {"desc": big_desc, "tools": {}}
            if big_file:
                for t in tools:
                    d = os.path.join(tmp, "big-" + t.name)
                    os.makedirs(d)
                    res = benchlib.run_measured(pin + t.command([big_file], d, args.size, args.quality),
                                                env=t.env())
                    ok = os.path.exists(os.path.join(d, t.out_name(big_file)))
                    big["tools"][t.name] = {"wall_ms": res["wall_ms"], "maxrss_kb": res["maxrss_kb"], "ok": ok}
                    if t.name == "thumbkit" and t.inside_timing:
                        drv = benchlib.run_measured(pin + [driver, "-s", str(args.size), big_file])
                        big["tools"]["thumbkit (tk_bench_run)"] = {
                            "wall_ms": drv["wall_ms"], "maxrss_kb": drv["maxrss_kb"], "ok": drv["rc"] == 0}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # ------------------------------------------------------------------ report
    cmd = "bench/peers/run " + " ".join(argv if argv is not None else sys.argv[1:])
    report = {
        "date": stamp["date"], "commit": stamp["commit"], "command": cmd.strip(),
        "folder": folder_desc, "images": len(files), "size": args.size, "quality": args.quality,
        "rounds": args.rounds, "pinned": " ".join(pin) or "no", "host": benchlib.host_info(),
        "tools": {}, "skipped": {t.name: t.note for t in skipped}, "big": big, "psnr_note": psnr_note,
        "rss_method": rss_method, "stages_per_photo": stages,
    }
    for t in tools:
        R = results[t.name]
        report["tools"][t.name] = {
            "version": t.version, "note": t.note,
            "batch_ms_per_image": statistics.median(R["rounds"]) if R["rounds"] else None,
            "batch_rounds": R["rounds"],
            "cpu_ms_per_image": statistics.median(R["cpu_rounds"]) if R["cpu_rounds"] else None,
            "per_image_median_ms": statistics.median(R["per_image_ms"]) if R["per_image_ms"] else None,
            "per_image_p95_ms": benchlib.percentile(R["per_image_ms"], 95) if R["per_image_ms"] else None,
            "maxrss_kb": R["maxrss_kb"], "failed": R["failed"], "psnr": R.get("psnr"),
            "stages_median_ms": {k: statistics.median(v) for k, v in R.get("stages", {}).items() if v},
        }
    md = render_markdown(report)
    with open(out_prefix + ".json", "w") as fh:
        json.dump(report, fh, indent=2)
    with open(out_prefix + ".md", "w") as fh:
        fh.write(md)
    chart_note = ""
    if not args.no_chart and tools:
        chart_note = benchlib.plot("peers", out_prefix + ".json", out_prefix + ".png")
    print(md)
    if chart_note:
        print(chart_note)
    print("wrote %s.{json,md%s}" % (out_prefix, ",png" if os.path.exists(out_prefix + ".png") else ""))
    return 0


def stage_table(driver, files, size, quality, pin, repeats):
    """thumbkit's stages per photo in CPU time (tk_bench_run --cpu-stages: a busy machine does not
    inflate them), the fastest of REPEATS runs in one process after the rounds, beside libjpeg-turbo's
    own 1/8 decode of the same bytes (--libjpeg-eighth): the floor."""
    res = benchlib.run_measured(pin + [driver, "-s", str(size), "-q", str(quality), "-r", str(repeats),
                                       "--cpu-stages", "--libjpeg-eighth"] + files)
    per = {}
    for o in benchlib.json_lines(res["stdout"]):
        if "file" in o and o.get("status") == "ok":
            per.setdefault(o["file"], []).append(o)
    rows = []
    for f in files:
        runs = per.get(f)
        if not runs:
            continue
        med = lambda k: min(r[k] for r in runs) if all(k in r for r in runs) else None
        decode, entropy = med("decode_ms"), med("entropy_ms")
        fast = runs[0].get("decoder") == "fast"
        resample, encode = med("resample_ms"), med("encode_ms")
        rows.append({
            "file": os.path.basename(f), "src": runs[0]["src"], "scale": runs[0]["scale"],
            "decoder": runs[0].get("decoder"), "entropy_ms": entropy if fast else None,
            "pixels_ms": decode - entropy if fast and decode is not None else decode,
            "decode_ms": decode, "resample_ms": resample, "encode_ms": encode,
            "engine_ms": decode + resample + encode if None not in (decode, resample, encode) else None,
            "libjpeg_eighth_ms": med("libjpeg_eighth_ms"),
        })
    return rows


def stage_md(rows, L):
    if not rows:
        return
    L.append("")
    L.append("#### Where thumbkit's time goes, per photo, beside libjpeg-turbo's own 1/8 decode")
    L.append("")
    L.append("CPU time of each stage (`bench/tk_bench_run --cpu-stages --libjpeg-eighth`: waiting on a busy "
             "machine is not counted), the fastest of repeated runs in one process after the timed rounds, each "
             "figure on its own. Entropy = parsing and entropy decoding in the fast decoder; pixels = IDCT, upsampling and "
             "colour conversion (with libjpeg-turbo as the decoder the two are one number, under pixels). "
             "libjpeg-turbo 1/8 = its scale-1/8 decode of the same bytes, the floor the issue names.")
    L.append("")
    L.append("| photo | pixels | scale | decoder | entropy ms | pixels ms | resample ms | encode ms | all stages ms | libjpeg-turbo 1/8 decode ms | all stages ÷ libjpeg 1/8 |")
    L.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        lj = r["libjpeg_eighth_ms"]
        L.append("| %s | %dx%d | 1/%d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["file"], r["src"][0], r["src"][1], r["scale"], r["decoder"] or "—", fmt(r["entropy_ms"]),
            fmt(r["pixels_ms"]), fmt(r["resample_ms"]), fmt(r["encode_ms"]), fmt(r["engine_ms"]), fmt(lj),
            "%.2f" % (r["engine_ms"] / lj) if lj and r["engine_ms"] else "—"))
    keys = ("entropy_ms", "pixels_ms", "resample_ms", "encode_ms", "engine_ms", "libjpeg_eighth_ms")
    mean = {k: statistics.mean([r[k] for r in rows if r[k] is not None]) for k in keys
            if any(r[k] is not None for r in rows)}
    L.append("| **mean** | | | | %s | %s | %s | %s | %s | %s | %s |" % tuple(
        [fmt(mean.get(k)) for k in keys] +
        ["%.2f" % (mean["engine_ms"] / mean["libjpeg_eighth_ms"]) if mean.get("libjpeg_eighth_ms") else "—"]))
    L.append("")


def fmt(v, spec="%.2f", none="—"):
    return none if v is None else spec % v


def render_markdown(rep):
    L = []
    L.append("### Peers: %s, fit inside %d px, JPEG q%d, EXIF-rotated, one core" % (
        rep["folder"], rep["size"], rep["quality"]))
    L.append("")
    L.append("`%s` — %s, commit %s, %s; pinned: `%s`; %d rounds, medians." % (
        rep["command"], rep["date"], rep["commit"], rep["host"], rep["pinned"], rep["rounds"]))
    L.append("")
    L.append("| tool | version | batch ms/image | CPU ms/image | per-image median ms (p95) | peak RSS MB | PSNR dB mean (min) | failed |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|")
    tk = rep["tools"].get("thumbkit", {})
    for name, t in rep["tools"].items():
        p = t.get("psnr") or {}
        psnr = "%.2f (%.2f)" % (p["mean"], p["min"]) if p.get("mean") is not None else "—"
        per = fmt(t["per_image_median_ms"])
        if t["per_image_p95_ms"] is not None:
            per += " (%.2f)" % t["per_image_p95_ms"]
        L.append("| %s | %s | %s | %s | %s | %.1f | %s | %d |" % (
            name, t["version"], fmt(t["batch_ms_per_image"]), fmt(t.get("cpu_ms_per_image")), per, t["maxrss_kb"] / 1024.0, psnr, t["failed"]))
    L.append("")
    if tk.get("batch_ms_per_image"):
        ratios = []
        for name, t in rep["tools"].items():
            if name == "thumbkit" or not t.get("batch_ms_per_image"):
                continue
            s = "%s %.2f×" % (name, tk["batch_ms_per_image"] / t["batch_ms_per_image"])
            parts = []
            if tk.get("cpu_ms_per_image") and t.get("cpu_ms_per_image"):
                parts.append("CPU %.2f×" % (tk["cpu_ms_per_image"] / t["cpu_ms_per_image"]))
            if tk.get("per_image_median_ms") and t.get("per_image_median_ms"):
                parts.append("per image %.2f×" % (tk["per_image_median_ms"] / t["per_image_median_ms"]))
            ratios.append(s + (" (" + ", ".join(parts) + ")" if parts else ""))
        if ratios:
            L.append("thumbkit time ÷ peer time (batch wall ms/image, in brackets CPU ms/image and in-process per-image median;"
                     " < 1 means thumbkit is faster): " + ", ".join(ratios) + ".")
            L.append("")
    st = tk.get("stages_median_ms") or {}
    if st:
        L.append("thumbkit per image, median of each stage (tk_thumbnail's own timers): " + ", ".join(
            "%s %.2f ms" % (k.replace("_ms", ""), v) for k, v in st.items()) +
            "; the rest of the per-image time is reading the file and writing the thumbnail.")
        L.append("")
    for name, t in rep["tools"].items():
        if t["note"]:
            L.append("- %s: %s" % (name, t["note"]))
    for name, note in rep["skipped"].items():
        L.append("- **skipped %s**: %s" % (name, note))
    L.append("- per-image thumbkit figures come from `bench/tk_bench_run` (same public API as the CLI, timed inside);"
             " batch = process wall time ÷ images, start-up included; CPU = the process's user+sys time ÷ images (robust to other"
             " load on the core)")
    L.append("- peak RSS: " + rep["rss_method"])
    L.append("- PSNR reference: full decode (Pillow, no draft), EXIF transpose, Lanczos3 in float64 to each tool's"
             " own output size; all in sRGB-encoded values")
    if rep["psnr_note"]:
        L.append("- " + rep["psnr_note"])
    stage_md(rep.get("stages_per_photo"), L)
    big = rep.get("big")
    if big:
        L.append("")
        L.append("#### 24 MP JPEG → %d px, one process, peak RSS (%s)" % (rep["size"], big["desc"]))
        L.append("")
        if big["tools"]:
            L.append("| tool | peak RSS MB | wall ms | ok |")
            L.append("|---|---:|---:|---|")
            for name, t in big["tools"].items():
                L.append("| %s | %.1f | %.0f | %s |" % (name, t["maxrss_kb"] / 1024.0, t["wall_ms"],
                                                     "yes" if t["ok"] else "no"))
        L.append("")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    sys.exit(main())
