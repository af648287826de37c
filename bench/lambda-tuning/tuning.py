"""bench/lambda-tuning/run — which Lambda memory size to pick for thumbkit.

Lambda gives a function CPU in proportion to its memory: one full vCPU at 1769 MB, so
memory/1769 of a vCPU below that (up to ~1.7 vCPUs at 3008 MB). We emulate each size with
cgroups — CFS quota = period x memory/1769 (cgroup v1 cpu.cfs_quota_us or v2 cpu.max) and a
memory limit of the size itself (v1 memory.limit_in_bytes, v2 memory.max) — and run the real
work inside:

  thumbkit-bootstrap  the real `bootstrap` (adapter-lambda) fed by the project's Runtime API
                      emulator (tests/lambda/emulator), S3 from a local moto server; one direct
                      {"bucket","key"} event per image. Duration = event queued -> response
                      posted, as the emulator sees it (S3 GET/PUT against local moto included).
  thumbkit-driver     bench/tk_bench_run: read file, tk_thumbnail, write; no S3. Per image.
  pillow-handler      the textbook Python + Pillow handler body (bench/peers/pillow_thumbs.py):
                      Image.thumbnail + exif_transpose + save; no S3; init = interpreter + import.

Per size and model: p50/p95 duration per image (warm), cold init time, peak memory (cgroup
peak, and the process's ru_maxrss), OOM kills, and cost per million images at x86_64 prices
($0.0000166667 per GB-second, billed per ms, + $0.20 per million requests), with and without
the init time of a cold start every --cold-every invocations.

Where cgroups cannot be written (not root, no cpu/memory controller), the sizes are MODELLED
from one unthrottled measurement (duration x 1769/memory below 1769 MB, OOM when the peak RSS
exceeds the size), and the report says so.
"""
import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import benchlib  # noqa: E402

SIZES = [128, 256, 512, 1024, 1769, 3008]
FULL_VCPU_MB = 1769.0
PRICE_GB_S = 0.0000166667
PRICE_REQUEST = 0.20 / 1e6
PERIOD_US = 100000


# ----------------------------------------------------------------------------- cgroups

def _mounts():
    out = []
    try:
        with open("/proc/mounts") as fh:
            for line in fh:
                f = line.split()
                if len(f) >= 4:
                    out.append((f[1], f[2], f[3].split(",")))
    except OSError:
        pass
    return out


def _own_path(controller):
    """This process's cgroup path for a v1 controller, or for v2 (controller '')."""
    try:
        with open("/proc/self/cgroup") as fh:
            for line in fh:
                hid, ctrls, path = line.rstrip("\n").split(":", 2)
                names = ctrls.split(",") if ctrls else [""]
                if controller in names and (controller or hid == "0"):
                    return path
    except OSError:
        pass
    return None


def _write(path, value):
    with open(path, "w") as fh:
        fh.write(str(value))


def _read(path):
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return ""


class Cgroup:
    """One emulated Lambda size: a cpu and a memory limit that child processes are put in."""

    def __init__(self, kind, dirs):
        self.kind, self.dirs = kind, dirs  # kind "v1" {cpu, memory} or "v2" {both}

    def enter(self):
        """preexec_fn: move the (forked) child into the group."""
        pid = str(os.getpid())
        for d in set(self.dirs.values()):
            _write(os.path.join(d, "cgroup.procs"), pid)

    def peak_bytes(self):
        if self.kind == "v1":
            v = _read(os.path.join(self.dirs["memory"], "memory.max_usage_in_bytes")).strip()
        else:
            v = _read(os.path.join(self.dirs["memory"], "memory.peak")).strip()
        return int(v) if v.isdigit() else None

    def oom_kills(self):
        if self.kind == "v1":
            text = _read(os.path.join(self.dirs["memory"], "memory.oom_control"))
        else:
            text = _read(os.path.join(self.dirs["memory"], "memory.events"))
        for line in text.splitlines():
            k, _, v = line.partition(" ")
            if k == "oom_kill" and v.strip().isdigit():
                return int(v)
        return None

    def destroy(self):
        for d in set(self.dirs.values()):
            for _ in range(50):
                try:
                    os.rmdir(d)
                    break
                except OSError:
                    time.sleep(0.05)


