"""Benchmark of the whole analysis (``imgshare.analysis.analyse``) against bare scipy calls.

    .venv/bin/python benchmarks/bench_analysis.py [--sizes 10000 100000 1000000] [--repeats 2]

Data as in bench_stats.py: N respondents x 20 five-point items, 5 themes of 4 items, a 2-group
and a 5-group comparison, ~3% missing answers. "imgshare" times ``analyse(cohort)`` on an
in-memory cohort: descriptives, item level counts and agreement, domain agreement, theme scores,
within-theme Spearman matrices, Cronbach's alpha, every comparison (Mann-Whitney / Kruskal-Wallis
with analytic effect-size CIs, Dunn after significant Kruskal-Wallis) on every item and theme, and the
per-item tests. "scipy" times the bare calls on prepared NaN-free arrays: spearmanr per theme,
mannwhitneyu and kruskal per item. Each run is a fresh child process (peak RSS is its own).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_stats import ITEMS, THEMES, generate, prepare_scipy, rss_mb, run_scipy  # noqa: E402


# The same benchmark before the analysis layer was rebuilt on encoded columns and count tables
# (issue "Statistics engine ... fast at a million respondents"), kept for comparison.
BEFORE = """
Before (commit 945dee6, from the issue "Statistics engine ... fast at a million respondents"):

| N | analyse() s | bare scipy s | ratio | peak RSS MB |
|---:|---:|---:|---:|---:|
| 10,000 | 1.07 | 0.07 | 15.9x | 184 |
| 100,000 | 2.24 | 0.35 | 6.4x | 267 |
| 1,000,000 | 10.18 | 3.11 | 3.28x | 974 |

Before the analytic CIs (commit 310722b, 2000-resample bootstrap CIs, same script):

| N | analyse() s | bare scipy s | ratio | s per 1e6 rows | peak RSS MB (+analysis) |
|---:|---:|---:|---:|---:|---:|
| 10,000 | 0.69 | 0.06 | 11.73x | 68.66 | 183 (+10) |
| 100,000 | 0.69 | 0.42 | 1.65x | 6.87 | 222 (+3) |
| 1,000,000 | 0.92 | 3.83 | 0.24x | 0.92 | 666 (+122) |
"""


def codebook():
    from imgshare.codebook import parse_codebook

    levels = {1: "Strongly disagree", 2: "Disagree", 3: "Neutral", 4: "Agree", 5: "Strongly agree"}
    return parse_codebook({
        "study": {"id": "bench", "title": "Benchmark", "data": "synthetic"},
        "scales": {"a5": {"levels": levels, "disagree": [1, 2], "neutral": [3], "agree": [4, 5]}},
        "items": {i: {"text": i, "scale": "a5", "required": False} for i in ITEMS},
        "domains": {"all": {"items": ITEMS}},
        "themes": {t: {"items": items, "domain": "all"} for t, items in THEMES.items()},
        "questionnaires": {"q": {
            "file": "bench.csv", "id": "id", "items": ITEMS,
            "variables": {"group2": {"type": "categorical", "levels": {0: "A", 1: "B"}},
                          "group5": {"type": "categorical", "levels": {i: f"G{i}" for i in range(5)}}},
        }},
        "comparisons": {
            "two": {"questionnaire": "q", "by": "group2", "items": "all", "themes": "all"},
            "five": {"questionnaire": "q", "by": "group5", "items": "all", "themes": "all"},
        },
    })


def cohort(frame: pd.DataFrame):
    from imgshare.cohort import Cohort

    cb = codebook()
    frame = frame.copy()
    frame.index = pd.Index([f"r{i}" for i in range(len(frame))], name="id")
    n = len(frame)
    flow = pd.DataFrame({"questionnaire": ["q", "q"], "stage": ["received", "analysed"], "reason": ["", ""],
                         "n": [n, n]})
    empty = frame.iloc[0:0].assign(row=pd.Series(dtype="int64"), reason=pd.Series(dtype=str))
    return Cohort(cb, {"q": frame}, {"q": empty}, flow, {"q": Path("bench.csv")}, ())


def child(n: int, side: str, repeats: int) -> dict:
    frame = generate(n)
    if side == "scipy":
        payload = prepare_scipy(frame)
        run = run_scipy
    else:
        from imgshare.analysis import analyse

        payload = cohort(frame)
        run = analyse
    del frame
    gc.collect()
    peak_with_data = rss_mb()
    base = _reset_peak()
    run(payload)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(payload)
        times.append(time.perf_counter() - start)
    compute_peak = _peak_since_reset()
    return {"n": n, "side": side, "seconds": min(times), "peak_mb": max(rss_mb(), peak_with_data),
            "base_mb": base, "compute_peak_mb": compute_peak}


def _status_mb(field: str) -> float | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024.0
    return None


def _reset_peak() -> float:
    """Current RSS, after resetting the kernel's peak-RSS mark (Linux) so the analysis' own peak shows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _status_mb("VmRSS") or rss_mb()


