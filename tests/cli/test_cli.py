#!/usr/bin/env python3
"""End-to-end tests of the `thumbkit` command on tests/data (stdlib only).

    test_cli.py BINARY DATA_DIR WORK_DIR TEST

Each TEST is one ctest test (see CMakeLists.txt). Expected sizes come from the
image headers (imgmeta.py), never from the engine.
"""
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imgmeta  # noqa: E402

BIN, DATA, WORK = "", "", ""
SKIP = 77  # ctest SKIP_RETURN_CODE
FOLDERS = ("jpeg", "exif-orientation", "pngsuite")
IMAGE_EXTS = (".jpg", ".jpeg", ".png")

# Valid images the engine may refuse as "unsupported" (12-bit, lossless, DNL height).
UNSUPPORTED = {
    "jpeg/libjpeg-turbo__testorig12.jpg",
    "jpeg/libjpeg-turbo__monkey12.jpg",
    "jpeg/sharp__testimgl.jpg",
    "jpeg/metadata-extractor-images__beach.jpg",
}
# Hostile inputs and the failure each must give. PngSuite x*: every one must fail;
# a bad signature is "not_an_image", anything past the signature "corrupt".
HOSTILE = {
    "jpeg/sharp__truncated.jpg": {"corrupt"},
    "jpeg/sharp__corrupt-header.jpg": {"corrupt"},
    "jpeg/sharp__giant-image.jpg": {"too_large"},
}
for _name in sorted(os.listdir(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                            "..", "data", "pngsuite"))):
    if _name.startswith("x") and _name.endswith(".png"):
        HOSTILE["pngsuite/" + _name] = (
            {"not_an_image"} if _name.startswith(("xs", "xcr", "xlf")) else {"corrupt"})


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def run(args, env=None):
    full_env = dict(os.environ)
    full_env.pop("TK_SIMD", None)
    full_env.update(env or {})
    p = subprocess.run([BIN] + args, capture_output=True, text=True, env=full_env, timeout=300)
    return p.returncode, p.stdout, p.stderr


def fresh(name):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def corpus():
    """(relpath, bytes) of every image-extension file under FOLDERS, sorted."""
    out = []
    for folder in FOLDERS:
        for name in sorted(os.listdir(os.path.join(DATA, folder))):
            if name.lower().endswith(IMAGE_EXTS):
                with open(os.path.join(DATA, folder, name), "rb") as f:
                    out.append((folder + "/" + name, f.read()))
    return out


def all_files(root):
    found = []
    for base, _dirs, files in os.walk(root):
        for f in files:
            found.append(os.path.relpath(os.path.join(base, f), root))
    return sorted(found)


def output_size(path):
    with open(path, "rb") as f:
        meta = imgmeta.probe(f.read())
    check(meta is not None, f"{path}: output is neither PNG nor JPEG")
    return meta[0], meta[1], meta[2]


def summary(stdout):
    m = re.search(r"(\d+) files, (\d+) ok, (\d+) failed, (\d+) skipped", stdout)
    check(m is not None, f"no summary line in stdout: {stdout!r}")
    return tuple(int(x) for x in m.groups())


