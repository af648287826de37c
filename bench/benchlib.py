"""Helpers shared by bench/run, bench/peers/run and bench/lambda-tuning/run (standard library only)."""
import datetime
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)


def capture(argv, cwd=None, env=None, timeout=120):
    """stdout+stderr of a command as text ('' when it cannot run)."""
    try:
        p = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, check=False)
        return p.stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return ""


RSS_HELPER = None  # bench/tk_bench_rss, set by use_rss_helper()
RSS_METHOD = "ru_maxrss seen by the Python launcher (an upper bound: includes the launcher's own RSS)"


def use_rss_helper(build):
    """Measure peak RSS through bench/tk_bench_rss (exact), else GNU time, else wait4 (upper bound).
    Linux carries the RSS high-water mark over fork and exec, so a child of this Python process
    never reports less than this process's own RSS."""
    global RSS_HELPER, RSS_METHOD
    helper = find_binary(build, "bench/tk_bench_rss") if build else None
    if helper:
        RSS_HELPER, RSS_METHOD = [helper], "ru_maxrss via bench/tk_bench_rss (forks from a 1 MB C launcher)"
    elif os.access("/usr/bin/time", os.X_OK) and "Usage" in capture(["/usr/bin/time", "--help"]):
        RSS_HELPER, RSS_METHOD = "gnu-time", "ru_maxrss via GNU time"
    return RSS_METHOD


def wrap_rss(argv):
    """@return (argv to run, report file or None)."""
    if not RSS_HELPER:
        return argv, None
    fd, report = tempfile.mkstemp(prefix="tk-rss-")
    os.close(fd)
    if RSS_HELPER == "gnu-time":
        return ["/usr/bin/time", "-q", "-f", '{"maxrss_kb":%M}', "-o", report] + argv, report
    return RSS_HELPER + [report] + argv, report


def read_rss_report(report):
    """{'maxrss_kb', 'signal'?, ...} from the helper's report (removed), or {}."""
    if not report:
        return {}
    try:
        with open(report) as fh:
            data = json.loads(fh.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        data = {}
    try:
        os.unlink(report)
    except OSError:
        pass
    return data


def run_measured(argv, env=None, stdin_data=None, cwd=None, preexec_fn=None, timeout=None):
    """Run a command; return wall time, exit status, peak RSS and output.

    The child is reaped with wait4() so its own rusage is read (not that of other children);
    peak RSS comes from the helper chosen by use_rss_helper() when there is one.
    """
    argv, report = wrap_rss(argv)
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
                         stdout=out, stderr=err, env=env, cwd=cwd, preexec_fn=preexec_fn)
    if stdin_data is not None:
        try:
            p.stdin.write(stdin_data.encode())
            p.stdin.close()
        except BrokenPipeError:
            pass
    deadline = None if timeout is None else t0 + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG if deadline else 0)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            p.kill()
            deadline = None
        time.sleep(0.005)
    wall = (time.perf_counter() - t0) * 1e3
    p.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    res = {"wall_ms": wall, "rc": p.returncode, "maxrss_kb": ru.ru_maxrss,
           "user_ms": ru.ru_utime * 1e3, "sys_ms": ru.ru_stime * 1e3,
           "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace")}
    out.close()
    err.close()
    rep = read_rss_report(report)
    if "maxrss_kb" in rep:
        res["maxrss_kb"] = rep["maxrss_kb"]
    if rep.get("signal"):
        res["signal"] = rep["signal"]
    return res


def json_lines(text):
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                yield json.loads(line)
            except ValueError:
                pass


_py_cache = {}


