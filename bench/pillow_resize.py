"""Pillow's resize of the resampler benchmark's geometry, for the side-by-side ratio in bench/run.

usage: pillow_resize.py SRC_W SRC_H DST_W DST_H LAYOUT REPS   (LAYOUT rgb|rgba|gray)
Prints {"pillow": version, "ms": [CPU ms per repetition], "wall_ms": [...]} — Image.resize(LANCZOS)
only (coefficients included, as in thumbkit's case), on a synthetic image of the same size and
layout. CPU time of this thread, like Google Benchmark's cpu_time for the thumbkit cases.
"""
import json
import sys
import time

from PIL import Image

try:
    LANCZOS = Image.Resampling.LANCZOS
except AttributeError:  # Pillow < 9.1
    LANCZOS = Image.LANCZOS


def source(w, h, layout):
    r = Image.linear_gradient("L").resize((w, h))
    g = Image.linear_gradient("L").rotate(90).resize((w, h))
    b = Image.effect_noise((w, h), 24)
    if layout == "gray":
        return b
    bands = [r, g, b] + ([Image.linear_gradient("L").rotate(45).resize((w, h))] if layout == "rgba" else [])
    return Image.merge("RGBA" if layout == "rgba" else "RGB", bands)


def main(argv):
    sw, sh, dw, dh = map(int, argv[:4])
    layout, reps = argv[4], int(argv[5])
    im = source(sw, sh, layout)
    im.resize((dw, dh), LANCZOS)  # warm-up
    ms, wall = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.thread_time()
        im.resize((dw, dh), LANCZOS)
        ms.append((time.thread_time() - c0) * 1e3)
        wall.append((time.perf_counter() - t0) * 1e3)
    import PIL
    print(json.dumps({"pillow": PIL.__version__, "ms": ms, "wall_ms": wall}))


if __name__ == "__main__":
    main(sys.argv[1:])
