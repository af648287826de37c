"""Images the named workloads need that the corpus does not have (run under a Python with Pillow).

  upscale SRC DST MEGAPIXELS QUALITY   a camera photo resized (Lanczos) to MEGAPIXELS, baseline
                                       JPEG 4:2:2 at QUALITY with its EXIF and ICC profile: the
                                       corpus photos stop at 15.9 MP, camera uploads reach 24 MP
  screenshot KIND W H DST PHOTO        a rendered UI screenshot (KIND: feed, chat, desktop) as
                                       an RGB PNG: flat colours, anti-aliased DejaVu text, icons
                                       and a real photo (PHOTO) inside, as app screenshots have
  photo-png SRC DST WIDTH              a real photo scaled to WIDTH px and stored as PNG (an
                                       edited photo exported losslessly)
  info FILE...                         one JSON line per file: width, height, format, progressive

Everything is deterministic (fixed seeds), so a workload is the same on every machine.
"""
import json
import random
import sys

from PIL import Image, ImageDraw, ImageFont, ImageOps

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
WORDS = ("photo upload album shared today yesterday beach mountain family trip weekend city night "
         "sunset coffee morning friends project review design meeting notes draft invoice team "
         "garden market concert museum train river bridge autumn winter summer spring").split()


def font(size, bold=False):
    try:
        return ImageFont.truetype(FONT_BOLD if bold else FONT, size)
    except OSError:  # fonts-dejavu-core missing: still a valid (less realistic) screenshot
        return ImageFont.load_default()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def photo_crop(photo, w, h):
    with Image.open(photo) as im:
        im.draft("RGB", (w * 2, h * 2))
        im = ImageOps.exif_transpose(im).convert("RGB")
        return ImageOps.fit(im, (w, h), Image.LANCZOS)


def upscale(src, dst, mp, quality):
    with Image.open(src) as im:
        exif, icc = im.info.get("exif"), im.info.get("icc_profile")
        k = (float(mp) * 1e6 / (im.width * im.height)) ** 0.5
        out = im.convert("RGB").resize((round(im.width * k), round(im.height * k)), Image.LANCZOS)
    kw = {"quality": int(quality), "subsampling": 1, "optimize": False, "progressive": False}
    if exif:
        kw["exif"] = exif
    if icc:
        kw["icc_profile"] = icc
    out.save(dst, "JPEG", **kw)


def status_bar(d, w, s, fg):
    d.text((40 * s, 14 * s), "9:41", font=font(16 * s, True), fill=fg)
    for i in range(4):
        d.rectangle((w - 120 * s + i * 7 * s, (26 - 3 * i) * s, w - 115 * s + i * 7 * s, 30 * s), fill=fg)
    d.rounded_rectangle((w - 70 * s, 16 * s, w - 34 * s, 32 * s), radius=4 * s, outline=fg, width=2 * s)
    d.rectangle((w - 66 * s, 20 * s, w - 44 * s, 28 * s), fill=fg)


def feed(w, h, photo, rng):
    s = w // 390
    im = Image.new("RGB", (w, h), (248, 248, 250))
    d = ImageDraw.Draw(im)
    status_bar(d, w, s, (20, 20, 20))
    d.text((20 * s, 60 * s), "Photos", font=font(30 * s, True), fill=(20, 20, 20))
    y = 110 * s
    pw, ph = w - 40 * s, 240 * s
    im.paste(photo_crop(photo, pw, ph), (20 * s, y))
    y += ph + 16 * s
    colours = [(66, 133, 244), (219, 68, 55), (244, 180, 0), (15, 157, 88), (171, 71, 188)]
    while y < h - 140 * s:
        d.rounded_rectangle((16 * s, y, w - 16 * s, y + 76 * s), radius=12 * s, fill=(255, 255, 255),
                            outline=(228, 228, 232))
        d.ellipse((28 * s, y + 14 * s, 76 * s, y + 62 * s), fill=rng.choice(colours))
        d.text((90 * s, y + 14 * s), sentence(rng, 3), font=font(16 * s, True), fill=(30, 30, 30))
        d.text((90 * s, y + 40 * s), sentence(rng, 5), font=font(13 * s), fill=(120, 120, 128))
        y += 88 * s
    d.rectangle((0, h - 90 * s, w, h), fill=(255, 255, 255))
    d.line((0, h - 90 * s, w, h - 90 * s), fill=(220, 220, 224), width=s)
    for i, label in enumerate(("Home", "Search", "Add", "Inbox", "Me")):
        cx = w * (2 * i + 1) // 10
        d.ellipse((cx - 12 * s, h - 78 * s, cx + 12 * s, h - 54 * s), outline=(90, 90, 96), width=2 * s)
        d.text((cx, h - 44 * s), label, font=font(11 * s), fill=(90, 90, 96), anchor="mt")
    return im