def python_with(*modules):
    """A python3 interpreter that can import all @modules (Debian's /usr/bin/python3 has the
    python3-* packages; a pyenv python3 on PATH may not), or None."""
    key = modules
    if key in _py_cache:
        return _py_cache[key]
    cands = [sys.executable, "/usr/bin/python3", shutil.which("python3") or ""]
    found = None
    for c in cands:
        if c and os.access(c, os.X_OK):
            code = "; ".join("import " + m for m in modules) or "pass"
            if subprocess.run([c, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              check=False).returncode == 0:
                found = c
                break
    _py_cache[key] = found
    return found


# The default folder of bench/peers/run and bench/lambda-tuning/run: the sample photos in
# tests/data — the EXIF orientation set and the real camera photos among the JPEGs (not the
# hostile, CMYK, 12-bit or tiny test images).
DEFAULT_IMAGES = [
    "exif-orientation/%s_%d.jpg" % (k, i) for k in ("Landscape", "Portrait") for i in range(9)
] + [
    "jpeg/exif-samples__DSCN0010.jpg",
    "jpeg/exif-samples__canon_hdr_NO.jpg",
    "jpeg/exif-samples__nikon-e950.jpg",
    "jpeg/metadata-extractor-images__Issue_242.jpg",
    "jpeg/metadata-extractor-images__Panasonic_DMC-LC70_Lumix.jpg",
    "jpeg/sharp__2569067123_aca715a2ee_o.jpg",
    "jpeg/sharp__gain-map.jpg",
    "jpeg/sharp__concert.jpg",
]
IMAGE_EXT = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".avif")


def list_images(folder):
    """Every image (JPEG, PNG, WebP, HEIC, AVIF) below @folder, sorted."""
    out = []
    for root, _dirs, names in os.walk(folder):
        for n in sorted(names):
            if n.lower().endswith(IMAGE_EXT):
                out.append(os.path.join(root, n))
    return sorted(out)


def select_images(folder, data_dir, max_images=0):
    """The images of a run: every image below @folder, else the DEFAULT_IMAGES present in
    @data_dir; only the first @max_images when that is set. @return (files, description)."""
    if folder:
        files, desc = list_images(folder), folder
    else:
        files = [os.path.join(data_dir, f) for f in DEFAULT_IMAGES
                 if os.path.exists(os.path.join(data_dir, f))]
        desc = "default sample photos in tests/data"
    if max_images:
        files = files[:max_images]
    return files, desc + " (%d images)" % len(files)


def find_build(build=None):
    """The build directory to use: the given one, else the first of build-bench*, build."""
    if build:
        return os.path.abspath(build)
    for name in sorted(os.listdir(REPO)):
        if name.startswith("build-bench") and os.path.isdir(os.path.join(REPO, name)):
            return os.path.join(REPO, name)
    return os.path.join(REPO, "build")


def find_binary(build, rel):
    p = os.path.join(build, rel)
    return p if os.access(p, os.X_OK) else None


def pin_prefix(cpu, nice=0):
    """taskset (and nice, when asked: a negative value needs root) in front of a command.
    On a shared machine a higher priority keeps neighbours from taking the pinned core's time."""
    out = []
    if nice and shutil.which("nice"):
        out += ["nice", "-n", str(nice)]
    if cpu not in (None, "") and shutil.which("taskset"):
        out += ["taskset", "-c", str(cpu)]
    return out


def stamp():
    """Date and commit for result names: {'date','commit','tag'}; '+dirty' when bench/ or the
    sources differ from the commit."""
    now = datetime.datetime.now(datetime.timezone.utc)
    commit = capture(["git", "-C", REPO, "rev-parse", "--short=10", "HEAD"]).strip() or "nogit"
    if "fatal" in commit or " " in commit:
        commit = "nogit"
    dirty = capture(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"]).strip()
    return {"date": now.strftime("%Y-%m-%d %H:%M UTC"), "commit": commit + ("+dirty" if dirty else ""),
            "tag": now.strftime("%Y-%m-%dT%H%M%S") + "-" + commit + ("-dirty" if dirty else "")}


def host_info():
    model = ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        load = open("/proc/loadavg").read().split()[0]
    except OSError:
        load = "?"
    return "%s, %d cores, load %s" % (model or platform.machine(), os.cpu_count() or 0, load)


def percentile(values, q):
    v = sorted(values)
    if not v:
        return None
    k = (len(v) - 1) * q / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def plot(kind, json_path, png_path):
    """Draw a chart with bench/plot.py under a python3 that has matplotlib.
    @return '' on success, else a note saying why there is no chart."""
    py = python_with("matplotlib")
    if not py:
        return "chart skipped: matplotlib not installed (apt-get install python3-matplotlib)"
    out = capture([py, os.path.join(BENCH, "plot.py"), kind, json_path, png_path])
    if not os.path.exists(png_path):
        return "chart failed: " + out[-300:]
    return ""
