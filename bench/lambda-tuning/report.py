"""The Markdown report of bench/lambda-tuning/run, its README lines and its chart."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import benchlib  # noqa: E402

GOAL_RATIO = 1.0 / 3.0  # thumbkit's cost per million photos against Pillow's best practice (issue #13)
LABELS = {"thumbkit": "thumbkit (bootstrap)", "pillow-best": "Pillow best practice",
          "pillow-workshop": "Pillow workshop (full decode)"}


def _f(v, spec="%.1f"):
    return "—" if v is None else spec % v


def _usd(v):
    return "—" if v is None else "$%.2f" % v


def _total(row, arch):
    c = row["cost"].get(arch)
    return c["total"] if c else None


def verdict(rep):
    """The answer of issue #13 for this workload: sizes, costs at each handler's own size, ratio."""
    cmp_, rec, tgt = rep["compare"], rep["recommend"], rep["p95_target_ms"]
    L = ["## Verdict — workload `%s`" % rep["workload"]["name"], ""]
    tk = rec.get("thumbkit")
    if tk and tk["cheapest_mb"]:
        L.append("- **Recommended memory size for thumbkit: %d MB** — the cheapest size whose p95 meets %.0f ms "
                 "(p95 %.0f ms, %s per million images). The fastest size within 10 %% of that cost: %d MB (p95 %.0f ms, %s)."
                 % (tk["cheapest_mb"], tgt, tk["cheapest_p95"], _usd(tk["cheapest_cost"]), tk["fastest_within_10pct_mb"],
                    tk["fastest_p95"], _usd(tk["fastest_cost"])))
    elif tk:
        L.append("- **No size meets p95 ≤ %.0f ms for thumbkit** on the whole workload (below: on the images "
                 "Pillow reads too)." % tgt)
    n = len(cmp_.get("common_images", []))
    parts = []
    for m in ("thumbkit", "pillow-best", "pillow-workshop"):
        c = cmp_.get(m)
        if c and c["cost"]["x86_64"]:
            parts.append("%s %s at %d MB" % (LABELS[m], _usd(c["cost"]["x86_64"]["total"]), c["memory_mb"]))
        elif m in rep["models"]:
            parts.append("%s: no size meets the target" % LABELS[m])
    if parts:
        L.append("- Cost per million images (x86_64) on the %d images both thumbkit and Pillow ran, each handler "
                 "at its own cheapest size whose p95 on those images meets the target: %s." % (n, "; ".join(parts)))
    if "ratio_x86_64" in cmp_:
        r = cmp_["ratio_x86_64"]
        L.append("- **thumbkit ÷ Pillow best practice = %.2f** (goal ≤ %.2f: %s); arm64 prices: %.2f."
                 % (r, GOAL_RATIO, "**met**" if r <= GOAL_RATIO else "**missed**", cmp_["ratio_arm64"]))
    small = min((r for r in rep["rows"] if r["model"] == "thumbkit" and r["cost"]["x86_64"]),
                key=lambda r: r["memory_mb"], default=None)
    if small and "ratio_x86_64" in cmp_:
        s = small["cost"]["x86_64"]
        floor = s["request"] + s["s3"] + s["init"]
        L.append("- The floor: with no compute at all, thumbkit at %d MB would still pay %s per million (request fee "
                 "%s, S3 wait %s, init %s), %.2f of Pillow's cost: engine speed alone cannot take the ratio below that."
                 % (small["memory_mb"], _usd(floor), _usd(s["request"]), _usd(s["s3"]), _usd(s["init"]),
                    floor / cmp_["pillow-best"]["cost"]["x86_64"]["total"]))
    for m in ("thumbkit", "pillow-best"):
        c = cmp_.get(m)
        if c and c["cost"]["x86_64"]:
            s = c["cost"]["x86_64"]
            L.append("- What %s pays for at %d MB: compute %s, S3 wait %s, request fee %s, cold-start init %s "
                     "(per million) — %s dominates." % (LABELS[m], c["memory_mb"], _usd(s["compute"]), _usd(s["s3"]),
                                                        _usd(s["request"]), _usd(s["init"]), c["dominant"]))
    if rep["workload"].get("heic"):
        L.append("- " + rep["workload"]["heic"] + ".")
    bad = [c for c in rep["calibration"] if not c["ok"]]
    if bad:
        L.append("- **The CPU calibration failed at %s MB** (measured share more than 5 %% from memory/1769, load %s → %s): "
                 "durations at those sizes do not show what Lambda would give, so neither do their costs."
                 % (", ".join(str(c["memory_mb"]) for c in bad), rep["host_start"].rsplit("load ", 1)[-1],
                    rep["host_end"].rsplit("load ", 1)[-1]))
    elif not rep["calibration"]:
        L.append("- The CPU calibration was not run (--calibrate-seconds 0): the CPU model is unchecked.")
    return L


