"""The chart of bench/lambda-tuning/run, in the style of AWS Lambda Power Tuning's: memory sizes
along the bottom, duration (here p95) on the left axis and cost on the right, one colour per
handler (solid: p95, dashed: cost per million images, x86_64). usage: chart.py IN.json OUT.png"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from plot import plain_log_axis  # noqa: E402  (bench/plot.py: readable log-scale ticks)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from costs import Prices, on_images  # noqa: E402

COLOURS = {"thumbkit": "#e4572e", "pillow-best": "#2e86ab", "pillow-workshop": "#8e8e8e"}
LABELS = {"thumbkit": "thumbkit", "pillow-best": "Pillow best practice", "pillow-workshop": "Pillow workshop"}


def main(src, dst):
    with open(src) as fh:
        rep = json.load(fh)
    sizes = rep["sizes"]
    x = list(range(len(sizes)))
    fig, ax = plt.subplots(figsize=(10, 5.6))
    ax2 = ax.twinx()
    all_p95 = []
    # Every handler on the photos they all read; where thumbkit read more (HEIC, which Pillow
    # does not), thumbkit on all of them too, in a lighter line.
    common = set(rep["compare"]["common_images"])
    every = {i["file"] for i in rep["workload"]["items"]}
    prices = Prices.from_dict(rep["prices"])
    lines = [(m, common, LABELS.get(m, m), 1.0) for m in rep["models"]]
    if "thumbkit" in rep["models"] and every - common:
        lines.append(("thumbkit", every, "thumbkit, with HEIC", 0.35))
    for m, names, label, alpha in lines:
        rows = {r["memory_mb"]: on_images(r, names, prices) for r in rep["rows"] if r["model"] == m}
        p95 = [rows[s]["p95_ms"] if rows.get(s) else float("nan") for s in sizes]
        cost = [rows[s]["cost"]["x86_64"]["total"] if rows.get(s) else float("nan") for s in sizes]
        all_p95 += p95
        c = COLOURS.get(m, "#444444")
        ax.plot(x, p95, "o-", color=c, alpha=alpha, label="%s p95" % label)
        ax2.plot(x, cost, "s--", color=c, alpha=0.8 * alpha, label="%s $/M" % label)
    if rep.get("p95_target_ms"):
        ax.axhline(rep["p95_target_ms"], color="#555555", lw=0.8, ls=":")
        ax.annotate("p95 target %.0f ms" % rep["p95_target_ms"], (x[-1], rep["p95_target_ms"]), fontsize=8,
                    ha="right", va="bottom", color="#555555")
    ax.set_yscale("log")
    plain_log_axis(ax, [v for v in all_p95 if v == v] + [rep.get("p95_target_ms") or 0])
    ax.set_xticks(x)
    ax.set_xticklabels([str(s) for s in sizes])
    ax.set_xlabel("memory size, MB")
    ax.set_ylabel("p95 invocation time, ms (solid, log scale)")
    ax2.set_ylabel("USD per million images, x86_64 (dashed)")
    ax2.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3)
    s3 = rep.get("s3_model")
    s3_txt = "S3 %.0f/%.0f ms, %.0f MB/s" % (s3["get_latency_ms"], s3["put_latency_ms"], s3["mbps"]) if s3 else "no S3 model"
    ax.set_title("Lambda memory sizes, workload %s (%s) — %s, %s" % (rep["workload"]["name"], s3_txt, rep["date"],
                                                                     rep["commit"]), fontsize=9)
    fig.tight_layout()
    fig.savefig(dst, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
