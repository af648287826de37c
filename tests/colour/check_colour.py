#!/usr/bin/python3
"""Colour accuracy of thumbkit's thumbnails against an independent reference (ctest colour.*).

Reference: the source decoded at full size (Pillow for JPEG and WebP, libvips for HEIC and
AVIF), converted to sRGB with LittleCMS (Pillow's ImageCms: relative colorimetric with black
point compensation, as thumbkit), then resized with Lanczos (Pillow) to the thumbnail's size.
thumbkit: the PNG thumbnail (exactly the pixels before encoding) and the JPEG q85 one.
Metric: mean CIEDE2000 over all pixels (sRGB -> CIELAB, D65).

  check_colour.py THUMBKIT_CLI DATA_DIR accuracy   # Adobe RGB and Display P3: <= 1.0 / <= 2.0
  check_colour.py THUMBKIT_CLI DATA_DIR corpus     # every heic/avif/webp/icc input: size,
                                                   # orientation and colours (<= 2.0 / <= 3.0)
Exit 77 (skipped) when numpy, Pillow or vips is missing.
"""
import io
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from PIL import Image, ImageCms
except ImportError as e:  # pragma: no cover - the CI machine has both (scripts/install-deps)
    print(f"skipped: {e}")
    sys.exit(77)

BOX = 256
ACCURACY = [  # (input, max mean dE on pixels, max mean dE on the q85 JPEG)
    ("icc/metadata-extractor-images__Canon_EOS_7D.jpg", 1.0, 2.0),  # Adobe RGB (1998)
    ("heic/metadata-extractor-images__IMG_1034.heic", 1.0, 2.0),  # Display P3
]
CORPUS_DIRS = ["heic", "avif", "webp", "icc"]
# Looser for the corpus, whose job is size, orientation and "was the profile used": a
# missing conversion costs 3-6 on these photos, a mirrored picture 10 and more. The JPEG
# bound leaves room for q85 on detailed pictures (a tree's leaves: 3.1).
CORPUS_LIMITS = (1.5, 4.0)
INTENT_RELATIVE, FLAG_BPC = 1, 0x2000


def srgb_to_lab(rgb):
    c = rgb.astype(np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124564, 0.3575761, 0.1804375],
                  [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)