class Cgroups:
    """Finds a writable cgroup hierarchy (v1 cpu+memory, or v2 with cpu and memory)."""

    def __init__(self):
        self.kind, self.why = None, ""
        self.base = {}
        if os.geteuid() != 0:
            self.why = "not root"
            return
        mounts = _mounts()
        v1 = {}
        for mnt, typ, opts in mounts:
            if typ == "cgroup":
                for c in ("cpu", "memory"):
                    if c in opts and c not in v1:
                        v1[c] = mnt
        if "cpu" in v1 and "memory" in v1:
            base = {c: os.path.join(v1[c], (_own_path(c) or "/").lstrip("/")) for c in ("cpu", "memory")}
            if self._try("v1", base):
                return
        for mnt, typ, _opts in mounts:
            if typ == "cgroup2":
                own = _own_path("") or "/"
                base_dir = os.path.join(mnt, own.lstrip("/"))
                ctrls = _read(os.path.join(base_dir, "cgroup.controllers")).split()
                if "cpu" in ctrls and "memory" in ctrls and self._try("v2", {"cpu": base_dir, "memory": base_dir}):
                    return
        self.why = self.why or "no writable cgroup with cpu and memory controllers"

    def _try(self, kind, base):
        try:
            self.kind, self.base = kind, base
            g = self.create(256, "probe")
            g.destroy()
            return True
        except OSError as e:
            self.kind, self.base = None, {}
            self.why = "%s: %s" % (kind, e)
            return False

    def create(self, mb, tag=""):
        name = "tk-lambda-%d-%s%d" % (os.getpid(), tag, mb)
        quota = int(round(PERIOD_US * mb / FULL_VCPU_MB))
        limit = int(mb) << 20
        if self.kind == "v1":
            dirs = {c: os.path.join(self.base[c], name) for c in ("cpu", "memory")}
            for d in dirs.values():
                os.makedirs(d, exist_ok=True)
            g = Cgroup("v1", dirs)
            try:
                _write(os.path.join(dirs["cpu"], "cpu.cfs_period_us"), PERIOD_US)
                _write(os.path.join(dirs["cpu"], "cpu.cfs_quota_us"), quota)
                # A large weight: other load on this machine must not eat the emulated share.
                _write(os.path.join(dirs["cpu"], "cpu.shares"), 102400)
                _write(os.path.join(dirs["memory"], "memory.limit_in_bytes"), limit)
                sw = os.path.join(dirs["memory"], "memory.memsw.limit_in_bytes")
                if os.path.exists(sw):
                    _write(sw, limit)
            except OSError:
                g.destroy()
                raise
            return g
        parent = self.base["cpu"]
        sub = _read(os.path.join(parent, "cgroup.subtree_control")).split()
        if "cpu" not in sub or "memory" not in sub:
            _write(os.path.join(parent, "cgroup.subtree_control"), "+cpu +memory")
        d = os.path.join(parent, name)
        os.makedirs(d, exist_ok=True)
        g = Cgroup("v2", {"cpu": d, "memory": d})
        try:
            _write(os.path.join(d, "cpu.max"), "%d %d" % (quota, PERIOD_US))
            _write(os.path.join(d, "cpu.weight"), 10000)
            _write(os.path.join(d, "memory.max"), limit)
            if os.path.exists(os.path.join(d, "memory.swap.max")):
                _write(os.path.join(d, "memory.swap.max"), 0)
        except OSError:
            g.destroy()
            raise
        return g


# ----------------------------------------------------------------------------- runners

def cpus_for(mb):
    """Cores a size may use: one vCPU up to 1769 MB, two above (quota caps the total)."""
    n = os.cpu_count() or 1
    return {0} if mb <= FULL_VCPU_MB or n < 2 else {0, 1}


