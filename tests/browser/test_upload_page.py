"""The upload page (web/index.html) in a real headless Chromium, against the local HTTP API.

`scripts/local_api.py` (what `scripts/local-api` runs) starts the local AWS (moto), the API
and thumbnail functions (the real `bootstrap`) and the HTTP API front; Debian's chromium,
driven through chromedriver over WebDriver, opens the page from its own origin, and through
the file input uploads two photos (a JPEG and a PNG, tests/data/browser), a text file named
.jpg (the service refuses it: not an image), a .txt (the page refuses it: wrong type) and a
file over the service's MAX_INPUT_BYTES (too large). Then it checks every card, that each
thumbnail shown is the real one at the right size, the gallery (both thumbnails; pages),
the words for a network failure, and saves a screenshot (--out).

No browser here: skipped (77) with what to install; in CI (TK_CI or CI set) a failure, since
scripts/install-deps installs chromium and chromium-driver.

Environment (set by ctest): TK_BOOTSTRAP, TK_TEST_DATA.  Arguments: --out SCREENSHOT.png
"""

import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "lambda", "e2e"))
sys.path.insert(0, HERE)

import localaws as L  # noqa: E402
from webdriver import WebDriver  # noqa: E402

BOOTSTRAP = os.environ.get("TK_BOOTSTRAP", "")
DATA = os.environ.get("TK_TEST_DATA", os.path.join(REPO, "tests", "data"))
MAX_BYTES = 1024 * 1024  # MAX_INPUT_BYTES of the service under test: the "too large" file is over it
BOX = 256  # the 256x256 box of THUMB_SIZES=128,256: the size the page shows
PHOTOS = ("canon-eos-450d-car.jpg", "oppo-r7-plus-cairn.png")
OUT = os.path.join(tempfile.gettempdir(), "upload-page.png")


def browser_paths():
    """(chromium, chromedriver) or exit: 77 (skipped) where none is installed, 1 in CI."""
    browser = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    driver = shutil.which("chromedriver") or next(
        (p for p in ("/usr/lib/chromium/chromedriver",) if os.access(p, os.X_OK)), None)
    if browser and driver:
        return browser, driver
    missing = " and ".join(n for n, p in (("chromium", browser), ("chromedriver", driver)) if not p)
    msg = (f"browser test: {missing} not found; install Debian's chromium and chromium-driver "
           "(bash scripts/install-deps does)")
    if os.environ.get("TK_CI") or os.environ.get("CI"):
        print(msg + " — in CI this is a failure", file=sys.stderr)
        sys.exit(1)
    print(msg + " — skipped", file=sys.stderr)
    sys.exit(77)


def fit_inside(w, h, box):
    """The thumbnail size of a w x h image in a box x box square (THUMB_FIT=inside)."""
    scale = min(box / w, box / h, 1.0)
    return max(1, round(w * scale)), max(1, round(h * scale))


# What the page shows, read in one script: each upload card and each gallery tile.
CARDS_JS = """
return Array.from(document.querySelectorAll('#upload-list .card')).map((c) => {
  const img = c.querySelector('img.thumb');
  return {name: c.dataset.name, state: c.dataset.state, id: c.dataset.imageId || null,
          progressEvents: Number(c.dataset.progressEvents || 0), progress: c.querySelector('progress').value,
          step: c.querySelector('.step').textContent, text: c.innerText,
          img: img && {complete: img.complete, w: img.naturalWidth, h: img.naturalHeight, src: img.src}};
});"""
TILES_JS = """
return Array.from(document.querySelectorAll('#gallery-grid .tile')).map((t) => {
  const img = t.querySelector('img.gallery-thumb');
  return {id: t.dataset.imageId, status: t.dataset.status, text: t.innerText,
          img: img && {complete: img.complete, w: img.naturalWidth, h: img.naturalHeight}};
});"""