def ciede2000(lab1, lab2):
    """Mean CIEDE2000 (Sharma, Wu, Dalal 2005) of two CIELAB arrays."""
    L1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    L2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]
    C1, C2 = np.hypot(a1, b1), np.hypot(a2, b2)
    Cm = (C1 + C2) / 2
    G = 0.5 * (1 - np.sqrt(Cm ** 7 / (Cm ** 7 + 25.0 ** 7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    C1p, C2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dLp, dCp = L2 - L1, C2p - C1p
    dhp = h2p - h1p
    dhp = np.where(dhp > 180, dhp - 360, np.where(dhp < -180, dhp + 360, dhp))
    dhp = np.where(C1p * C2p == 0, 0, dhp)
    dHp = 2 * np.sqrt(C1p * C2p) * np.sin(np.radians(dhp / 2))
    Lpm, Cpm = (L1 + L2) / 2, (C1p + C2p) / 2
    hsum = h1p + h2p
    hpm = np.where(np.abs(h1p - h2p) > 180,
                   np.where(hsum < 360, (hsum + 360) / 2, (hsum - 360) / 2), hsum / 2)
    hpm = np.where(C1p * C2p == 0, hsum, hpm)
    T = (1 - 0.17 * np.cos(np.radians(hpm - 30)) + 0.24 * np.cos(np.radians(2 * hpm))
         + 0.32 * np.cos(np.radians(3 * hpm + 6)) - 0.20 * np.cos(np.radians(4 * hpm - 63)))
    dtheta = 30 * np.exp(-(((hpm - 275) / 25) ** 2))
    Rc = 2 * np.sqrt(Cpm ** 7 / (Cpm ** 7 + 25.0 ** 7))
    Sl = 1 + 0.015 * (Lpm - 50) ** 2 / np.sqrt(20 + (Lpm - 50) ** 2)
    Sc, Sh = 1 + 0.045 * Cpm, 1 + 0.015 * Cpm * T
    Rt = -np.sin(np.radians(2 * dtheta)) * Rc
    de = np.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2
                 + Rt * (dCp / Sc) * (dHp / Sh))
    return float(de.mean())


def self_test():
    """Two pairs from Sharma et al.'s table: the formula must reproduce them."""
    pairs = [((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
             ((50.0, -1.3802, -84.2814), (50.0, 0.0, -82.7485), 1.0000)]
    for p, q, want in pairs:
        got = ciede2000(np.array([p]), np.array([q]))
        assert abs(got - want) < 1e-3, (p, q, got, want)


def exif_transpose(im):
    from PIL import ImageOps
    return ImageOps.exif_transpose(im)


def reference_full(path, tmp):
    """The source at full size, upright, as RGB(A) with its ICC profile (or None)."""
    if path.endswith((".heic", ".avif")):
        vips = shutil.which("vips")
        if vips is None:
            print("skipped: vips (libvips-tools) not found")
            sys.exit(77)
        png = os.path.join(tmp, "ref.png")
        subprocess.run([vips, "copy", path, png], check=True)  # libheif applies irot/imir
        im = Image.open(png)
    else:
        im = Image.open(path)
        im.seek(0)  # an animation's first frame
        im = exif_transpose(im)
    icc = im.info.get("icc_profile")
    return im, icc


def to_srgb(im, icc):
    alpha = im.getchannel("A") if im.mode in ("RGBA", "LA") else None
    mode = "CMYK" if im.mode == "CMYK" else ("L" if im.mode in ("L", "LA") else "RGB")
    base = im.convert(mode) if im.mode != mode else im
    if icc:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        desc = ImageCms.getProfileDescription(src).strip()
        if "sRGB" not in desc or mode == "CMYK":
            dst = ImageCms.createProfile("sRGB")
            out_mode = "L" if mode == "L" else "RGB"
            if mode == "L":
                base = base.convert("RGB")
                base = ImageCms.profileToProfile(base, ImageCms.createProfile("sRGB"), dst,
                                                 renderingIntent=INTENT_RELATIVE, flags=FLAG_BPC)
            else:
                base = ImageCms.profileToProfile(base, src, dst, renderingIntent=INTENT_RELATIVE,
                                                 outputMode=out_mode, flags=FLAG_BPC)
    base = base.convert("RGB")
    if alpha is not None:
        base.putalpha(alpha)
    return base


def flatten(a):
    """RGBA over white (as thumbkit writes JPEG), as float RGB."""
    if a.shape[-1] == 4:
        al = a[..., 3:4].astype(np.float64) / 255
        return a[..., :3] * al + 255 * (1 - al)
    return a[..., :3].astype(np.float64)


def thumbkit(cli, path, fmt, tmp, extra=()):
    out = os.path.join(tmp, fmt)
    os.makedirs(out, exist_ok=True)
    subprocess.run([cli, "-s", str(BOX), "-f", fmt, "-j", "1", *extra, "-o", out, path],
                   check=True, stdout=subprocess.DEVNULL)
    (name,) = os.listdir(out)
    im = Image.open(os.path.join(out, name))
    im.load()
    os.remove(os.path.join(out, name))
    return im


def measure(cli, path, tmp, extra=()):
    ours_png = thumbkit(cli, path, "png", tmp, extra)
    ours_jpg = thumbkit(cli, path, "jpeg", tmp, extra)
    full, icc = reference_full(path, tmp)
    ref = to_srgb(full, icc)
    w, h = ours_png.size
    expect_w = round(ref.width * min(BOX / ref.width, BOX / ref.height, 1))
    expect_h = round(ref.height * min(BOX / ref.width, BOX / ref.height, 1))
    size_ok = abs(w - expect_w) <= 1 and abs(h - expect_h) <= 1
    ref = ref.resize((w, h), Image.LANCZOS)
    r = flatten(np.asarray(ref.convert("RGBA" if ref.mode == "RGBA" else "RGB")))
    p = flatten(np.asarray(ours_png.convert("RGBA" if ours_png.mode in ("RGBA", "LA") else "RGB")))
    j = np.asarray(ours_jpg.convert("RGB")).astype(np.float64)
    de_px = ciede2000(srgb_to_lab(p), srgb_to_lab(r))
    de_jpg = ciede2000(srgb_to_lab(j), srgb_to_lab(r))
    return (w, h), (expect_w, expect_h), size_ok, de_px, de_jpg


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("accuracy", "corpus"):
        print(__doc__)
        return 2
    cli, data, mode = sys.argv[1:]
    self_test()
    if mode == "accuracy":
        cases = ACCURACY
    else:
        cases = [(f"{d}/{n}",) + CORPUS_LIMITS for d in CORPUS_DIRS
                 for n in sorted(os.listdir(os.path.join(data, d)))
                 if n.lower().endswith((".heic", ".avif", ".webp", ".jpg"))]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for rel, lim_px, lim_jpg in cases:
            size, want, size_ok, de_px, de_jpg = measure(cli, os.path.join(data, rel), tmp)
            ok = size_ok and de_px <= lim_px and de_jpg <= lim_jpg
            note = ""
            if mode == "accuracy":
                # the measure must see a missing conversion: P3 photos are mostly inside sRGB,
                # so their mean moves less than Adobe RGB's; at least twice ours, then
                *_, plain_px, _ = measure(cli, os.path.join(data, rel), tmp, ["--no-colour"])
                ok = ok and plain_px > 2 * de_px
                note = f"; without colour management {plain_px:.2f}"
            failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {rel}: {size[0]}x{size[1]} (expected "
                  f"{want[0]}x{want[1]}), mean dE2000 pixels {de_px:.2f} (<= {lim_px}), "
                  f"q85 JPEG {de_jpg:.2f} (<= {lim_jpg}){note}")
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
