"""The named workloads of bench/lambda-tuning/run: which images, in what mix, and how the ones
the corpus lacks are made.

Sources: the real phone and camera photos in ../shared/corpus/photos (6.7-15.9 MP, all
baseline) and the HEIC photos in ../shared/corpus/heic. Made from them, into a cache folder
(bench/results/workloads/ by default, rebuilt when missing):

  - progressive re-codings: `jpegtran -copy all -progressive` (lossless, same pixels);
  - camera photos upscaled to 16-24 MP (the corpus has none that large): Lanczos, baseline
    JPEG 4:2:2 q95 with the original EXIF and ICC (make_images.py upscale);
  - PNG screenshots rendered like app UIs (feed, chat, desktop) with a real photo inside,
    and one real photo exported as PNG (make_images.py screenshot / photo-png).

HEIC files join the phone and mixed workloads when thumbkit's engine decodes them (the caller
probes it); otherwise they are left out and the report says so.
"""
import json
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
MAKE = os.path.join(HERE, "make_images.py")
RECIPE_VERSION = 1  # bump when a recipe changes: cached files are then made again

_P = "metadata-extractor-images__"
PHONE = [_P + "Issue_525.jpg",  # Galaxy S9+, 12.2 MP 4:4:4
         _P + "Samsung_SM-G935L_Galaxy_S7_Edge.jpg",  # 12.2 MP
         _P + "Oppo_R7_Plus.jpg",  # 13.0 MP, portrait
         _P + "Samsung_GT-I9505_Galaxy_S4.jpg"]  # 9.6 MP
CAMERA_STORED = [_P + "Canon_Powershot_A2500.JPG", _P + "Kodak_PIXPRO_AZ521.jpg"]  # 15.9 MP each
CAMERA_UPSCALED = [(_P + "Canon_EOS_450D.jpg", 20), (_P + "Canon_EOS_5D.jpg", 24), (_P + "Nikon_D90.jpg", 24),
                   (_P + "Nikon_D3100.jpg", 20), (_P + "Canon_EOS_20D_2.jpg", 18),  # EXIF orientation 6
                   (_P + "Panasonic_Lumix_DMC-LX7.jpg", 16)]
