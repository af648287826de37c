"""What a million images cost at one memory size, and which size to recommend.

Prices (AWS Lambda pricing page, US East (N. Virginia), first tier; parameters of the run):
x86_64 $0.0000166667 and arm64 $0.0000133334 per GB-second, $0.20 per million requests.
Billed duration is each invocation's duration rounded up to 1 ms. Init (a cold start) is
billed like the handler's time (custom runtimes always were; managed runtimes since
1 August 2025) and happens once per COLD_EVERY invocations.

arm64 has no measurement here yet: its durations are the x86 ones with the compute part (all
but the S3 time) and the init multiplied by a stated Graviton-to-x86 time ratio.
"""
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchlib import percentile  # noqa: E402

PRICE_GB_S_X86 = 0.0000166667
PRICE_GB_S_ARM64 = 0.0000133334
PRICE_REQUEST = 0.20 / 1e6


class Prices:
    """The price model of one run (all parameters)."""

    def __init__(self, gb_s_x86=PRICE_GB_S_X86, gb_s_arm64=PRICE_GB_S_ARM64, request=PRICE_REQUEST,
                 cold_every=100, arm64_ratio=1.0):
        self.gb_s = {"x86_64": gb_s_x86, "arm64": gb_s_arm64}
        self.request, self.cold_every, self.arm64_ratio = request, cold_every, arm64_ratio

    def as_dict(self):
        return {"gb_s_x86_64": self.gb_s["x86_64"], "gb_s_arm64": self.gb_s["arm64"],
                "request": self.request, "cold_every": self.cold_every, "arm64_time_ratio": self.arm64_ratio}

    @classmethod
    def from_dict(cls, d):
        return cls(d["gb_s_x86_64"], d["gb_s_arm64"], d["request"], d["cold_every"], d["arm64_time_ratio"])


def per_million(prices, mb, invocations, init_ms, arch="x86_64"):
    """Cost per million invocations, split by what it pays for.
    @param invocations  [(duration ms, S3 ms or None)] of the successful invocations
    @return {"total", "request", "s3", "compute", "init"} in USD per million, or None"""
    if not invocations:
        return None
    gb, price = mb / 1024.0, prices.gb_s[arch]
    k = prices.arm64_ratio if arch == "arm64" else 1.0
    billed, s3_part = [], []
    for ms, s3 in invocations:
        s3 = min(s3 or 0.0, ms)
        d = s3 + (ms - s3) * k
        billed.append(math.ceil(d))
        s3_part.append(s3)
    mean_billed_s = statistics.mean(billed) / 1e3
    mean_s3_s = statistics.mean(s3_part) / 1e3
    out = {"request": prices.request * 1e6,
           "s3": mean_s3_s * gb * price * 1e6,
           "compute": (mean_billed_s - mean_s3_s) * gb * price * 1e6,
           "init": 0.0}
    if init_ms is not None and prices.cold_every:
        out["init"] = math.ceil(init_ms * k) / 1e3 * gb * price / prices.cold_every * 1e6
    out["total"] = out["request"] + out["s3"] + out["compute"] + out["init"]
    return out


def on_images(row, names, prices):
    """One report row counted on the images named in @p names only (the photos every compared
    handler read): {"p95_ms", "cost": {arch: per_million()}}, or None when one of them failed
    there, the size was OOM-killed, or none of them ran."""
    same = [i for i in row["invocation_list"] if i["file"] in names]
    if row["oom"] or not same or not all(i["ok"] for i in same):
        return None
    pairs = [(i["ms"], i["s3_ms"]) for i in same]
    return {"p95_ms": percentile([i["ms"] for i in same], 95),
            "cost": {a: per_million(prices, row["memory_mb"], pairs, row["init_ms"], a) for a in ("x86_64", "arm64")}}


def dominant(split):
    """The largest of request fee, S3 wait, compute and init in a per_million() split."""
    parts = {"request fee": split["request"], "S3 wait": split["s3"], "compute": split["compute"],
             "cold-start init": split["init"]}
    return max(parts, key=parts.get)


def recommend(rows, target_ms, arch="x86_64"):
    """Per model: the cheapest size whose p95 meets @p target_ms (no OOM, no failure), and the
    fastest (lowest p95) size whose cost is within 10 % of that cheapest one."""
    out = {}
    for model in sorted({r["model"] for r in rows}):
        ok = [r for r in rows if r["model"] == model and not r["oom"] and not r["failed"]
              and r["p95_ms"] is not None and r["cost"].get(arch)]
        meet = [r for r in ok if target_ms is None or r["p95_ms"] <= target_ms]
        rec = {"cheapest_mb": None, "cheapest_cost": None, "cheapest_p95": None,
               "fastest_within_10pct_mb": None, "fastest_cost": None, "fastest_p95": None}
        if meet:
            c = min(meet, key=lambda r: (r["cost"][arch]["total"], r["memory_mb"]))
            near = [r for r in meet if r["cost"][arch]["total"] <= 1.10 * c["cost"][arch]["total"]]
            f = min(near, key=lambda r: (r["p95_ms"], r["memory_mb"]))
            rec.update(cheapest_mb=c["memory_mb"], cheapest_cost=c["cost"][arch]["total"], cheapest_p95=c["p95_ms"],
                       fastest_within_10pct_mb=f["memory_mb"], fastest_cost=f["cost"][arch]["total"],
                       fastest_p95=f["p95_ms"])
        out[model] = rec
    return out
