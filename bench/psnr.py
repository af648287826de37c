"""PSNR of thumbnails against a floating-point reference (bench/peers/run).

Reference for each source image: full decode with Pillow (no draft/DCT scaling), EXIF transpose,
RGB, then a separable Lanczos3 in float64 (support widened by the scale factor when shrinking,
taps clamped at the edges and renormalised, sample centres at (i + 0.5) * scale) straight to
the size of the thumbnail being judged, so each tool is compared at its own rounding of the size.
No quantisation of the reference. Images with alpha are laid over white first (JPEG output).
PSNR over all RGB samples, peak 255.

usage: psnr.py PAIRS.json   with {"tool": [[source, thumbnail], ...], ...}; prints JSON
       {"tool": {"mean": dB, "min": dB, "n": N, "per_image": {"name": dB}}}
"""
import json
import math
import os
import sys

import numpy as np
from PIL import Image, ImageOps

Image.MAX_IMAGE_PIXELS = None


def lanczos3_matrix(src, dst):
    scale = src / dst
    fs = max(scale, 1.0)
    support = 3.0 * fs
    m = np.zeros((dst, src))
    for i in range(dst):
        center = (i + 0.5) * scale
        lo = max(int(math.floor(center - support)), 0)
        hi = min(int(math.ceil(center + support)), src)
        x = (np.arange(lo, hi) + 0.5 - center) / fs
        w = np.where(np.abs(x) < 3.0, np.sinc(x) * np.sinc(x / 3.0), 0.0)
        s = w.sum()
        m[i, lo:hi] = w / s if s != 0 else 0
    return m


def reference(full, w, h):
    wh = lanczos3_matrix(full.shape[0], h)
    ww = lanczos3_matrix(full.shape[1], w)
    tmp = np.tensordot(wh, full, axes=(1, 0))           # h x W x 3
    return np.tensordot(ww, tmp, axes=(1, 1)).transpose(1, 0, 2)  # h x w x 3


def psnr(a, b):
    mse = float(np.mean((a - b) ** 2))
    return 99.0 if mse == 0 else 10.0 * math.log10(255.0 ** 2 / mse)


def main(path):
    with open(path) as fh:
        pairs = json.load(fh)
    by_source = {}
    for tool, lst in pairs.items():
        for src, out in lst:
            by_source.setdefault(src, []).append((tool, out))
    per = {tool: {} for tool in pairs}
    for src, outs in sorted(by_source.items()):
        full = None
        refs = {}
        for tool, out in outs:
            if not os.path.exists(out):
                continue
            try:
                with Image.open(out) as t:
                    thumb = np.asarray(t.convert("RGB"), dtype=np.float64)
            except Exception:  # noqa: BLE001 - an unreadable thumbnail gets no PSNR
                continue
            h, w = thumb.shape[:2]
            if full is None:
                with Image.open(src) as im:
                    im = ImageOps.exif_transpose(im)
                    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
                        # JPEG has no alpha: judge against the image laid over white
                        # (thumbkit's default background; other tools may choose black)
                        im = im.convert("RGBA")
                        im = Image.alpha_composite(Image.new("RGBA", im.size, (255, 255, 255, 255)), im)
                    full = np.asarray(im.convert("RGB"), dtype=np.float64)
            if (w, h) not in refs:
                refs[(w, h)] = reference(full, w, h)
            per[tool][os.path.basename(src)] = psnr(thumb, refs[(w, h)])
    res = {}
    for tool, d in per.items():
        vals = list(d.values())
        res[tool] = {"mean": sum(vals) / len(vals) if vals else None, "min": min(vals) if vals else None,
                     "n": len(vals), "per_image": d}
    print(json.dumps(res))


if __name__ == "__main__":
    main(sys.argv[1])