def failures(stderr):
    """{path: status_name} from the 'thumbkit: PATH: NAME: message' lines."""
    out = {}
    for line in stderr.splitlines():
        m = re.match(r"thumbkit: (.+?): ([a-z_]+): .+", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def expect_corpus_outputs(outdir, size_args, fit, fmt_ext, expect_fn, box):
    """Run on the three corpus folders; check every output and every failure."""
    args = [os.path.join(DATA, f) for f in FOLDERS] + size_args + ["-o", outdir]
    if fit:
        args += ["--fit", fit]
    if fmt_ext == "png":
        args += ["-f", "png"]
    rc, out, err = run(args)
    fails = failures(err)
    n_ok = 0
    for rel, data in corpus():
        folder, name = rel.split("/", 1)
        path = os.path.join(DATA, folder, name)
        produced = os.path.join(outdir, name + "." + fmt_ext)
        if rel in HOSTILE or rel in UNSUPPORTED:
            allowed = HOSTILE.get(rel, {"unsupported"})
            check(fails.get(path) in allowed,
                  f"{rel}: expected failure {sorted(allowed)}, got {fails.get(path)!r}")
            check(not os.path.exists(produced), f"{rel}: failed but wrote {produced}")
            continue
        check(path not in fails, f"{rel}: failed: {fails.get(path)}")
        meta = imgmeta.probe(data)
        check(meta is not None, f"{rel}: test cannot read its header")
        w, h = imgmeta.shown_size(meta[1], meta[2], meta[3])
        want = expect_fn(w, h, *box)
        got = output_size(produced)
        check(got == (fmt_ext if fmt_ext == "png" else "jpeg",) + want,
              f"{rel}: stored {meta[1]}x{meta[2]} orientation {meta[3]}: "
              f"got {got}, want {want}")
        n_ok += 1
    n_total = len(corpus())
    check(summary(out)[:3] == (n_total, n_ok, n_total - n_ok),
          f"summary {summary(out)} != ({n_total}, {n_ok}, {n_total - n_ok})")
    check(rc == 1, f"exit status {rc}, expected 1 (some inputs are hostile)")
    check(not [f for f in all_files(outdir) if os.path.basename(f).startswith(".")],
          "temporary files left behind")
    print(f"ok: {n_ok} thumbnails of the right size, {n_total - n_ok} named failures")


def t_valid_inside():
    expect_corpus_outputs(fresh("inside"), ["-s", "64"], None, "jpg", imgmeta.fit_inside,
                          (64, 64))


def t_valid_cover_png():
    expect_corpus_outputs(fresh("cover"), ["-s", "100x50"], "cover", "png", imgmeta.fit_cover,
                          (100, 50))


def t_hostile():
    """Each hostile file alone: exit 1, its named error, and no file at all."""
    for rel, allowed in sorted(HOSTILE.items()):
        outdir = fresh("hostile")
        path = os.path.join(DATA, rel)
        rc, _out, err = run([path, "-o", outdir])
        got = failures(err).get(path)
        check(rc == 1, f"{rel}: exit status {rc}, expected 1")
        check(got in allowed, f"{rel}: reported {got!r}, expected one of {sorted(allowed)}")
        check(all_files(outdir) == [], f"{rel}: wrote {all_files(outdir)}")
    print(f"ok: {len(HOSTILE)} hostile files rejected with their named error, nothing written")


def t_not_image():
    outdir = fresh("notimage")
    src = fresh("notimage-in")
    txt = os.path.join(src, "photo.jpg")
    with open(txt, "w") as f:
        f.write("this is not a picture\n")
    empty = os.path.join(src, "empty.png")
    open(empty, "w").close()
    lic = os.path.join(DATA, "jpeg", "libjpeg-turbo__testimages-LICENSE.txt")
    rc, _out, err = run([txt, empty, lic, "-o", outdir])
    f = failures(err)
    check(rc == 1, f"exit status {rc}")
    for p in (txt, empty, lic):
        check(f.get(p) == "not_an_image", f"{p}: reported {f.get(p)!r}, expected not_an_image")
    check(all_files(outdir) == [], f"wrote {all_files(outdir)}")
    print("ok: non-images given by name fail as not_an_image")


def t_exit_codes():
    good = os.path.join(DATA, "jpeg", "libjpeg-turbo__testorig.jpg")
    bad = os.path.join(DATA, "jpeg", "sharp__truncated.jpg")
    outdir = fresh("exit")
    rc, out, err = run([good, "-o", outdir])
    check(rc == 0, f"all ok: exit {rc}, stderr {err!r}")
    check(summary(out)[:3] == (1, 1, 0), f"summary {out!r}")
    rc, _, _ = run([good, bad, "-o", fresh("exit")])
    check(rc == 1, f"one failure: exit {rc}")
    missing = os.path.join(WORK, "no-such-file.jpg")
    rc, _, err = run([missing, "-o", fresh("exit")])
    check(rc == 1 and failures(err).get(missing) == "io_error", f"missing input: {rc} {err!r}")
    usage_errors = [
        [], [good], ["-o", outdir], [good, "-o", outdir, "-s", "0"],
        [good, "-o", outdir, "-s", "12x"], [good, "-o", outdir, "-s", "-5"],
        [good, "-o", outdir, "-q", "101"], [good, "-o", outdir, "-q", "abc"],
        [good, "-o", outdir, "--fit", "fill"], [good, "-o", outdir, "-f", "gif"],
        [good, "-o", outdir, "--filter", "sinc"], [good, "-o", outdir, "--simd", "altivec"],
        [good, "-o", outdir, "-j", "0"], [good, "-o", outdir, "--bogus"],
        [good, "-o", outdir, "-s", "64", "-s", "64"],
        [good, "-o", outdir] + sum([["-s", str(10 + i)] for i in range(9)], []),
        [good, "-o", outdir, "--max-bytes", "12Q"], [good, "-o"],
    ]
    for args in usage_errors:
        rc, out, err = run(args)
        check(rc == 2, f"{args}: exit {rc}, expected 2 (usage)")
        check(err.startswith("thumbkit: ") and "--help" in err, f"{args}: unclear message {err!r}")
    rc, out, _ = run(["--help"])
    check(rc == 0 and "usage: thumbkit" in out and "--simd" in out, "--help")
    print(f"ok: exit 0/1/2 as documented; {len(usage_errors)} usage errors refused")


def t_collisions():
    src = fresh("coll-in")
    for name in ("a.png", "a.jpg"):
        shutil.copy(os.path.join(DATA, "pngsuite" if name.endswith("png") else "jpeg",
                                 "basn2c08.png" if name.endswith("png")
                                 else "libjpeg-turbo__testorig.jpg"), os.path.join(src, name))
    outdir = fresh("coll")
    rc, _, err = run([src, "-o", outdir])
    check(rc == 0, f"exit {rc}: {err}")
    check(all_files(outdir) == ["a.jpg.jpg", "a.png.jpg"], f"outputs {all_files(outdir)}")
    outdir = fresh("coll-same")
    rc, _, err = run([src, "-f", "same", "-o", outdir])
    check(rc == 0, f"-f same: exit {rc}: {err}")
    check(all_files(outdir) == ["a.jpg.jpg", "a.png.png"], f"-f same: {all_files(outdir)}")
    # Same file name from two folders, as file arguments: refused before any work.
    other = fresh("coll-in2")
    shutil.copy(os.path.join(src, "a.jpg"), os.path.join(other, "a.jpg"))
    outdir = fresh("coll2")
    a, b = os.path.join(src, "a.jpg"), os.path.join(other, "a.jpg")
    rc, _, err = run([a, b, "-o", outdir])
    check(rc == 2, f"same-name files: exit {rc}, expected 2")
    check(a in err and b in err, f"message must name both inputs: {err!r}")
    check(all_files(outdir) == [], f"wrote {all_files(outdir)}")
    # Two folders holding the same relative path collide the same way.
    rc, _, err = run([src, other, "-o", outdir])
    check(rc == 2 and all_files(outdir) == [], f"same relative path: exit {rc}")
    print("ok: a.png + a.jpg coexist; same-name inputs refused with both names")


def t_threads_identical():
    outs = []
    for j in ("1", "2"):
        outdir = fresh("threads-" + j)
        run([os.path.join(DATA, f) for f in FOLDERS] + ["-s", "96", "-s", "40x30",
                                                         "-j", j, "-o", outdir])
        files = all_files(outdir)
        blobs = {}
        for f in files:
            with open(os.path.join(outdir, f), "rb") as fh:
                blobs[f] = fh.read()
        outs.append(blobs)
    check(len(outs[0]) > 100, f"only {len(outs[0])} outputs")
    check(outs[0].keys() == outs[1].keys(), "different output names with -j 1 and -j 2")
    diff = [k for k in outs[0] if outs[0][k] != outs[1][k]]
    check(not diff, f"bytes differ between -j 1 and -j 2: {diff[:5]}")
    print(f"ok: {len(outs[0])} outputs byte-identical with -j 1 and -j 2")


def t_multi_size():
    src = os.path.join(DATA, "exif-orientation", "Portrait_6.jpg")
    outdir = fresh("sizes")
    boxes = [(64, 64), (32, 48), (200, 100)]
    args = [src, "-o", outdir, "-f", "png"]
    for w, h in boxes:
        args += ["-s", f"{w}x{h}" if w != h else str(w)]
    rc, _, err = run(args)
    check(rc == 0, f"exit {rc}: {err}")
    with open(src, "rb") as f:
        meta = imgmeta.probe(f.read())
    w, h = imgmeta.shown_size(meta[1], meta[2], meta[3])
    expected = sorted(f"Portrait_6.jpg.{bw}x{bh}.png" for bw, bh in boxes)
    check(all_files(outdir) == expected, f"outputs {all_files(outdir)}, want {expected}")
    for bw, bh in boxes:
        got = output_size(os.path.join(outdir, f"Portrait_6.jpg.{bw}x{bh}.png"))
        want = ("png",) + imgmeta.fit_inside(w, h, bw, bh)
        check(got == want, f"{bw}x{bh}: got {got}, want {want}")
    print("ok: three sizes from one run, named by box, each the right size")


def t_all_or_nothing():
    """When one output cannot be published, none of that input's outputs remain."""
    src = os.path.join(DATA, "jpeg", "libjpeg-turbo__testorig.jpg")
    outdir = fresh("atomic")
    os.makedirs(os.path.join(outdir, "libjpeg-turbo__testorig.jpg.32x32.jpg"))  # blocks rename
    rc, _, err = run([src, "-s", "64", "-s", "32", "-o", outdir])
    check(rc == 1 and failures(err).get(src) == "io_error", f"exit {rc}: {err!r}")
    check(all_files(outdir) == [], f"left behind: {all_files(outdir)}")
    print("ok: a failed publish leaves neither outputs nor temp files")


def t_jpeg_options():
    """--progressive writes SOF2; -q changes the bytes; --filter changes the pixels."""
    src = os.path.join(DATA, "exif-orientation", "Landscape_1.jpg")
    sizes = {}
    for name, extra in (("base", []), ("prog", ["--progressive"]), ("q30", ["-q", "30"]),
                        ("q95", ["-q", "95"]), ("box", ["--filter", "box"])):
        outdir = fresh("jopt-" + name)
        rc, _, err = run([src, "-s", "200", "-o", outdir] + extra)
        check(rc == 0, f"{name}: exit {rc}: {err}")
        with open(os.path.join(outdir, "Landscape_1.jpg.jpg"), "rb") as f:
            data = f.read()
        meta = imgmeta.probe(data)
        check(meta[:3] == ("jpeg", 200, 133), f"{name}: {meta}")
        check(meta[4]["sof"] == (0xC2 if name == "prog" else 0xC0), f"{name}: SOF {meta[4]}")
        sizes[name] = data
    check(len(sizes["q30"]) < len(sizes["base"]) < len(sizes["q95"]),
          f"quality does not order sizes: {[len(sizes[k]) for k in ('q30', 'base', 'q95')]}")
    check(sizes["box"] != sizes["base"], "--filter box gave the same bytes as lanczos3")
    print("ok: --progressive, -q and --filter reach the encoder")


def t_simd_version():
    flags = open("/proc/cpuinfo").read()
    # x86 flags (avx512 needs all five of its CPU flags, simd/src/cpu.c), or the arm64
    # "Features" line (asimd is NEON).
    isas = ["scalar"] + [i for i, need in (("sse41", ["sse4_1"]), ("avx2", ["avx2"]),
                                           ("avx512", ["avx512f", "avx512bw", "avx512vl",
                                                       "avx512_vnni", "avx512vbmi"]),
                                           ("neon", ["asimd"]))
                         if all(re.search(r"\b" + f + r"\b", flags) for f in need)]
    seen = set()
    for isa in isas:
        # --simd wins over an inherited TK_SIMD.
        rc, out, _ = run(["--simd", isa, "--version"], env={"TK_SIMD": "scalar"})
        check(rc == 0 and re.match(r"thumbkit \d+\.\d+\.\d+ \(simd: " + isa + r"\)$",
                                   out.strip()), f"--simd {isa}: {out!r}")
        seen.add(out)
        rc, out, _ = run(["--simd", isa, os.path.join(DATA, "pngsuite", "basn2c08.png"),
                          "-s", "16", "-o", fresh("simd")])
        check(rc == 0 and f"simd {isa})" in out, f"--simd {isa} batch summary: {out!r}")
    check(len(seen) == len(isas), "--version did not change with --simd")
    print(f"ok: --simd {', '.join(isas)} each reported by --version and the summary")


def t_limits():
    big = os.path.join(DATA, "jpeg", "sharp__2569067123_aca715a2ee_o.jpg")
    outdir = fresh("limits")
    rc, _, err = run([big, "--max-bytes", "1k", "-o", outdir])
    check(rc == 1 and failures(err).get(big) == "too_large" and "max-bytes" in err,
          f"--max-bytes: {rc} {err!r}")
    rc, _, err = run([big, "--max-pixels", "1000000", "-o", outdir])
    check(rc == 1 and failures(err).get(big) == "too_large", f"--max-pixels: {rc} {err!r}")
    rc, _, err = run([big, "--max-pixels", "7000000", "--max-bytes", "2M", "-o", outdir])
    check(rc == 0, f"within limits: {rc} {err!r}")
    print("ok: --max-bytes and --max-pixels refuse with too_large")


def t_walk():
    src = fresh("walk-in")
    os.makedirs(os.path.join(src, "sub", "deeper"))
    shutil.copy(os.path.join(DATA, "pngsuite", "basn2c08.png"), os.path.join(src, "top.PNG"))
    shutil.copy(os.path.join(DATA, "jpeg", "libjpeg-turbo__testorig.jpg"),
                os.path.join(src, "sub", "deeper", "x.jpeg"))
    shutil.copy(os.path.join(DATA, "jpeg", "libjpeg-turbo__testorig.jpg"),
                os.path.join(src, "sub", "no-extension"))
    with open(os.path.join(src, "sub", "notes.txt"), "w") as f:
        f.write("skip me\n")
    with open(os.path.join(src, "sub", "fake.jpg"), "w") as f:
        f.write("not a jpeg\n")
    outdir = os.path.join(src, "thumbs")  # inside the input folder: must not be walked
    for attempt in (1, 2):
        rc, out, err = run([src, "-o", outdir])
        check(rc == 1, f"run {attempt}: exit {rc}")
        check(failures(err) == {os.path.join(src, "sub", "fake.jpg"): "not_an_image"},
              f"run {attempt}: failures {failures(err)}")
        check(summary(out) == (3, 2, 1, 2), f"run {attempt}: summary {summary(out)}")
        check(all_files(outdir) == ["sub/deeper/x.jpeg.jpg", "top.PNG.jpg"],
              f"run {attempt}: outputs {all_files(outdir)}")
    print("ok: folders walked recursively by extension, relative paths kept, -o inside skipped")


def t_progress():
    """Progress bar only when stdout is a terminal; never in redirected output."""
    args = [BIN, os.path.join(DATA, "exif-orientation"), "-o", fresh("progress")]
    rc, out, err = run(args[1:])
    check("\r" not in out + err and "[#" not in err, "progress bar drawn without a terminal")
    try:
        master, slave = pty.openpty()
    except OSError as e:
        print(f"skip: no pseudo-terminal here ({e})")
        sys.exit(SKIP)
    p = subprocess.Popen(args, stdout=slave, stderr=slave, env=os.environ)
    os.close(slave)
    chunks = []
    while True:
        r, _, _ = select.select([master], [], [], 60)
        if not r:
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=60)
    text = b"".join(chunks).decode(errors="replace")
    n = len([f for f in os.listdir(os.path.join(DATA, "exif-orientation")) if f.endswith(".jpg")])
    check(re.search(r"\[#+\] %d/%d" % (n, n), text), f"no progress bar on a terminal: {text!r}")
    check(f"{n} files, {n} ok" in text, f"no summary on a terminal: {text!r}")
    print("ok: progress bar on a terminal only")