def models_section(rep):
    w, L = rep["workload"], []
    L += ["## What was run", "",
          "Workload `%s`: %s; %d images, %d pass%s over them (%d invocations per size and handler at most), "
          "in %d processes per size and handler (each one a cold start)."
          % (w["name"], w["description"], len(w["items"]), w["rounds"], "" if w["rounds"] == 1 else "es",
             len(w["items"]) * w["rounds"], rep["cold_starts"]), "",
          "| image | kind | pixels | MB |", "|---|---|---:|---:|"]
    for i in w["items"]:
        px = "%d×%d (%.1f MP)" % (i["pixels"][0], i["pixels"][1], i["pixels"][0] * i["pixels"][1] / 1e6) if i.get("pixels") else "—"
        L.append("| %s | %s%s | %s | %.2f |" % (i["file"], i["kind"], " — " + i["note"] if i["note"] else "", px,
                                                i["bytes"] / 1e6))
    L.append("")
    L.append("Handlers, each a Lambda handler process driven through the Runtime API (project emulator), doing S3 GET → "
             "256 px thumbnail → S3 PUT: **thumbkit** — the real `bootstrap` (Lanczos3, JPEG q85); **Pillow best "
             "practice** — `Image.thumbnail((256, 256))` with draft-mode decode, then `ImageOps.exif_transpose`, JPEG q85; "
             "**Pillow workshop** — full decode, `resize((128, 128))`, JPEG at Pillow's default quality (for the record). "
             "Python handlers: boto3 client created at init, a standard-library Runtime API loop standing in for the "
             "managed runtime.")
    L.append("")
    s3 = rep["s3_model"]
    if s3:
        st = rep.get("s3_model_stats") or {}
        L.append("**S3 model**: first-byte latency %.0f ms (GET) and %.0f ms (PUT), per-connection bandwidth %.0f MB/s "
                 "(10^6 bytes/s) both ways, through a loopback proxy in front of a local moto server (sources: "
                 "bench/lambda-tuning/README.md). %d requests went through it; moto answered later than the modelled "
                 "latency for %d of them (worst by %.1f ms), so those took longer than the model."
                 % (s3["get_latency_ms"], s3["put_latency_ms"], s3["mbps"], st.get("requests", 0), st.get("overruns", 0),
                    st.get("max_overrun_ms", 0.0)))
    else:
        L.append("**S3 model**: none (--no-s3-model): S3 is a local moto server, no in-region latency or bandwidth.")
    p = rep["prices"]
    L += ["", "**Prices** (AWS Lambda pricing, US East (N. Virginia), first tier): x86_64 $%.10f and arm64 $%.10f per "
          "GB-second, $%.2f per million requests; billed duration rounded up to 1 ms; one cold start (its init billed "
          "like the handler) per %d invocations. **arm64**: no measurement yet — x86 durations with the compute part and "
          "the init multiplied by a Graviton-to-x86 time ratio of %.2f (README: sources); S3 time unchanged."
          % (p["gb_s_x86_64"], p["gb_s_arm64"], p["request"] * 1e6, p["cold_every"], p["arm64_time_ratio"]), ""]
    L += ["**CPU model**: CFS quota = memory/1769 of each %.0f ms period (up to 1 vCPU on one core, both cores above "
          "1769 MB), memory limit = the size (%s). Calibration: one busy process per usable core, CPU seconds received "
          "over a shared window; bound ±%.0f %%." % (rep["cfs_period_ms"], rep["mode"], rep["calibration_tolerance"] * 100), ""]
    if rep["calibration"]:
        L += ["| MB | target vCPU | measured | error | within 5 % |", "|---:|---:|---:|---:|---|"]
        for c in rep["calibration"]:
            L.append("| %d | %.3f | %.3f | %+.1f %% | %s |" % (c["memory_mb"], c["target"], c["measured"], c["error"] * 100,
                                                             "yes" if c["ok"] else "**NO**"))
        L.append("")
    return L


