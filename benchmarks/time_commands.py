"""Time two shell commands side by side: alternating runs, medians, and the ratio per pair.

Machines are noisy, so the figure to quote is the median of the per-pair ratios A/B, each pair
run back to back. Peak memory is the largest resident set of the command's child processes
(`ru_maxrss` of RUSAGE_CHILDREN, Linux kilobytes), measured per run in a fresh interpreter.

    python benchmarks/time_commands.py --runs 5 --a "claimminer extract corpus -o a.jsonl"
        --b "python -c 'import spacy'"
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1], shell=True, stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{wall} {peak} {code}")
"""


def run_once(command: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (kB) of one run; a failing command stops the benchmark."""
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, command], capture_output=True, text=True, check=True
    ).stdout.split()
    wall, peak, code = float(output[0]), int(output[1]), int(output[2])
    if code != 0:
        raise SystemExit(f"command failed with status {code}: {command}")
    return wall, peak


def main() -> None:
    """Parse arguments, run the pairs, print a JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", required=True, help="the command measured")
    parser.add_argument("--b", required=True, help="the command it is compared with")
    parser.add_argument("--runs", type=int, default=5, help="counted pairs (after one warm-up)")
    args = parser.parse_args()
    run_once(args.a)
    run_once(args.b)
    a_runs, b_runs = [], []
    for _ in range(args.runs):
        a_runs.append(run_once(args.a))
        b_runs.append(run_once(args.b))
        time.sleep(0.1)
    ratios = [a[0] / b[0] for a, b in zip(a_runs, b_runs, strict=True)]
    summary = {
        "a": args.a,
        "b": args.b,
        "runs": args.runs,
        "a_wall_median_s": round(statistics.median(w for w, _ in a_runs), 3),
        "b_wall_median_s": round(statistics.median(w for w, _ in b_runs), 3),
        "ratio_a_over_b_median": round(statistics.median(ratios), 3),
        "ratio_min": round(min(ratios), 3),
        "ratio_max": round(max(ratios), 3),
        "a_peak_rss_mb": round(max(p for _, p in a_runs) / 1024, 1),
        "b_peak_rss_mb": round(max(p for _, p in b_runs) / 1024, 1),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
