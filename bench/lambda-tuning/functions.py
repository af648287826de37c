"""The functions under test, each a Lambda handler process driven through the Runtime API.

  thumbkit         the real `bootstrap` (adapter-lambda)
  pillow-best      pillow_handler.best under python_runtime.py (best-practice Pillow)
  pillow-workshop  pillow_handler.workshop under python_runtime.py (full decode, for the record)

The rig: one moto server (S3), the S3 model proxy in front of it (s3_model_proxy.py), and per
function process a Runtime API emulator (tests/lambda/emulator) that hands it one S3
notification per image. Duration = event queued -> response posted, as the emulator sees it;
init = process start -> first /next. moto, the proxy and the emulator stay on core 1; the
function runs on core 0 (both cores above 1769 MB) inside the size's cgroup.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import cgroups

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "lambda", "e2e"))
import benchlib  # noqa: E402

MODELS = ("thumbkit", "pillow-best", "pillow-workshop")
INVOCATION_TIMEOUT_S = 300


class LineProc:
    """A child whose stdout lines are collected (parsed as JSON where they are)."""

    def __init__(self, argv, env, preexec):
        argv, self.report = benchlib.wrap_rss(argv)
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.err,
                                     env=env, preexec_fn=preexec)
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in self.proc.stdout:
            try:
                self.lines.append(json.loads(raw))
            except ValueError:
                self.lines.append(None)

    def exited(self):
        """Whether the child has exited, without reaping it (finish() reads its rusage)."""
        try:
            return os.waitid(os.P_PID, self.proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return True

    def finish(self, timeout=60):
        """Wait for the exit (kill after @p timeout s). @return (exit code, maxrss kB, signal)."""
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
            sys.stderr.write("exit %d:\n%s\n" % (self.proc.returncode, err[-3000:]))  # sanitizer reports too
        return self.proc.returncode, rep.get("maxrss_kb", ru.ru_maxrss), sig


def s3_event(bucket, key, size):
    return {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
                         "eventName": "ObjectCreated:Put",
                         "s3": {"bucket": {"name": bucket},
                                "object": {"key": urllib.parse.quote_plus(key), "size": size}}}]}


class Rig:
    """moto + the S3 model proxy, the source objects uploaded, and the three functions."""

    def __init__(self, bootstrap, pillow_py, files, s3_model, tmp):
        import localaws  # noqa: E402  (boto3 + moto_server)
        import runtime_emulator  # noqa: E402
        self.la, self.tmp = localaws, tmp
        self.Emulator = runtime_emulator.RuntimeEmulator
        self.moto = localaws.MotoServer().start()
        self.proxy, self.proxy_log = None, os.path.join(tmp, "s3-model.jsonl")
        try:
            self._pin(self.moto.proc.pid)
            s3 = self.moto.client("s3")
            self.src, self.dst = "tk-bench-src", "tk-bench-dst"
            s3.create_bucket(Bucket=self.src)
            s3.create_bucket(Bucket=self.dst)
            self.keys = {}
            for i, f in enumerate(files):
                key = "%03d-%s" % (i, os.path.basename(f))
                with open(f, "rb") as fh:
                    s3.put_object(Bucket=self.src, Key=key, Body=fh.read())
                self.keys[f] = (key, os.path.getsize(f))
            url = self.moto.url
            if s3_model is not None:
                url = self._start_proxy(s3_model)
        except BaseException:
            self.close()
            raise
        env = localaws.runtime_env(url, self.dst, extra={"AWS_LAMBDA_LOG_LEVEL": "INFO"})
        self.commands = {}
        if bootstrap:
            self.commands["thumbkit"] = ([bootstrap], env)
        if pillow_py:
            runtime = os.path.join(HERE, "python_runtime.py")
            for m, fn in (("pillow-best", "best"), ("pillow-workshop", "workshop")):
                self.commands[m] = ([pillow_py, runtime, "pillow_handler." + fn], env)
        # This process serves the emulators: keep it off the function's core.
        self._pin(os.getpid())

    @staticmethod
    def _pin(pid):
        if (os.cpu_count() or 1) > 1:
            try:
                os.sched_setaffinity(pid, {1})
            except OSError:
                pass

    def _start_proxy(self, m):
        argv = [sys.executable, os.path.join(HERE, "s3_model_proxy.py"), "--upstream", self.moto.url,
                "--get-latency-ms", str(m["get_latency_ms"]), "--put-latency-ms", str(m["put_latency_ms"]),
                "--mbps", str(m["mbps"]), "--log", self.proxy_log]
        self.proxy = subprocess.Popen(argv, stdout=subprocess.PIPE, preexec_fn=cgroups.preexec(None, {1}))
        line = self.proxy.stdout.readline()
        return "http://127.0.0.1:%d" % json.loads(line)["port"]

    def proxy_stats(self):
        """Requests through the S3 model and how many of them moto made late (overrun)."""
        try:
            with open(self.proxy_log) as fh:
                recs = [json.loads(x) for x in fh if x.strip()]
        except OSError:
            return None
        late = [r for r in recs if r["overrun_ms"] > 1.0]
        return {"requests": len(recs), "overruns": len(late),
                "max_overrun_ms": max((r["overrun_ms"] for r in late), default=0.0)}

    def close(self):
        if self.proxy is not None and self.proxy.poll() is None:
            self.proxy.terminate()
            self.proxy.wait(10)
        self.moto.stop()

    def run(self, model, files, group, cpus):
        """Every file of @p files as one invocation of @p model, in processes started inside
        @p group; a process that dies (OOM) is replaced by a cold one for the rest.
        @return the sessions: [{init_ms, invocations: [{file, ms, ok, s3_ms}], killed, maxrss_kb}]"""
        argv, env = self.commands[model]
        sessions, todo = [], list(files)
        while todo:
            emu = self.Emulator(timeout_ms=INVOCATION_TIMEOUT_S * 1000).start()
            e = dict(env, AWS_LAMBDA_RUNTIME_API=emu.endpoint)
            t0 = time.monotonic()
            lp = LineProc(argv, e, cgroups.preexec(group, cpus))
            init_ms, invs, died = None, [], False
            try:
                init_ms = (emu.wait_next_call(1, timeout=120) - t0) * 1e3
            except TimeoutError:
                died = True
            for f in todo if init_ms is not None else []:
                key, size = self.keys[f]
                q0 = time.monotonic()
                rid = emu.enqueue(s3_event(self.src, key, size))
                res, end = None, q0 + INVOCATION_TIMEOUT_S
                while res is None and time.monotonic() < end:
                    try:
                        res = emu.wait_result(rid, timeout=0.2)
                    except TimeoutError:
                        if lp.exited():
                            break
                if res is None:
                    invs.append({"file": f, "key": key, "ms": None, "ok": False})
                    died = True
                    break
                invs.append({"file": f, "key": key, "ms": (res.received_at - q0) * 1e3,
                             "ok": res.kind == "response"})
            emu.stop_serving()  # a runtime exits by itself when /next fails
            rc, rss, sig = lp.finish(timeout=10)
            emu.stop()
            self._attach_logs(invs, lp.lines)
            sessions.append({"init_ms": init_ms, "invocations": invs, "killed": died and sig == 9,
                             "died": died, "rc": rc, "signal": sig, "maxrss_kb": rss})
            if not invs:
                break  # died before its first invocation: give up on this size
            todo = todo[len(invs):]
        return sessions

    @staticmethod
    def _attach_logs(invs, lines):
        """Give each successful invocation its S3 time from the function's own log line (one
        "thumbnail written" per image, in order); an invocation without one wrote no thumbnail."""
        logs = {}
        for o in lines:
            if o and o.get("message") == "thumbnail written":
                logs.setdefault(o.get("key"), []).append(o)
        for inv in invs:
            q = logs.get(inv["key"]) or []
            if inv["ok"] and q:
                o = q.pop(0)
                inv["s3_ms"] = (o.get("getMs") or 0.0) + (o.get("putMs") or 0.0)
            elif inv["ok"]:
                inv["ok"], inv["why"] = False, "no thumbnail written"


def probe_thumbkit(driver, files):
    """The files thumbkit's engine thumbnails (tk_bench_run, the public API).
    @return ({file: "ok" | status}, {file: [width, height]})"""
    out, dims = {}, {}
    if not driver or not files:
        return out, dims
    r = benchlib.run_measured([driver] + list(files), timeout=600)
    for o in benchlib.json_lines(r["stdout"]):
        if "file" in o:
            out[o["file"]] = o.get("status", "?")
            if o.get("src"):
                dims[o["file"]] = o["src"]
    return out, dims


def probe_pillow(pillow_py, files):
    """The files Pillow opens: {file: "ok" | error}."""
    out = {}
    if not pillow_py or not files:
        return out
    r = benchlib.run_measured([pillow_py, os.path.join(HERE, "make_images.py"), "info"] + list(files), timeout=600)
    for o in benchlib.json_lines(r["stdout"]):
        out[o["file"]] = o.get("error") or "ok"
    return out