def results_section(rep):
    L = ["## Results per size", "",
         "Durations per invocation (all successful ones, warm and the first of each process); first = median of the "
         "first invocation of each process; init = process start → first /next; compute = duration − S3 time the "
         "function logged; peak = the cgroup's memory high-water mark, (RSS) = ru_maxrss (%s). $/M = cost per million "
         "images with cold starts." % rep["rss_method"], "",
         "| handler | MB | vCPU | p50 ms | p95 ms | compute p50 | S3 p50 | first ms | init ms | peak MB (RSS) | OOM | failed | $/M x86_64 | $/M arm64 |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rep["rows"]:
        L.append("| %s | %d | %.2f | %s | %s | %s | %s | %s | %s | %s (%.0f) | %d | %d | %s | %s |" % (
            r["model"], r["memory_mb"], r["vcpu"], _f(r["p50_ms"]), _f(r["p95_ms"]), _f(r["compute_p50_ms"]),
            _f(r["s3_p50_ms"]), _f(r["first_ms"]), _f(r["init_ms"]), _f(r["peak_mb"]), r["maxrss_mb"], r["oom"],
            r["failed"], _f(_total(r, "x86_64"), "%.2f"), _f(_total(r, "arm64"), "%.2f")))
    L += ["", "Recommendation per handler (p95 target %.0f ms):" % rep["p95_target_ms"], ""]
    for arch, key in (("x86_64", "recommend"), ("arm64", "recommend_arm64")):
        for m, rec in rep[key].items():
            if rec["cheapest_mb"]:
                L.append("- %s, %s: cheapest meeting the target %d MB (%s, p95 %.0f ms); fastest within 10 %% of it %d MB "
                         "(%s, p95 %.0f ms)" % (m, arch, rec["cheapest_mb"], _usd(rec["cheapest_cost"]), rec["cheapest_p95"],
                                                rec["fastest_within_10pct_mb"], _usd(rec["fastest_cost"]), rec["fastest_p95"]))
            else:
                L.append("- %s, %s: no size meets the target" % (m, arch))
    return L + [""]


def oom_section(rep):
    oom = rep.get("oom_check")
    if not oom:
        return []
    L = ["## Memory: the smallest size that runs every workload", "",
         "Checked by running it: each handler on every workload (%s), one process per workload, sizes ascending, memory "
         "limited (CPU not limited here: memory use does not depend on the CPU share); a size passes with no OOM kill "
         "and no failed image." % ", ".join("%s: %d images" % kv for kv in rep["oom_workloads"].items()), "",
         "| handler | smallest size | peak MB at that size, per workload (cgroup / RSS) |", "|---|---:|---|"]
    for m, res in oom.items():
        last = res["tried"][-1] if res["tried"] else None
        peaks = ", ".join("%s %.0f / %.0f" % (n, w["peak_mb"], w["maxrss_mb"]) for n, w in last["workloads"].items()) if last else "—"
        fails = [(t["memory_mb"], n, w) for t in res["tried"] for n, w in t["workloads"].items() if w["oom"] or w["failed"]]
        note = "; below: " + ", ".join("%d MB %s: %d OOM, %d failed" % (mb, n, w["oom"], w["failed"]) for mb, n, w in fails) if fails else ""
        L.append("| %s | %s | %s%s |" % (m, "%d MB" % res["smallest_mb"] if res["smallest_mb"] else "none of those tried",
                                         peaks, note))
    return L + [""]


def _split(c):
    return " / ".join(_usd(c[k]) for k in ("compute", "s3", "request", "init"))


def readme_rows(rep):
    """README.md's Lambda block, made from this report: a line naming the run, then a table.
    README.md keeps it between its lambda-tuning markers (bench/lambda-tuning/README.md)."""
    cmp_, w = rep["compare"], rep["workload"]["name"]
    tk, best, shop = cmp_.get("thumbkit"), cmp_.get("pillow-best"), cmp_.get("pillow-workshop")
    if not (tk and best and tk["cost"]["x86_64"] and best["cost"]["x86_64"]):
        return []
    rec, s3 = rep["recommend"]["thumbkit"], rep["s3_model"]
    n_all, n_same = len(rep["workload"]["items"]), len(cmp_["common_images"])
    if rec["cheapest_mb"]:
        whole = "%d MB (p95 %.0f ms)" % (rec["cheapest_mb"], rec["cheapest_p95"])
    else:
        fastest = min((r for r in rep["rows"] if r["model"] == "thumbkit" and r["p95_ms"] is not None),
                      key=lambda r: r["p95_ms"], default=None)
        whole = "none meets it%s" % (" (best: p95 %.0f ms at %d MB)" % (fastest["p95_ms"], fastest["memory_mb"])
                                     if fastest else "")
    bad = [str(c["memory_mb"]) for c in rep["calibration"] if not c["ok"]]
    cal = ("calibration within 5 % at every size" if rep["calibration"] and not bad else
           "calibration OUTSIDE 5 %% at %s MB" % ", ".join(bad) if bad else "calibration not run")
    rows = ["`%s` — %s, commit %s, %s; %s; S3 model %s; p95 target %.0f ms." % (
        rep["command"], rep["date"], rep["commit"], rep["host_start"], cal,
        "%.0f ms GET / %.0f ms PUT first byte, %.0f MB/s" % (s3["get_latency_ms"], s3["put_latency_ms"], s3["mbps"])
        if s3 else "off", rep["p95_target_ms"]), "",
        "| Lambda, workload `%s` | thumbkit | Python + Pillow |" % w, "|---|---|---|",
        "| memory size: the cheapest with p95 ≤ %.0f ms on the %d photos both read | %d MB | best practice %d MB |"
        % (rep["p95_target_ms"], n_same, tk["memory_mb"], best["memory_mb"]),
        "| … on the whole workload (%d images%s) | %s | — |" % (
            n_all, ", with HEIC, which Pillow does not read" if n_all > n_same else "", whole),
        "| cost per million images, x86_64, each at its own size | $%.2f (p95 %.0f ms) | best practice $%.2f (p95 %.0f ms)"
        "%s |" % (tk["cost"]["x86_64"]["total"], tk["p95_ms"], best["cost"]["x86_64"]["total"], best["p95_ms"],
                  "; workshop full decode $%.2f at %d MB" % (shop["cost"]["x86_64"]["total"], shop["memory_mb"])
                  if shop and shop["cost"]["x86_64"] else ""),
        "| thumbkit ÷ Pillow best practice (goal ≤ 0.33) | %.2f; %s dominates thumbkit's cost | |" % (
            cmp_["ratio_x86_64"], tk["dominant"]),
        "| what that pays for: compute / S3 wait / request fee / cold-start init | %s | best practice %s |" % (
            _split(tk["cost"]["x86_64"]), _split(best["cost"]["x86_64"])),
        "| cost per million images, arm64 (x86 time × %.2f) | $%.2f | best practice $%.2f |" % (
            rep["prices"]["arm64_time_ratio"], tk["cost"]["arm64"]["total"], best["cost"]["arm64"]["total"])]
    return rows


def render(rep, chart_name):
    L = ["# Lambda memory size and cost — workload `%s`" % rep["workload"]["name"], "",
         "`%s` — %s, commit %s; %s at the start, load %s at the end; %s." % (
             rep["command"], rep["date"], rep["commit"], rep["host_start"], rep["host_end"].rsplit("load ", 1)[-1],
             rep["mode"]), ""]
    L += verdict(rep) + [""] + models_section(rep) + results_section(rep) + oom_section(rep)
    if chart_name:
        L += ["## Chart", "", "![cost and p95 against memory size](%s)" % chart_name, ""]
    if rep["readme_rows"]:
        L += ["## README lines", "", "For README.md's performance section (between its `lambda-tuning` markers):", "",
              "```"] + rep["readme_rows"] + ["```", ""]
    if rep["notes"]:
        L += ["## Notes", ""] + ["- " + n for n in rep["notes"]] + [""]
    return "\n".join(L)


def chart(json_path, png_path):
    """Draw the Power Tuning-style chart (chart.py under a python3 with matplotlib).
    @return '' on success, else why there is no chart."""
    py = benchlib.python_with("matplotlib")
    if not py:
        return "chart skipped: matplotlib not installed (apt-get install python3-matplotlib)"
    out = benchlib.capture([py, os.path.join(HERE, "chart.py"), json_path, png_path])
    if not os.path.exists(png_path):
        return "chart failed: " + out[-300:]
    return ""