def t_first_use():
    """Rough edges a new user met: an empty folder, a missing input, a FIFO, an output folder
    that takes no files, a GIF named explicitly, a box side over the engine's limit."""
    empty = os.path.join(WORK, "empty")
    os.makedirs(empty)
    with open(os.path.join(empty, "notes.txt"), "w") as f:
        f.write("not an image")
    outdir = os.path.join(WORK, "out-empty")
    rc, out, err = run([empty, "-o", outdir])
    check(rc == 3 and "no images in the inputs" in err and "1 other file" in err,
          f"empty folder: exit {rc}, stderr {err!r}")
    check(not os.path.exists(outdir), "empty folder: the output folder was created")
    outdir = os.path.join(WORK, "out-missing")
    rc, _, err = run([os.path.join(WORK, "missing.jpg"), "-o", outdir])
    check(rc == 1 and "No such file" in err, f"missing input: exit {rc}, stderr {err!r}")
    check(not os.path.exists(outdir), "missing input: the output folder was created")
    fifo = os.path.join(WORK, "x.jpg")
    os.mkfifo(fifo)
    t0 = time.monotonic()
    rc, _, err = run([fifo, "-o", os.path.join(WORK, "out-fifo")])  # used to hang in open()
    check(rc == 1 and failures(err).get(fifo) == "io_error" and "not a regular file" in err,
          f"FIFO: exit {rc}, stderr {err!r}")
    check(time.monotonic() - t0 < 30, "FIFO: took too long")
    good = os.path.join(DATA, "jpeg", "libjpeg-turbo__testorig.jpg")
    rc, out, err = run([good, "-o", "/proc/thumbkit-test"])  # no file can be made there
    check(rc == 2 and "cannot write to output folder '/proc/thumbkit-test'" in err
          and "1 files" not in out, f"unwritable output: exit {rc}, {out!r} {err!r}")
    gif = os.path.join(WORK, "photo.gif")
    with open(gif, "wb") as f:
        f.write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    rc, _, err = run([gif, "-o", os.path.join(WORK, "out-gif")])
    check(rc == 1 and "unsupported format: GIF" in err, f"GIF: exit {rc}, stderr {err!r}")
    rc, _, err = run([good, "-o", os.path.join(WORK, "out-side"), "-s", "8193"])
    check(rc == 2 and "1..8192" in err, f"-s 8193: exit {rc}, stderr {err!r}")
    rc, _, err = run([good, "-o", os.path.join(WORK, "out-side"), "-s", "8192"])
    check(rc == 0, f"-s 8192: exit {rc}, stderr {err!r}")
    print("ok: empty folder (exit 3), missing input, FIFO, unwritable output, GIF, side limit")


TESTS = {name[2:]: fn for name, fn in globals().items() if name.startswith("t_")}


def main():
    global BIN, DATA, WORK
    if len(sys.argv) != 5 or sys.argv[4] not in TESTS:
        sys.exit(f"usage: {sys.argv[0]} BINARY DATA_DIR WORK_DIR {{{'|'.join(TESTS)}}}")
    BIN, DATA, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
    WORK = os.path.join(WORK, sys.argv[4])
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    try:
        TESTS[sys.argv[4]]()
    except Failure as e:
        print(f"FAIL: {e}")
        sys.exit(1)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
