"""A small W3C WebDriver client over plain HTTP (Python stdlib only), for chromedriver.

Only what the browser tests use: a session on a headless Chromium with a fresh profile,
navigation, CSS lookup, typing into an element (file inputs take paths), clicks, scripts,
screenshots. Why not Selenium: see README.md of this folder.

    with WebDriver.chromium("/usr/bin/chromium", "/usr/bin/chromedriver", profile_dir) as wd:
        wd.get("http://127.0.0.1:8751/")
        wd.send_keys(wd.find("#file-input"), "/tmp/a.jpg")
        wd.wait("return document.title") ; png = wd.screenshot()
"""

import base64
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C web element identifier

# Headless, and nothing that reaches outside loopback or writes to a shared profile.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


class WebDriverError(Exception):
    """An error answer of the driver: its W3C error code and message."""

    def __init__(self, status, error, message):
        super().__init__(f"{error} (HTTP {status}): {message}")
        self.error = error


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    """One chromedriver process and one session; quit() (or `with`) ends both."""

    def __init__(self, driver_path, capabilities, log_path=None, start_timeout=30.0):
        self.port = _free_port()
        self._log = open(log_path, "wb") if log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen([driver_path, f"--port={self.port}", "--allowed-ips=127.0.0.1"],
                                     stdout=self._log, stderr=subprocess.STDOUT)
        self.session = None
        end = time.monotonic() + start_timeout
        while True:
            try:
                if self._call("GET", "/status").get("ready"):
                    break
            except (OSError, WebDriverError):
                pass
            if self.proc.poll() is not None or time.monotonic() > end:
                self.quit()
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.05)
        try:
            value = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        except Exception:
            self.quit()
            raise
        self.session = value["sessionId"]
        self.capabilities = value["capabilities"]

    @classmethod
    def chromium(cls, browser_path, driver_path, profile_dir, window=(1280, 1400), log_path=None):
        """A headless Chromium with a fresh profile in @p profile_dir."""
        args = CHROMIUM_ARGS + [f"--user-data-dir={profile_dir}", f"--window-size={window[0]},{window[1]}"]
        return cls(driver_path, {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": browser_path, "args": args},
            "timeouts": {"script": 30000, "pageLoad": 60000, "implicit": 0},
            "unhandledPromptBehavior": "dismiss",
        }, log_path=log_path)

    def _call(self, method, path, body=None, timeout=120):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                doc = json.loads(r.read())
        except urllib.error.HTTPError as e:
            doc = json.loads(e.read() or b"{}").get("value") or {}
            raise WebDriverError(e.code, doc.get("error", "unknown error"), doc.get("message", "")) from None
        return doc.get("value")

    def _session(self, method, path, body=None):
        return self._call(method, f"/session/{self.session}{path}", body)

    # ---- the commands the tests use ----------------------------------------------------------

    def get(self, url):
        self._session("POST", "/url", {"url": url})

    def find(self, css):
        """@return the element id of the first match of @p css (no such element: WebDriverError)."""
        return self._session("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def find_all(self, css):
        return [e[ELEMENT] for e in self._session("POST", "/elements", {"using": "css selector", "value": css})]

    def send_keys(self, element, text):
        """Type @p text into @p element; for a file input, paths separated by newlines."""
        self._session("POST", f"/element/{element}/value", {"text": text})

    def click(self, element):
        self._session("POST", f"/element/{element}/click", {})

    def execute(self, script, *args):
        """Run @p script (a function body: `return ...`) in the page; @return its value."""
        return self._session("POST", "/execute/sync", {"script": script, "args": list(args)})

    def wait(self, script, *args, timeout=60.0, interval=0.2, what=None):
        """Run @p script until it returns something truthy; @return that value."""
        end = time.monotonic() + timeout
        while True:
            value = self.execute(script, *args)
            if value:
                return value
            if time.monotonic() > end:
                raise TimeoutError(f"waited {timeout:.0f} s for {what or script}")
            time.sleep(interval)

    def screenshot(self):
        """@return the viewport as PNG bytes."""
        return base64.b64decode(self._session("GET", "/screenshot"))

    def quit(self):
        try:
            if self.session:
                self._session("DELETE", "")
        except (OSError, WebDriverError):
            pass
        self.session = None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log is not subprocess.DEVNULL:
            self._log.close()
            self._log = subprocess.DEVNULL

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.quit()