def chat(w, h, photo, rng):
    s = w // 360
    im = Image.new("RGB", (w, h), (18, 18, 22))
    d = ImageDraw.Draw(im)
    status_bar(d, w, s, (235, 235, 240))
    d.rectangle((0, 48 * s, w, 100 * s), fill=(32, 32, 38))
    d.ellipse((14 * s, 56 * s, 50 * s, 92 * s), fill=(88, 101, 242))
    d.text((60 * s, 64 * s), "Weekend trip", font=font(17 * s, True), fill=(240, 240, 245))
    y, mine = 116 * s, False
    f = font(15 * s)
    while y < h - 160 * s:
        if rng.random() < 0.15:
            pw, ph = 220 * s, 160 * s
            x = w - pw - 16 * s if mine else 16 * s
            im.paste(photo_crop(photo, pw, ph), (x, y))
            y += ph + 12 * s
        else:
            lines = [sentence(rng, rng.randint(3, 6)) for _ in range(rng.randint(1, 3))]
            bw = max(d.textlength(t, font=f) for t in lines) + 24 * s
            bh = len(lines) * 20 * s + 16 * s
            x = w - bw - 16 * s if mine else 16 * s
            d.rounded_rectangle((x, y, x + bw, y + bh), radius=14 * s,
                                fill=(0, 122, 255) if mine else (44, 44, 52))
            for i, t in enumerate(lines):
                d.text((x + 12 * s, y + 8 * s + i * 20 * s), t, font=f, fill=(250, 250, 252))
            y += bh + 10 * s
        mine = not mine
    d.rectangle((0, h - 70 * s, w, h), fill=(32, 32, 38))
    d.rounded_rectangle((14 * s, h - 58 * s, w - 60 * s, h - 22 * s), radius=18 * s, fill=(52, 52, 60))
    d.text((30 * s, h - 50 * s), "Message", font=f, fill=(150, 150, 160))
    return im


def desktop(w, h, photo, rng):
    s = max(1, w // 1280)
    im = Image.new("RGB", (w, h), (236, 238, 242))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, w, 28 * s), fill=(50, 52, 58))
    for i, c in enumerate(((237, 106, 94), (245, 191, 79), (98, 197, 84))):
        d.ellipse(((10 + 18 * i) * s, 8 * s, (22 + 18 * i) * s, 20 * s), fill=c)
    d.text((w // 2, 14 * s), "Assets — Library", font=font(13 * s), fill=(220, 220, 225), anchor="mm")
    d.rectangle((0, 28 * s, 220 * s, h), fill=(246, 247, 249))
    for i in range(18):
        d.text((20 * s, (48 + 28 * i) * s), sentence(rng, 2), font=font(13 * s), fill=(60, 60, 70))
    x0, y0 = 240 * s, 48 * s
    tw = (w - x0 - 20 * s) // 6
    for i in range(6):
        im.paste(photo_crop(photo, tw - 10 * s, 110 * s), (x0 + i * tw, y0))
    y0 += 130 * s
    for r in range(14):
        fill = (255, 255, 255) if r % 2 else (248, 249, 251)
        d.rectangle((x0, y0 + r * 26 * s, w - 20 * s, y0 + (r + 1) * 26 * s), fill=fill)
        for c in range(5):
            txt = sentence(rng, 2) if c < 2 else "%d.%02d" % (rng.randint(1, 999), rng.randint(0, 99))
            d.text((x0 + 10 * s + c * (w - x0) // 5, y0 + r * 26 * s + 6 * s), txt, font=font(12 * s),
                   fill=(40, 40, 48))
    y0 += 14 * 26 * s + 20 * s
    bh = h - y0 - 30 * s
    for i in range(24):
        v = rng.random()
        bx = x0 + i * (w - x0 - 20 * s) // 24
        d.rectangle((bx + 4 * s, y0 + bh - int(v * bh), bx + (w - x0) // 24 - 8 * s, y0 + bh), fill=(76, 114, 176))
    return im


def screenshot(kind, w, h, dst, photo):
    rng = random.Random("%s-%s-%s" % (kind, w, h))
    im = {"feed": feed, "chat": chat, "desktop": desktop}[kind](int(w), int(h), photo, rng)
    im.save(dst, "PNG")


def photo_png(src, dst, width):
    with Image.open(src) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
        k = int(width) / im.width
        im.resize((int(width), round(im.height * k)), Image.LANCZOS).save(dst, "PNG")


def info(files):
    for f in files:
        try:
            with Image.open(f) as im:
                print(json.dumps({"file": f, "width": im.width, "height": im.height, "format": im.format,
                                  "progressive": bool(im.info.get("progressive") or im.info.get("progression"))}))
        except Exception as e:  # noqa: BLE001 - e.g. HEIC without a Pillow plugin
            print(json.dumps({"file": f, "error": str(e)}))


def main(argv):
    cmd, args = argv[0], argv[1:]
    if cmd == "upscale":
        upscale(*args)
    elif cmd == "screenshot":
        screenshot(*args)
    elif cmd == "photo-png":
        photo_png(*args)
    elif cmd == "info":
        info(args)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
