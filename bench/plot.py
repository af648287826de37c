"""Charts for the bench reports (matplotlib, Agg). usage: plot.py peers|micro IN.json OUT.png
(bench/lambda-tuning draws its own chart with lambda-tuning/chart.py.)"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FixedLocator, ScalarFormatter  # noqa: E402


def plain_log_axis(ax, values, headroom=1.5):
    """Log scale with readable numbers (1, 2, 5, 10, 20, 50 ...) instead of powers of ten;
    @p headroom above the tallest bar (room for a legend)."""
    vals = [v for v in values if v and v > 0]
    if not vals:
        return
    lo, hi = min(vals) / 1.5, max(vals) * headroom
    ticks = [m * 10 ** e for e in range(-1, 5) for m in (1, 2, 5) if lo <= m * 10 ** e <= hi]
    ax.set_ylim(lo, hi)  # matplotlib's own limits for bars on a log axis cut off the low ticks
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.yaxis.set_minor_formatter(plt.NullFormatter())


def peers(rep, out):
    names = list(rep["tools"])
    t = rep["tools"]
    batch = [t[n]["batch_ms_per_image"] or 0 for n in names]
    per = [t[n]["per_image_median_ms"] or 0 for n in names]
    cpu = [t[n].get("cpu_ms_per_image") or 0 for n in names]
    rss = [t[n]["maxrss_kb"] / 1024.0 for n in names]
    psnr = [(t[n].get("psnr") or {}).get("mean") for n in names]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    x = range(len(names))
    a1.bar([i - 0.27 for i in x], batch, 0.27, label="batch: wall ÷ images", color="#4c72b0")
    a1.bar(list(x), cpu, 0.27, label="batch: CPU ÷ images", color="#64b5cd")
    a1.bar([i + 0.27 for i in x], per, 0.27, label="per-image median (timed inside)", color="#55a868")
    for i, (b, p) in enumerate(zip(batch, psnr)):
        if p is not None:
            a1.annotate("%.1f dB" % p, (i - 0.27, b), ha="center", va="bottom", fontsize=8)
    a1.set_xticks(list(x))
    a1.set_xticklabels(names, rotation=15)
    a1.set_ylabel("ms per image (lower is better)")
    a1.set_yscale("log")
    plain_log_axis(a1, batch + cpu + per, headroom=3.0)
    a1.legend(fontsize=8)
    a1.set_title("Time per image, one core (PSNR vs Lanczos3 reference on bars)", fontsize=9)
    big = (rep.get("big") or {}).get("tools") or {}
    if big:
        a2.bar([i - 0.2 for i in x], rss, 0.4, color="#c44e52", label="the folder (max)")
        a2.bar([i + 0.2 for i in x], [big.get(n, {}).get("maxrss_kb", 0) / 1024.0 for n in names], 0.4,
               color="#8172b2", label="one 24 MP JPEG")
        a2.legend(fontsize=8)
    else:
        a2.bar(list(x), rss, color="#c44e52")
    a2.set_xticks(list(x))
    a2.set_xticklabels(names, rotation=15)
    a2.set_ylabel("peak RSS, MB")
    a2.set_title("Peak RSS of the process", fontsize=9)
    fig.suptitle("%s — %s, %s" % (rep["folder"], rep["date"], rep["commit"]), fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def micro(rep, out):
    rows = rep["headline"]
    names = [r["name"] for r in rows]
    ms = [r["ms"] for r in rows]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.2))
    ax.barh(range(len(rows)), ms, color=["#c44e52" if "Pillow" in n else "#8172b2" if "memcpy" in n else "#4c72b0"
                                         for n in names])
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(names, fontsize=8)
    ax.invert_yaxis()
    for i, v in enumerate(ms):
        ax.annotate(" %.1f ms" % v, (v, i), va="center", fontsize=8)
    ax.set_xlabel("ms (median), one core")
    ax.set_title("RGB 4928x3279 -> 852x567 Lanczos3 — %s, %s" % (rep["date"], rep["commit"]), fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    kind, src, dst = sys.argv[1:4]
    with open(src) as fh:
        data = json.load(fh)
    {"peers": peers, "micro": micro}[kind](data, dst)