def _peak_since_reset() -> float:
    return _status_mb("VmHWM") or rss_mb()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", nargs=2)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(int(args.child[0]), args.child[1], args.repeats)))
        return
    # Each side runs in --rounds child processes, alternating with the other side so that drift on a
    # shared machine hits both; a child's time is its best of --repeats, the table shows the median
    # over its rounds (and the largest peak RSS).
    by = {}
    for n in args.sizes:
        runs = {"imgshare": [], "scipy": []}
        for r in range(args.rounds):
            for side in (("imgshare", "scipy") if r % 2 == 0 else ("scipy", "imgshare")):
                out = subprocess.run([sys.executable, __file__, "--child", str(n), side, "--repeats",
                                      str(args.repeats)], capture_output=True, text=True, check=True)
                runs[side].append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(runs[side][-1], file=sys.stderr)
        for side, results in runs.items():
            med = sorted(results, key=lambda x: x["seconds"])[len(results) // 2]
            by[(n, side)] = {**med, "all": [x["seconds"] for x in results],
                             "peak_mb": max(x["peak_mb"] for x in results)}
    lines = ["| N | analyse() s (rounds) | bare scipy s (rounds) | ratio | s per 1e6 rows | peak RSS MB (+analysis) |",
             "|---:|---:|---:|---:|---:|---:|"]
    for n in args.sizes:
        a, s = by[(n, "imgshare")], by[(n, "scipy")]
        rounds_a, rounds_s = (", ".join(f"{t:.3f}" for t in x["all"]) for x in (a, s))
        lines.append(f"| {n:,} | {a['seconds']:.3f} ({rounds_a}) | {s['seconds']:.3f} ({rounds_s}) "
                     f"| {a['seconds'] / s['seconds']:.2f}x "
                     f"| {a['seconds'] / n * 1e6:.2f} | {a['peak_mb']:.0f} (+{a['compute_peak_mb'] - a['base_mb']:.0f}) |")
    head = (f"# Whole-analysis benchmark\n\n`benchmarks/bench_analysis.py --rounds {args.rounds} --repeats "
            f"{args.repeats}`: per side, the median over {args.rounds} alternating child processes of each "
            f"child's best of {args.repeats}; "
            f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
            f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores shared with other jobs "
            "(timings are noisy).\n\n"
            "`analyse(cohort)`: N respondents x 20 five-point items (5 themes of 4), a 2-group and a 5-group "
            "comparison, every table and test of results.json (analytic effect-size CIs, the default). Bare scipy: "
            "spearmanr per theme, mannwhitneyu and kruskal per item on prepared NaN-free arrays. Peak RSS is the "
            "child process's maximum, which includes building the synthetic data; in brackets, the analysis' own "
            "peak above the memory held before it started (peak mark reset through /proc/self/clear_refs).\n\n")
    text = head + "\n".join(lines) + "\n" + BEFORE
    (HERE / "results-analysis.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
