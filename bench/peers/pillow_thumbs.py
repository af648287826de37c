"""The textbook Pillow thumbnailer for bench/peers/run and bench/lambda-tuning/run.

One process for the whole list; per image: open, Image.thumbnail() (which uses JPEG draft
mode, i.e. DCT shrink-on-load, and its default BICUBIC filter with reducing_gap=2.0),
ImageOps.exif_transpose(), save as JPEG. Prints one JSON line per image.
usage: pillow_thumbs.py OUTDIR SIZE QUALITY FILE...   (OUTDIR "-" keeps the bytes in memory)
       pillow_thumbs.py --stdin OUTDIR SIZE QUALITY   (file names on standard input, one a line)
"""
import io
import json
import os
import resource
import sys
import time

t_start = time.perf_counter()
try:
    from PIL import Image, ImageOps
except ImportError as e:  # not installed: the caller skips this peer
    print(json.dumps({"event": "missing", "error": str(e)}), flush=True)
    sys.exit(3)


def maxrss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def one(path, outdir, box, quality):
    t0, c0 = time.perf_counter(), time.process_time()
    status = "ok"
    try:
        with Image.open(path) as im:
            im.thumbnail((box, box))
            im = ImageOps.exif_transpose(im)
            if im.mode not in ("RGB", "L"):
                im = im.convert("RGB")
            if outdir == "-":
                im.save(io.BytesIO(), "JPEG", quality=quality)
            else:
                stem = os.path.splitext(os.path.basename(path))[0]
                im.save(os.path.join(outdir, stem + ".jpg"), "JPEG", quality=quality)
    except Exception as e:  # noqa: BLE001 - a peer's failure is reported, not raised
        status = "error: %s" % e
    ms = (time.perf_counter() - t0) * 1e3
    cpu = (time.process_time() - c0) * 1e3
    print(json.dumps({"file": path, "status": status, "ms": ms, "cpu_ms": cpu, "maxrss_kb": maxrss_kb()}),
          flush=True)
    return status == "ok"


def main(argv):
    use_stdin = argv[:1] == ["--stdin"]
    if use_stdin:
        argv = argv[1:]
    outdir, box, quality, files = argv[0], int(argv[1]), int(argv[2]), argv[3:]
    import PIL
    print(json.dumps({"event": "ready", "pillow": PIL.__version__,
                      "init_ms": (time.perf_counter() - t_start) * 1e3, "maxrss_kb": maxrss_kb()}),
          flush=True)
    failed = 0
    for f in files:
        failed += not one(f, outdir, box, quality)
    if use_stdin:
        for line in sys.stdin:
            line = line.strip()
            if line:
                failed += not one(line, outdir, box, quality)
    print(json.dumps({"event": "done", "failed": failed, "maxrss_kb": maxrss_kb()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
