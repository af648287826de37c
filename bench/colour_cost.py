#!/usr/bin/env python3
"""What colour management adds per image: tk_bench_run over FOLDER with and without
--no-colour, processes alternating, one core; per image the median CPU time of both (CPU, not
wall: robust to other load on a shared machine), the
engine's own colour_ms (transform lookup or build + apply at thumbnail size) and what the
colour step did (none / srgb / converted).

  bench/colour_cost.py FOLDER [--build DIR] [--rounds N] [--cpu C]

Round 1 of each process builds the transforms (a cache miss, LittleCMS loaded); later rounds
are what a warm Lambda pays. Prints a Markdown table.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import benchlib  # noqa: E402


def run(driver, files, rounds, cpu, extra):
    cmd = (["taskset", "-c", cpu] if cpu else []) + [driver, "-r", str(rounds), *extra, *files]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    per = {}
    for line in out.splitlines():
        d = json.loads(line)
        if "file" in d and d["status"] == "ok":
            per.setdefault(d["file"], []).append(d)
    return per


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--build", default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cpu", default="0")
    a = ap.parse_args()
    driver = benchlib.find_binary(benchlib.find_build(a.build), "bench/tk_bench_run")
    files = benchlib.list_images(a.folder)
    on, off = {}, {}
    for i in range(4):  # four processes each way, alternating which goes first
        ways = ((on, []), (off, ["--no-colour"]))
        for target, extra in ways if i % 2 == 0 else ways[::-1]:
            for f, rows in run(driver, files, a.rounds, a.cpu, extra).items():
                target.setdefault(f, []).extend(rows)
    print("| image | colour | CPU ms with | CPU ms without | added | colour_ms first (build) "
          "| colour_ms warm |")
    print("|---|---|---|---|---|---|---|")
    added = []
    for f in files:
        if f not in on or f not in off:
            continue
        w = statistics.median(r["cpu_ms"] for r in on[f])
        wo = statistics.median(r["cpu_ms"] for r in off[f])
        first = on[f][0]["colour_ms"]
        warm = statistics.median(r["colour_ms"] for r in on[f][1:]) if len(on[f]) > 1 else first
        added.append(w - wo)
        print(f"| {os.path.basename(f)} | {on[f][0]['colour']} | {w:.2f} | {wo:.2f} | {w - wo:+.2f} "
              f"| {first:.3f} | {warm:.3f} |")
    if added:
        print(f"\nmedian added CPU per image: {statistics.median(added):+.2f} ms over {len(added)} "
              f"images ({a.rounds} rounds x 4 processes each way, cpu {a.cpu or 'any'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