SCREENSHOTS = [("feed", 1170, 2532), ("chat", 1080, 2400), ("desktop", 2560, 1440)]
IMAGE_EXT = (".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".heic", ".heif", ".avif", ".webp")

DESCRIPTIONS = {
    "phone": "phone uploads: 4 real phone JPEGs as the phones wrote them (9.6-13 MP, baseline) and "
             "the 3 real HEIC phone photos (12 MP) when the engine decodes HEIC",
    "camera": "camera uploads, 16-24 MP: 2 real 15.9 MP camera JPEGs and 6 camera photos upscaled to "
              "16-24 MP (baseline 4:2:2 q95, original EXIF/ICC)",
    "mixed": "a mix: the 4 phone JPEGs, 2 of them again re-coded progressive, HEIC when decoded, "
             "4 camera photos (16-24 MP), 2 of them re-coded progressive, 3 rendered PNG "
             "screenshots and 1 real photo exported as PNG",
}
NAMES = tuple(DESCRIPTIONS)


class Item:
    """One image of a workload: its file and what it is."""

    def __init__(self, path, kind, note=""):
        self.path, self.kind, self.note = path, kind, note

    def as_dict(self):
        return {"file": os.path.basename(self.path), "kind": self.kind, "note": self.note,
                "bytes": os.path.getsize(self.path)}


class Builder:
    """Makes (or finds in the cache) the derived files; needs jpegtran and a Pillow Python."""

    def __init__(self, corpus, cache, pillow_py):
        self.photos = os.path.join(corpus, "photos")
        self.heic_dir = os.path.join(corpus, "heic")
        self.cache, self.py = cache, pillow_py
        os.makedirs(cache, exist_ok=True)
        self.stamp_path = os.path.join(cache, "recipes.json")
        try:
            with open(self.stamp_path) as fh:
                self.stamps = json.load(fh)
        except (OSError, ValueError):
            self.stamps = {}

    def _make(self, name, recipe, argv):
        """The cached file @p name, made by @p argv (with {out}) unless made by this recipe."""
        out = os.path.join(self.cache, name)
        key = json.dumps([RECIPE_VERSION] + recipe)
        if os.path.exists(out) and self.stamps.get(name) == key:
            return out
        tmp = out + ".tmp"
        subprocess.run([a.replace("{out}", tmp) for a in argv], check=True, stdout=subprocess.DEVNULL)
        os.replace(tmp, out)
        self.stamps[name] = key
        with open(self.stamp_path, "w") as fh:
            json.dump(self.stamps, fh, indent=1)
        return out

    def photo(self, name):
        p = os.path.join(self.photos, name)
        if not os.path.exists(p):
            raise FileNotFoundError("corpus photo missing: %s (is ../shared/corpus there?)" % p)
        return p

    def progressive(self, src, kind):
        if not shutil.which("jpegtran"):
            raise FileNotFoundError("jpegtran not installed (apt-get install libjpeg-turbo-progs)")
        stem = os.path.splitext(os.path.basename(src))[0]
        out = self._make(stem + ".progressive.jpg", ["progressive", os.path.basename(src)],
                         ["jpegtran", "-copy", "all", "-progressive", "-outfile", "{out}", src])
        return Item(out, kind, "lossless progressive re-coding (jpegtran) of " + os.path.basename(src))

    def upscaled(self, name, mp):
        self._need_pillow()
        stem = os.path.splitext(name)[0]
        out = self._make("%s.%dMP.jpg" % (stem, mp), ["upscale", name, mp, 95],
                         [self.py, MAKE, "upscale", self.photo(name), "{out}", str(mp), "95"])
        return Item(out, "camera JPEG, upscaled", "%s upscaled to %d MP (Lanczos, q95, 4:2:2)" % (name, mp))

    def screenshot(self, kind, w, h):
        self._need_pillow()
        out = self._make("screenshot-%s-%dx%d.png" % (kind, w, h), ["screenshot", kind, w, h, PHONE[0]],
                         [self.py, MAKE, "screenshot", kind, str(w), str(h), "{out}", self.photo(PHONE[0])])
        return Item(out, "PNG screenshot", "rendered %s UI, %dx%d, with a real photo inside" % (kind, w, h))

    def photo_png(self, name, width):
        self._need_pillow()
        stem = os.path.splitext(name)[0]
        out = self._make("%s.%d.png" % (stem, width), ["photo-png", name, width],
                         [self.py, MAKE, "photo-png", self.photo(name), "{out}", str(width)])
        return Item(out, "PNG photo", "%s scaled to %d px wide, stored as PNG" % (name, width))

    def heic(self):
        if not os.path.isdir(self.heic_dir):
            return []
        return [Item(os.path.join(self.heic_dir, n), "phone HEIC")
                for n in sorted(os.listdir(self.heic_dir)) if n.lower().endswith((".heic", ".heif"))]

    def _need_pillow(self):
        if not self.py:
            raise FileNotFoundError("no Python with Pillow to make the derived images (apt-get install python3-pil)")


def build(name, corpus, cache, pillow_py):
    """The items of workload @p name (before the HEIC decision), or of a folder of images.
    @return (items, description)."""
    if name not in NAMES:
        if not os.path.isdir(name):
            raise FileNotFoundError("no workload or folder named %s (workloads: %s)" % (name, ", ".join(NAMES)))
        items = []
        for root, _dirs, files in os.walk(name):
            for n in sorted(files):
                if n.lower().endswith(IMAGE_EXT):
                    items.append(Item(os.path.join(root, n), "user file"))
        return sorted(items, key=lambda i: i.path), "every image below %s" % os.path.abspath(name)
    b = Builder(corpus, cache, pillow_py)
    phone = [Item(b.photo(n), "phone JPEG") for n in PHONE]
    stored = [Item(b.photo(n), "camera JPEG", "15.9 MP as the camera wrote it") for n in CAMERA_STORED]
    if name == "phone":
        items = phone + b.heic()
    elif name == "camera":
        items = stored + [b.upscaled(n, mp) for n, mp in CAMERA_UPSCALED]
    else:
        up = [b.upscaled(n, mp) for n, mp in CAMERA_UPSCALED[:3]]
        items = (phone + [b.progressive(i.path, "phone JPEG, progressive") for i in phone[:2]] + b.heic()
                 + stored[:1] + up + [b.progressive(i.path, "camera JPEG, progressive") for i in up[:2]]
                 + [b.screenshot(*s) for s in SCREENSHOTS] + [b.photo_png(PHONE[1], 2048)])
    return items, DESCRIPTIONS[name]