def _preexec(group, cpus):
    def fn():
        if group is not None:
            group.enter()
        try:
            os.sched_setaffinity(0, cpus)
        except OSError:
            pass
    return fn


class LineProc:
    """A child whose stdout lines are timestamped as they arrive."""

    def __init__(self, argv, env=None, preexec=None, stdin_text=None):
        argv, self.report = benchlib.wrap_rss(argv)
        self.t0 = time.perf_counter()
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.err, env=env, preexec_fn=preexec)
        self.lines = []  # (time ms since start, parsed json or None, raw)
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        if stdin_text is not None:
            try:
                self.proc.stdin.write(stdin_text.encode())
                self.proc.stdin.close()
            except BrokenPipeError:
                pass

    def _read(self):
        for raw in self.proc.stdout:
            t = (time.perf_counter() - self.t0) * 1e3
            try:
                obj = json.loads(raw)
            except ValueError:
                obj = None
            with self.cond:
                self.lines.append((t, obj, raw))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def finish(self, timeout=600):
        end = time.monotonic() + timeout
        while True:
            pid, status, ru = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > end:
                self.proc.kill()
                end = time.monotonic() + 30
            time.sleep(0.01)
        self.reader.join(10)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        rep = benchlib.read_rss_report(self.report)
        sig = rep.get("signal") or (-self.proc.returncode if self.proc.returncode < 0 else 0)
        self.err.seek(0)
        err = self.err.read().decode("utf-8", "replace")
        self.err.close()
        if self.proc.returncode != 0 and sig not in (9, 15) and err:
            # surface sanitizer reports and errors (the smoke test greps them)
            sys.stderr.write("exit %d:\n%s\n" % (self.proc.returncode, err[-3000:]))
        return self.proc.returncode, rep.get("maxrss_kb", ru.ru_maxrss), sig


def run_file_model(argv_fn, files, group, cpus, env=None):
    """One process over @p files (names on stdin). @return list of sessions:
    {init_ms, durations: [(file, ms, ok)], killed, maxrss_kb}. A killed process (OOM) is
    replaced by a new cold one for the remaining files."""
    sessions = []
    todo = list(files)
    while todo:
        lp = LineProc(argv_fn(), env=env, preexec=_preexec(group, cpus), stdin_text="\n".join(todo) + "\n")
        rc, rss, sig = lp.finish()
        init_ms, durs, cpu = None, [], []
        for t, obj, _raw in lp.lines:
            if not obj:
                continue
            if obj.get("event") == "ready" and init_ms is None:
                init_ms = t
            elif "file" in obj and "ms" in obj:
                durs.append((obj["file"], obj["ms"], obj.get("status") == "ok"))
                if obj.get("status") == "ok" and "cpu_ms" in obj:
                    cpu.append(obj["cpu_ms"])
        killed = sig == 9
        sessions.append({"init_ms": init_ms, "durations": durs, "killed": killed, "rc": rc, "maxrss_kb": rss,
                         "cpu_ms": cpu})
        done = len(durs)
        if killed:
            done += 1  # the image it died on counts as a failed invocation
            if done <= len(todo):
                sessions[-1]["durations"].append((todo[done - 1], None, False))
        if done == 0:
            break  # died before the first image: give up on this size
        todo = todo[done:]
    return sessions


