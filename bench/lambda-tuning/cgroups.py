"""Lambda memory sizes emulated with cgroups, and the check that the emulation holds.

Lambda gives a function CPU in proportion to its memory: one vCPU at 1769 MB, memory/1769 of
a vCPU below (and about 1.7 vCPUs at 3008 MB). Each size is a cgroup with a CFS quota of
period x memory/1769 (v1 cpu.cfs_quota_us, v2 cpu.max) and a memory limit of the size (v1
memory.limit_in_bytes, v2 memory.max, swap off). The period is 20 ms by default: measured on
Lambda, a throttled function pauses in steps of about 20 ms (README: sources). The period
matters for a function that waits on S3: with a long one, a short burst of compute fits in
one period's quota and is never slowed down. calibrate() measures the CPU share a busy
process really gets in each group.
"""
import json
import os
import subprocess
import sys
import time

FULL_VCPU_MB = 1769.0
PERIOD_US = 20000
TOLERANCE = 0.05  # the calibration's bound: measured share within 5 % of memory/1769


def target_share(mb):
    return mb / FULL_VCPU_MB


def cpus_for(mb):
    """Cores a size may use: core 0 up to one vCPU, both cores above (the quota caps the
    total). The bench's own processes (emulator, moto, S3 model) stay on core 1."""
    n = os.cpu_count() or 1
    return {0} if mb <= FULL_VCPU_MB or n < 2 else {0, 1}


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
        """In a (forked) child: move it into the group."""
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
    """Finds a writable cgroup hierarchy (v1 cpu+memory, or v2 with cpu and memory); kind is
    None (and why says why) when there is none."""

    def __init__(self, period_us=PERIOD_US):
        self.kind, self.why = None, ""
        self.base, self.period_us = {}, int(period_us)
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
            self.create(256, "probe").destroy()
            return True
        except OSError as e:
            self.kind, self.base = None, {}
            self.why = "%s: %s" % (kind, e)
            return False

    def create(self, mb, tag="", cpu_limit=True):
        """A group for @p mb MB; without @p cpu_limit only the memory is limited."""
        name = "tk-lambda-%d-%s%d" % (os.getpid(), tag, mb)
        quota = int(round(self.period_us * target_share(mb))) if cpu_limit else -1
        limit = int(mb) << 20
        if self.kind == "v1":
            dirs = {c: os.path.join(self.base[c], name) for c in ("cpu", "memory")}
            for d in dirs.values():
                os.makedirs(d, exist_ok=True)
            g = Cgroup("v1", dirs)
            try:
                _write(os.path.join(dirs["cpu"], "cpu.cfs_period_us"), self.period_us)
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
            _write(os.path.join(d, "cpu.max"), "%s %d" % (quota if quota > 0 else "max", self.period_us))
            _write(os.path.join(d, "cpu.weight"), 10000)
            _write(os.path.join(d, "memory.max"), limit)
            if os.path.exists(os.path.join(d, "memory.swap.max")):
                _write(os.path.join(d, "memory.swap.max"), 0)
        except OSError:
            g.destroy()
            raise
        return g


def preexec(group, cpus):
    """A preexec_fn that puts the child into @p group (if any) and onto @p cpus."""
    def fn():
        if group is not None:
            group.enter()
        try:
            os.sched_setaffinity(0, cpus)
        except OSError:
            pass
    return fn


# The spinner: sleeps until START (a CLOCK_MONOTONIC time shared by every spinner), then burns
# CPU until END and prints the CPU time it got in between. Start-up costs are outside the window.
SPINNER = r"""
import json, sys, time
start, end = float(sys.argv[1]), float(sys.argv[2])
while time.monotonic() < start:
    time.sleep(max(0.0, min(0.05, start - time.monotonic())))
c0 = time.process_time()
n = 0
while time.monotonic() < end:
    n += 1
print(json.dumps({"cpu_s": time.process_time() - c0, "wall_s": time.monotonic() - start}))
"""


def calibrate(cg, sizes, seconds):
    """Measure the CPU share each size's group really gives: one busy process per core the
    size may use, CPU seconds received over a shared wall window of @p seconds. The quota's
    granularity alone can move the result by at most one period's quota over the window
    (0.4 % at 5 s with 20 ms periods). @return one row per size."""
    rows = []
    for mb in sizes:
        g = cg.create(mb, "cal")
        cpus = cpus_for(mb)
        try:
            start = time.monotonic() + 1.0  # interpreter start-up at 0.07 vCPU takes ~0.5 s
            end = start + seconds
            procs = [subprocess.Popen([sys.executable, "-c", SPINNER, repr(start), repr(end)],
                                      stdout=subprocess.PIPE, preexec_fn=preexec(g, {c}))
                     for c in sorted(cpus)]
            got = [json.loads(p.communicate(timeout=seconds + 60)[0] or b"{}") for p in procs]
        finally:
            g.destroy()
        cpu = sum(x.get("cpu_s", 0.0) for x in got)
        wall = max((x.get("wall_s", 0.0) for x in got), default=0.0)
        target = min(target_share(mb), float(len(cpus)))
        share = cpu / wall if wall else 0.0
        err = share / target - 1.0
        rows.append({"memory_mb": mb, "target": target, "measured": share, "error": err,
                     "ok": abs(err) <= TOLERANCE, "seconds": wall, "processes": len(cpus)})
    return rows