@unittest.skipUnless(BOOTSTRAP, "TK_BOOTSTRAP not set")
class UploadPage(unittest.TestCase):
    """One local service and one browser; the uploads happen once, in setUpClass."""

    @classmethod
    def setUpClass(cls):
        cls.browser, cls.driver_path = browser_paths()
        L.require_moto()
        cls.t0 = time.monotonic()
        cls.tmp = tempfile.mkdtemp(prefix="tk-browser-")
        cls.service = cls.wd = None
        try:
            cls.start_service()
            cls.wd = WebDriver.chromium(cls.browser, cls.driver_path, os.path.join(cls.tmp, "profile"),
                                        log_path=os.path.join(cls.tmp, "chromedriver.log"))
            cls.upload()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def start_service(cls):
        ready = os.path.join(cls.tmp, "ready.json")
        cls.service_log = os.path.join(cls.tmp, "local-api.log")
        with open(cls.service_log, "wb") as log:
            cls.service = subprocess.Popen(
                [sys.executable, os.path.join(REPO, "scripts", "local_api.py"), "--bootstrap", BOOTSTRAP,
                 "--port", "0", "--page-port", "0", "--sizes", "128,256", "--max-bytes", str(MAX_BYTES),
                 "--ready-file", ready], stdout=log, stderr=subprocess.STDOUT)
        end = time.monotonic() + 60
        while not os.path.exists(ready):
            if cls.service.poll() is not None or time.monotonic() > end:
                raise RuntimeError("scripts/local_api.py did not start:\n" + cls.log_text())
            time.sleep(0.1)
        with open(ready) as f:
            cls.info = json.load(f)

    @classmethod
    def log_text(cls):
        with open(cls.service_log, "rb") as f:
            return f.read().decode("utf-8", "replace")[-4000:]

    @classmethod
    def upload(cls):
        files = {}
        for name in PHOTOS:
            files[name] = os.path.join(cls.tmp, name)
            shutil.copyfile(os.path.join(DATA, "browser", name), files[name])
        for name, body in (("shopping-list.jpg", b"eggs, flour, milk: a shopping list, not a photo\n" * 20),
                           ("notes.txt", b"plain text\n"),
                           ("huge.jpg", b"\xff\xd8\xff" + bytes(MAX_BYTES))):
            files[name] = os.path.join(cls.tmp, name)
            with open(files[name], "wb") as f:
                f.write(body)
        cls.files = files
        wd = cls.wd
        wd.get(cls.info["page"])
        wd.wait("return document.body.dataset.gallery === 'loaded'", what="the empty gallery")
        wd.send_keys(wd.find("#file-input"), "\n".join(files.values()))
        cls.cards = {c["name"]: c for c in wd.wait(
            "const cs = (function() {" + CARDS_JS + "})();"
            "return cs.length === arguments[0] && cs.every((c) => c.state !== 'working') && cs;",
            len(files), timeout=120, what="every upload card to finish")}
        # The thumbnails on the cards have loaded (or failed to).
        wd.wait("return Array.from(document.querySelectorAll('img.thumb')).every((i) => i.complete)",
                what="the thumbnails to load")
        cls.cards = {c["name"]: c for c in wd.execute(CARDS_JS)}
        # The gallery refreshes after the last upload: three records (two photos, one refused).
        wd.wait("return document.querySelectorAll('#gallery-grid .tile').length === 3 && "
                "Array.from(document.querySelectorAll('img.gallery-thumb')).length === 2 && "
                "Array.from(document.querySelectorAll('img.gallery-thumb')).every((i) => i.complete)",
                timeout=30, what="the gallery with both thumbnails")
        cls.tiles = wd.execute(TILES_JS)
        png = wd.screenshot()
        os.makedirs(os.path.dirname(os.path.abspath(OUT)), exist_ok=True)
        with open(OUT, "wb") as f:
            f.write(png)
        print(f"screenshot: {OUT} ({len(png)} bytes); uploads done in "
              f"{time.monotonic() - cls.t0:.1f} s", file=sys.stderr)

    @classmethod
    def tearDownClass(cls):
        if cls.wd:
            cls.wd.quit()
        if cls.service and cls.service.poll() is None:
            cls.service.send_signal(signal.SIGTERM)
            try:
                cls.service.wait(30)
            except subprocess.TimeoutExpired:
                cls.service.kill()
                cls.service.wait()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def api_get(self, path):
        status, _, body = L.http("GET", self.info["api"] + path)
        return status, json.loads(body) if body else None

    def record(self, image_id):
        status, doc = self.api_get("/images/" + urllib.parse.quote(image_id))
        self.assertEqual(status, 200, doc)
        return doc

    def test_photos_show_their_thumbnail_at_the_right_size(self):
        for name in PHOTOS:
            card = self.cards[name]
            self.assertEqual(card["state"], "done", card)
            with open(os.path.join(DATA, "browser", name), "rb") as f:
                fmt, w, h = L.image_dims(f.read())
            want = fit_inside(w, h, BOX)
            img = card["img"]
            self.assertTrue(img and img["complete"], card)
            self.assertEqual((img["w"], img["h"]), want, f"{name}: the thumbnail the page shows")
            # The picture shown is the thumbnail the function wrote: fetched through the
            # record's presigned URL, its header says the same size.
            rec = self.record(card["id"])
            self.assertEqual(rec["status"], "processed")
            (thumb,) = [t for t in rec["thumbnails"] if t["size"] == f"{BOX}x{BOX}"]
            st, _, data = L.http("GET", thumb["url"])
            self.assertEqual(st, 200)
            self.assertEqual(L.image_dims(data), ("jpeg", *want))
            self.assertEqual(urllib.parse.urlsplit(img["src"]).path, urllib.parse.urlsplit(thumb["url"]).path)
            # The facts on the card, in words.
            self.assertIn(f"thumbnail {want[0]}×{want[1]} JPEG", card["text"])
            self.assertIn(f"original {w}×{h} {fmt.upper()}", card["text"])
            self.assertRegex(card["text"], r"processed in \d+\.\d ms")
            self.assertRegex(card["text"], r"sizes \d+×\d+, \d+×\d+")
            # The progress bar followed XMLHttpRequest's upload progress events.
            self.assertGreaterEqual(card["progressEvents"], 1)
            self.assertEqual(card["progress"], 1)

    def test_refusals_are_shown_in_words(self):
        refused = self.cards["shopping-list.jpg"]
        self.assertEqual(refused["state"], "refused", refused)
        self.assertIn("refused by the service", refused["step"])
        self.assertIn("not an image", refused["step"])
        self.assertIn("not_an_image", refused["step"])
        self.assertIsNone(refused["img"])
        wrong = self.cards["notes.txt"]
        self.assertEqual(wrong["state"], "rejected", wrong)
        self.assertIn("wrong type: text/plain", wrong["step"])
        self.assertIsNone(wrong["id"], "a wrong type is never reserved")
        big = self.cards["huge.jpg"]
        self.assertEqual(big["state"], "rejected", big)
        self.assertIn("too large", big["step"])
        self.assertIn("PayloadTooLarge", big["step"])
        self.assertIsNone(big["id"], "an upload over MAX_INPUT_BYTES is never reserved")

    def test_gallery_lists_both_thumbnails_and_the_refusal(self):
        by_id = {t["id"]: t for t in self.tiles}
        ids = {c["id"] for c in self.cards.values() if c["id"]}
        self.assertEqual(set(by_id), ids)
        for name in PHOTOS:
            tile = by_id[self.cards[name]["id"]]
            self.assertEqual(tile["status"], "processed")
            self.assertEqual((tile["img"]["w"], tile["img"]["h"]),
                             (self.cards[name]["img"]["w"], self.cards[name]["img"]["h"]))
        skipped = by_id[self.cards["shopping-list.jpg"]["id"]]
        self.assertEqual(skipped["status"], "skipped")
        self.assertIsNone(skipped["img"])
        self.assertIn("not an image", skipped["text"])
        with open(OUT, "rb") as f:
            png = f.read()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        self.assertEqual(width, 1280, "the screenshot is the whole width of the window")
        self.assertGreater(height, 1000)

    def click_and_wait(self, button, what):
        loads = self.wd.execute("return document.body.dataset.galleryLoads")
        self.wd.click(self.wd.find(button))
        self.wd.wait("return document.body.dataset.galleryLoads !== arguments[0] && "
                     "document.body.dataset.gallery === 'loaded'", loads, what=what)
        return self.wd.execute(TILES_JS)

    def test_gallery_pages(self):
        status, listing = self.api_get("/images?limit=100")
        self.assertEqual(status, 200)
        every = {r["imageId"] for r in listing["items"]}
        self.assertGreaterEqual(len(every), 3)
        wd = self.wd
        wd.get(self.info["page"] + "&pageSize=2")
        wd.wait("return document.body.dataset.gallery === 'loaded'", what="the first page")
        pages = [wd.execute(TILES_JS)]
        self.assertTrue(wd.execute("return document.getElementById('gallery-prev').disabled"))
        while not wd.execute("return document.getElementById('gallery-next').disabled"):
            pages.append(self.click_and_wait("#gallery-next", f"page {len(pages) + 1}"))
            self.assertLessEqual(len(pages), len(every))
        self.assertEqual([len(p) for p in pages[:-1]], [2] * (len(pages) - 1))
        self.assertIn(len(pages[-1]), (1, 2))
        seen = [t["id"] for p in pages for t in p]
        self.assertEqual(sorted(seen), sorted(every), "the pages list every record once")
        self.assertEqual([t["id"] for t in self.click_and_wait("#gallery-prev", "the page before")],
                         [t["id"] for t in pages[-2]])

    def test_drop_zone_takes_files(self):
        with open(os.path.join(DATA, "browser", PHOTOS[0]), "rb") as f:
            data = f.read()
        wd = self.wd
        wd.get(self.info["page"])
        wd.wait("return document.body.dataset.gallery === 'loaded'", what="the gallery")
        # What a drop from the desktop delivers: a DataTransfer with the file in it.
        wd.execute("""
          const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
          const dt = new DataTransfer();
          dt.items.add(new File([bytes], 'dropped.jpg', {type: 'image/jpeg'}));
          const zone = document.getElementById('drop');
          for (const type of ['dragenter', 'dragover', 'drop'])
            zone.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
        """, base64.b64encode(data).decode())
        card = wd.wait("const c = (function() {" + CARDS_JS + "})().find((x) => x.name === 'dropped.jpg');"
                       "return c && c.state !== 'working' && c.img && c.img.complete && c;",
                       timeout=60, what="the dropped file's thumbnail")
        self.assertEqual(card["state"], "done", card)
        _, w, h = L.image_dims(data)
        self.assertEqual((card["img"]["w"], card["img"]["h"]), fit_inside(w, h, BOX))

    def test_network_failure_in_words(self):
        dead = f"http://127.0.0.1:{L.free_port()}"
        page = self.info["page"].split("?", 1)[0]
        self.wd.get(f"{page}?api={dead}")
        self.wd.wait("return document.body.dataset.gallery === 'error'", what="the failed gallery")
        status = self.wd.execute("return document.getElementById('gallery-status').textContent")
        self.assertIn(f"network failure: the API at {dead} did not answer", status)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--out", default=OUT)
    known, rest = ap.parse_known_args()
    OUT = known.out
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