class BootstrapRig:
    """moto server + Runtime API emulator + the real bootstrap (tests/lambda/e2e/localaws.py)."""

    def __init__(self, bootstrap, files):
        sys.path.insert(0, os.path.join(REPO, "tests", "lambda", "e2e"))
        import localaws  # noqa: E402  (needs boto3 and moto_server)
        self.la = localaws
        self.bootstrap = bootstrap
        self.moto = localaws.MotoServer().start()
        if (os.cpu_count() or 1) > 1:  # S3 (moto) and the emulator stay off the function's core
            subprocess.run(["taskset", "-pc", "1", str(self.moto.proc.pid)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
        s3 = self.moto.client("s3")
        self.src, self.dst = "tk-bench-src", "tk-bench-dst"
        s3.create_bucket(Bucket=self.src)
        s3.create_bucket(Bucket=self.dst)
        self.keys = {}
        for f in files:
            key = os.path.basename(f)
            with open(f, "rb") as fh:
                s3.put_object(Bucket=self.src, Key=key, Body=fh.read())
            self.keys[f] = key
        import runtime_emulator
        # The emulator answers /next with headers and body in two writes; with Nagle on, the
        # body waits for the runtime's delayed ACK (~40 ms). The real Runtime API does not add
        # that, so the bench turns Nagle off for its own emulator instances.
        runtime_emulator._Handler.disable_nagle_algorithm = True
        self.Emulator = runtime_emulator.RuntimeEmulator
        if (os.cpu_count() or 1) > 1:  # this process serves the emulator: keep it off core 0
            try:
                os.sched_setaffinity(0, {1})
            except OSError:
                pass

    def close(self):
        self.moto.stop()

    def run(self, files, group, cpus):
        sessions = []
        todo = list(files)
        env = self.la.runtime_env(self.moto.url, self.dst, extra={"AWS_LAMBDA_LOG_LEVEL": "INFO"})
        while todo:
            # A new emulator per process: a stopped runtime leaves a /next request behind that
            # would otherwise take the next event.
            emu = self.Emulator(timeout_ms=900000).start()
            env["AWS_LAMBDA_RUNTIME_API"] = emu.endpoint
            t0 = time.monotonic()
            lp = LineProc([self.bootstrap], env=env, preexec=_preexec(group, cpus))
            init_ms = None
            try:
                init_ms = (emu.wait_next_call(1, timeout=120) - t0) * 1e3
            except TimeoutError:
                pass
            durs, killed = [], False
            for f in todo if init_ms is not None else []:
                q0 = time.monotonic()
                rid = emu.enqueue({"bucket": self.src, "key": self.keys[f]})
                res = None
                while res is None:
                    try:
                        res = emu.wait_result(rid, timeout=0.2)
                    except TimeoutError:
                        if lp.proc.poll() is not None:
                            break
                if res is None:
                    durs.append((f, None, False))
                    killed = True
                    break
                ok = res.kind == "response"
                durs.append((f, (res.received_at - q0) * 1e3, ok))
            if lp.proc.poll() is None:
                lp.proc.terminate()
            rc, rss, sig = lp.finish()
            emu.stop()
            logs = [o for _t, o, _r in lp.lines if o and o.get("message") == "thumbnail written"]
            sessions.append({"init_ms": init_ms, "durations": durs, "killed": killed or sig == 9,
                             "rc": rc, "maxrss_kb": rss,
                             "s3_ms": [(o.get("getMs") or 0) + (o.get("putMs") or 0) for o in logs],
                             "compute_ms": [(o.get("totalMs") or 0) - (o.get("getMs") or 0) - (o.get("putMs") or 0)
                                            for o in logs]})
            if not durs:
                break
            todo = todo[len(durs):]
        return sessions


# ----------------------------------------------------------------------------- cost

def cost_per_million(mb, durations_ms, init_ms, cold_every):
    if not durations_ms:
        return None, None
    gb = mb / 1024.0
    billed = [math.ceil(d) for d in durations_ms]
    warm = statistics.mean(billed) / 1000.0 * gb * PRICE_GB_S + PRICE_REQUEST
    cold = warm
    if init_ms is not None and cold_every:
        cold += math.ceil(init_ms) / 1000.0 * gb * PRICE_GB_S / cold_every
    return warm * 1e6, cold * 1e6


def summarize(model, mb, sessions, group_peak, oom_kills, cold_every, note=""):
    warm, cold_first = [], []
    failed = 0
    for s in sessions:
        for i, (_f, ms, ok) in enumerate(s["durations"]):
            if not ok:
                failed += 1
                continue
            (cold_first if i == 0 else warm).append(ms)
    inits = [s["init_ms"] for s in sessions if s["init_ms"] is not None]
    init = statistics.median(inits) if inits else None
    allms = warm + cold_first
    killed = sum(1 for s in sessions if s["killed"])
    c_warm, c_cold = cost_per_million(mb, allms, init, cold_every)
    compute = [x for s in sessions for x in s.get("compute_ms", [])]
    cpu = [x for s in sessions for x in s.get("cpu_ms", [])]
    s3 = [x for s in sessions for x in s.get("s3_ms", [])]
    return {
        "model": model, "memory_mb": mb, "vcpu": round(mb / FULL_VCPU_MB, 3),
        "invocations": len(allms) + failed, "failed": failed,
        "oom": max(killed, oom_kills or 0),
        "p50_ms": statistics.median(allms) if allms else None,
        "p95_ms": benchlib.percentile(allms, 95) if allms else None,
        "first_ms": statistics.median(cold_first) if cold_first else None,
        "init_ms": init,
        "compute_p50_ms": statistics.median(compute) if compute else None,
        "cpu_p50_ms": statistics.median(cpu) if cpu else None,
        "s3_p50_ms": statistics.median(s3) if s3 else None,
        "peak_mb": (group_peak / 1048576.0) if group_peak else None,
        "maxrss_mb": max((s["maxrss_kb"] for s in sessions), default=0) / 1024.0,
        "cost_per_million_warm": c_warm, "cost_per_million": c_cold, "note": note,
    }


# ----------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(prog="bench/lambda-tuning/run", description=__doc__.split("\n")[0])
    ap.add_argument("folder", nargs="?", help="folder of images (default: sample photos in tests/data)")
    ap.add_argument("--data", default=os.path.join(REPO, "tests", "data"))
    ap.add_argument("--build", default=None, help="build dir (default: build-bench*, else build)")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="memory sizes in MB")
    ap.add_argument("--models", default="thumbkit-bootstrap,thumbkit-driver,pillow-handler")
    ap.add_argument("--cold-starts", type=int, default=3, help="processes started per size and model")
    ap.add_argument("--cold-every", type=int, default=100, help="one cold start per N invocations in the cost")
    ap.add_argument("--p95-target", type=float, default=None, help="latency target in ms for the recommendation")
    ap.add_argument("--max-images", type=int, default=0)
    ap.add_argument("--force-model", action="store_true", help="do not use cgroups: model from one run")
    ap.add_argument("--out", default=None, help="report prefix (default bench/results/lambda-DATE-COMMIT)")
    ap.add_argument("--no-chart", action="store_true")
    args = ap.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    build = benchlib.find_build(args.build)
    driver = benchlib.find_binary(build, "bench/tk_bench_run")
    bootstrap = benchlib.find_binary(build, "adapter-lambda/bootstrap")
    files, folder = benchlib.select_images(args.folder, args.data, args.max_images)
    if not files:
        print("bench/lambda-tuning/run: no images", file=sys.stderr)
        return 2

    rss_method = benchlib.use_rss_helper(build)
    cg = None if args.force_model else Cgroups()
    mode = ("cgroup %s" % cg.kind) if cg and cg.kind else "MODEL (no cgroups: %s)" % (
        "--force-model" if args.force_model else cg.why)
    notes, models = [], []
    wanted = [m.strip() for m in args.models.split(",") if m.strip()]
    tmp = tempfile.mkdtemp(prefix="tk-lambda-")
    rig = None
    pillow_py = benchlib.python_with("PIL")
    runners = {}
    if "thumbkit-bootstrap" in wanted:
        why = None
        if not bootstrap:
            why = "bootstrap not built (TK_BUILD_LAMBDA=ON)"
        elif not shutil.which("moto_server"):
            why = "moto_server not installed"
        else:
            try:
                import boto3  # noqa: F401
            except ImportError:
                why = "boto3 not importable by %s" % sys.executable
        if why is None:
            try:
                rig = BootstrapRig(bootstrap, files)
                runners["thumbkit-bootstrap"] = lambda g, c: rig.run(files, g, c)
            except Exception as e:  # noqa: BLE001
                why = "local AWS did not start: %s" % e
        if why:
            notes.append("skipped thumbkit-bootstrap: " + why)
    if "thumbkit-driver" in wanted:
        if driver:
            outdir = os.path.join(tmp, "tk")
            os.makedirs(outdir)
            runners["thumbkit-driver"] = lambda g, c: run_file_model(
                lambda: [driver, "-o", outdir, "--stdin"], files, g, c)
        else:
            notes.append("skipped thumbkit-driver: bench/tk_bench_run not built (TK_BUILD_BENCH=ON)")
    if "pillow-handler" in wanted:
        if pillow_py:
            runners["pillow-handler"] = lambda g, c: run_file_model(
                lambda: [pillow_py, os.path.join(BENCH, "peers", "pillow_thumbs.py"), "--stdin", "-", "256", "85"],
                files, g, c)
        else:
            notes.append("skipped pillow-handler: Python with Pillow not found (apt-get install python3-pil)")
    models = [m for m in wanted if m in runners]

    rows = []
    try:
        if cg is not None and cg.kind:
            # sizes outer, models inner: machine noise falls on every model alike
            for mb in sizes:
                for model in models:
                    sessions, peak, kills = [], 0, 0
                    for _k in range(max(1, args.cold_starts)):
                        g = cg.create(mb)
                        try:
                            sessions += runners[model](g, cpus_for(mb))
                            peak = max(peak, g.peak_bytes() or 0)
                            kills += g.oom_kills() or 0
                        finally:
                            g.destroy()
                    row = summarize(model, mb, sessions, peak, kills, args.cold_every)
                    rows.append(row)
                    print("%-18s %5d MB  p50 %8.1f  p95 %8.1f ms  init %7.1f ms  peak %6.1f MB  oom %d" % (
                        model, mb, row["p50_ms"] or -1, row["p95_ms"] or -1, row["init_ms"] or -1,
                        row["peak_mb"] or row["maxrss_mb"], row["oom"]), file=sys.stderr)
            rows.sort(key=lambda r: (models.index(r["model"]), r["memory_mb"]))
        else:  # MODEL: one unthrottled run per model, scaled
            for model in models:
                sessions = []
                for _k in range(max(1, args.cold_starts)):
                    sessions += runners[model](None, {0})
                base = summarize(model, FULL_VCPU_MB, sessions, 0, 0, args.cold_every)
                for mb in sizes:
                    k = max(1.0, FULL_VCPU_MB / mb)
                    scaled = [{"init_ms": (s["init_ms"] or 0) * k if s["init_ms"] is not None else None,
                               "durations": [(f, ms * k if ms is not None else None, ok) for f, ms, ok in s["durations"]],
                               "killed": False, "maxrss_kb": s["maxrss_kb"]} for s in sessions]
                    row = summarize(model, mb, scaled, 0, 0, args.cold_every, note="modelled")
                    row["oom"] = int(base["maxrss_mb"] > mb)
                    rows.append(row)
    finally:
        if rig is not None:
            rig.close()
        shutil.rmtree(tmp, ignore_errors=True)

    stamp = benchlib.stamp()
    cmd = "bench/lambda-tuning/run " + " ".join(argv if argv is not None else sys.argv[1:])
    rep = {"date": stamp["date"], "commit": stamp["commit"], "command": cmd.strip(), "mode": mode,
           "folder": folder, "host": benchlib.host_info(), "models": models, "rows": rows, "notes": notes,
           "cold_every": args.cold_every, "rss_method": rss_method, "p95_target": args.p95_target,
           "prices": {"gb_s": PRICE_GB_S, "request": PRICE_REQUEST}, "recommend": recommend(rows, args.p95_target)}
    out_prefix = args.out or os.path.join(REPO, "bench", "results", "lambda-" + stamp["tag"])
    os.makedirs(os.path.dirname(os.path.abspath(out_prefix)), exist_ok=True)
    md = render(rep)
    with open(out_prefix + ".json", "w") as fh:
        json.dump(rep, fh, indent=2)
    with open(out_prefix + ".md", "w") as fh:
        fh.write(md)
    chart = "" if args.no_chart or not rows else benchlib.plot("lambda", out_prefix + ".json", out_prefix + ".png")
    print(md)
    if chart:
        print(chart)
    print("wrote %s.{json,md%s}" % (out_prefix, ",png" if os.path.exists(out_prefix + ".png") else ""))
    return 0


def recommend(rows, target):
    out = {}
    for model in sorted({r["model"] for r in rows}):
        ok = [r for r in rows if r["model"] == model and not r["oom"] and not r["failed"] and r["p95_ms"]]
        meet = [r for r in ok if target is None or r["p95_ms"] <= target]
        cheapest = min(meet, key=lambda r: r["cost_per_million"]) if meet else None
        fastest = min(ok, key=lambda r: r["p95_ms"]) if ok else None
        out[model] = {"cheapest_mb": cheapest["memory_mb"] if cheapest else None,
                      "fastest_mb": fastest["memory_mb"] if fastest else None}
    return out


def _f(v, spec="%.1f"):
    return "—" if v is None else spec % v


def render(rep):
    L = ["### Lambda memory sizes — %s" % rep["mode"], "",
         "`%s` — %s, commit %s, %s; %s." % (rep["command"], rep["date"], rep["commit"], rep["host"], rep["folder"]), "",
         "CPU = memory/1769 of one vCPU (CFS quota, period 100 ms), memory limit = the size. Durations per image"
         " (invocation), warm and the first of each process; init = process start until ready (first /next)."
         " Cost per million images: billed ms (rounded up) x GB x $%.10f + $0.20 per million requests;"
         " 'with cold' adds one init per %d invocations." % (rep["prices"]["gb_s"], rep["cold_every"]), "",
         "| model | MB | vCPU | p50 ms | p95 ms | CPU p50 ms | first ms | init ms | peak MB (RSS) | OOM | failed | $/M warm | $/M with cold |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rep["rows"]:
        peak = "%s (%.0f)" % (_f(r["peak_mb"]), r["maxrss_mb"])
        L.append("| %s | %d | %.2f | %s | %s | %s | %s | %s | %s | %d | %d | %s | %s |" % (
            r["model"], r["memory_mb"], r["vcpu"], _f(r["p50_ms"]), _f(r["p95_ms"]), _f(r.get("cpu_p50_ms")), _f(r["first_ms"]),
            _f(r["init_ms"]), peak, r["oom"], r["failed"], _f(r["cost_per_million_warm"], "%.2f"),
            _f(r["cost_per_million"], "%.2f")))
    L.append("")
    boot = [r for r in rep["rows"] if r["model"] == "thumbkit-bootstrap" and r["compute_p50_ms"] is not None]
    if boot:
        L.append("thumbkit-bootstrap split (p50 per size, from its log lines): " + ", ".join(
            "%d MB: compute %.1f ms + S3 %.1f ms" % (r["memory_mb"], r["compute_p50_ms"], r["s3_p50_ms"] or 0)
            for r in boot) + ". S3 is a local moto server on the other core, not real S3.")
        L.append("")
    tgt = rep["p95_target"]
    for model, rec in rep["recommend"].items():
        L.append("- **%s**: cheapest%s: %s MB; fastest (lowest p95): %s MB" % (
            model, " meeting p95 ≤ %.0f ms" % tgt if tgt else "", rec["cheapest_mb"] or "none", rec["fastest_mb"] or "none"))
    L.append("- peak MB: the cgroup's memory high-water mark (memory.max_usage_in_bytes / memory.peak: what the"
             " process charged inside the group, not shared library pages already cached); (RSS): " + rep["rss_method"])
    for n in rep["notes"]:
        L.append("- " + n)
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    sys.exit(main())
