"""Benchmark of the count-based statistics core against bare scipy calls (run by hand, not in pytest).

    .venv/bin/python benchmarks/bench_stats.py [--sizes 10000 100000 1000000] [--repeats 3]

Data: N respondents x 20 five-point items (5 themes of 4 items, ~3% missing answers, items of a
theme correlated through a latent trait), a 2-group and a 5-group variable. Stored like the
Cohort contract: pandas "Int64" columns.

"imgshare" times, from the Int64 frame: every within-theme Spearman matrix; theme scores (mean
of answered items); the two grouping variables and each variable encoded once; for each of the 20 items and 5 theme scores a Mann-Whitney test (2 groups,
analytic CI of r), a Kruskal-Wallis test (5 groups, analytic CI of epsilon-squared) and Dunn's
pairwise tests; "imgshare-bootstrap" is the same with 2000-resample bootstrap CIs (the option). "scipy" times only the bare calls on prepared numpy
arrays (NaN already dropped, groups already split, untimed): spearmanr per theme (complete
cases), mannwhitneyu and kruskal per item. So scipy does less work and gets its data ready-made.

Each (N, side) runs in a fresh child process so peak RSS (ru_maxrss) is that run's own; the
table shows the child's peak and, in brackets, the increase over its RSS after the data were
built. Times are the best of ``--repeats`` runs after one untimed warm-up run.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
THEMES = {f"T{t}": [f"T{t}_{i}" for i in range(1, 5)] for t in range(1, 6)}
ITEMS = [item for items in THEMES.values() for item in items]


def generate(n: int, seed: int = 2020) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols = {}
    group5 = rng.choice(5, size=n, p=[0.35, 0.25, 0.2, 0.12, 0.08])
    group2 = (rng.random(n) < 0.45).astype(np.int64)
    cuts = np.array([-1.5, -0.6, 0.2, 1.0])
    for t, items in enumerate(THEMES.values()):
        latent = rng.normal(size=n) + 0.15 * group5 - 0.1 * group2 + 0.05 * t
        for item in items:
            codes = np.searchsorted(cuts, latent + rng.normal(size=n)) + 1
            mask = rng.random(n) < 0.03
            cols[item] = pd.arrays.IntegerArray(codes.astype(np.int64), mask)
    cols["group2"] = pd.array(group2, dtype="Int64")
    cols["group5"] = pd.array(group5, dtype="Int64")
    return pd.DataFrame(cols)


def rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_imgshare(frame: pd.DataFrame, ci: str = "analytic", n_boot: int = 2000) -> int:
    from imgshare.stats import Grouping, LevelCodes, dunn, kruskal_wallis, mann_whitney, spearman_matrix

    results = 0
    for items in THEMES.values():
        results += len(spearman_matrix(frame[items]))
    variables = {item: frame[item] for item in ITEMS}
    for theme, items in THEMES.items():
        total, answered = np.zeros(len(frame)), np.zeros(len(frame))
        for item in items:
            total += frame[item].to_numpy(dtype="float64", na_value=0.0)
            answered += frame[item].notna().to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            total /= answered  # mean of the answered items; 0/0 -> NaN when none was answered
        variables[theme] = total
    g2, g5 = Grouping.from_labels(frame["group2"]), Grouping.from_labels(frame["group5"])
    for raw in variables.values():
        values = LevelCodes.from_values(raw)  # encoded once, counted under both groupings
        two = g2.level_counts(values)
        mann_whitney(*two.values(), names=tuple(str(k) for k in two), ci=ci, n_boot=n_boot)
        five = g5.level_counts(values)
        names = [str(k) for k in five]
        kruskal_wallis(*five.values(), names=names, ci=ci, n_boot=n_boot)
        results += len(dunn(*five.values(), names=names)) + 2
    return results


def prepare_scipy(frame: pd.DataFrame) -> dict:
    g2 = frame["group2"].to_numpy(dtype="float64", na_value=np.nan)
    g5 = frame["group5"].to_numpy(dtype="float64", na_value=np.nan)
    items = {}
    for item in ITEMS:
        x = frame[item].to_numpy(dtype="float64", na_value=np.nan)
        ok = ~np.isnan(x)
        items[item] = ([x[ok & (g2 == g)] for g in (0, 1)], [x[ok & (g5 == g)] for g in range(5)])
    themes = {}
    for theme, cols in THEMES.items():
        m = np.column_stack([frame[c].to_numpy(dtype="float64", na_value=np.nan) for c in cols])
        themes[theme] = m[~np.isnan(m).any(axis=1)]
    return {"items": items, "themes": themes}


def run_scipy(prepared: dict) -> int:
    from scipy import stats

    results = 0
    for m in prepared["themes"].values():
        stats.spearmanr(m)
        results += 6
    for two, five in prepared["items"].values():
        stats.mannwhitneyu(*two)
        stats.kruskal(*five)
        results += 2
    return results


def child(n: int, side: str, repeats: int) -> dict:
    frame = generate(n)
    payload = prepare_scipy(frame) if side == "scipy" else frame
    if side == "scipy":
        del frame
    base = rss_mb()
    runners = {"scipy": run_scipy, "imgshare": run_imgshare,
               "imgshare-bootstrap": lambda f: run_imgshare(f, ci="bootstrap")}
    runner = runners[side]
    runner(payload)  # warm-up: imports and first-call set-up are not what is measured
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        runner(payload)
        times.append(time.perf_counter() - start)
    return {"n": n, "side": side, "seconds": min(times), "all_seconds": times, "peak_mb": rss_mb(), "base_mb": base}


def table(rows: list[dict]) -> str:
    by = {(r["n"], r["side"]): r for r in rows}
    sizes = sorted({r["n"] for r in rows})
    lines = [
        "| N | imgshare s | scipy s | ratio | imgshare s per 1e6 rows | with bootstrap CIs s (ratio) "
        "| imgshare peak RSS MB (+compute) | scipy peak RSS MB (+compute) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        o, b, s = by[(n, "imgshare")], by[(n, "imgshare-bootstrap")], by[(n, "scipy")]
        lines.append(
            f"| {n:,} | {o['seconds']:.3f} | {s['seconds']:.3f} | {o['seconds'] / s['seconds']:.3f}x | "
            f"{o['seconds'] / n * 1e6:.3f} | {b['seconds']:.3f} ({b['seconds'] / s['seconds']:.3f}x) | "
            f"{o['peak_mb']:.0f} (+{o['peak_mb'] - o['base_mb']:.0f}) | "
            f"{s['peak_mb']:.0f} (+{s['peak_mb'] - s['base_mb']:.0f}) |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("N", "SIDE"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=HERE / "results-stats.md")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(int(args.child[0]), args.child[1], args.repeats)))
        return
    rows = []
    for n in args.sizes:
        for side in ("imgshare", "imgshare-bootstrap", "scipy"):
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(n), side, "--repeats", str(args.repeats)],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"N={n:,} {side}: {rows[-1]['seconds']:.3f} s, peak {rows[-1]['peak_mb']:.0f} MB", file=sys.stderr)
    import numpy
    import scipy

    md = "\n".join(
        [
            "# Statistics core benchmark",
            "",
            f"`benchmarks/bench_stats.py`, best of {args.repeats}; Python {platform.python_version()}, numpy "
            f"{numpy.__version__}, scipy {scipy.__version__}, pandas {pd.__version__}, {platform.machine()}.",
            "The machine's 2 cores were shared with other jobs, so timings are noisy.",
            "",
            "imgshare: 5 Spearman matrices + 25 x (Mann-Whitney with analytic CI of r, Kruskal-Wallis with analytic CI",
            "of epsilon-squared, Dunn) from the Int64 frame, theme scores included (with bootstrap CIs: the same with",
            "2000-resample percentile bootstraps). scipy: 5 spearmanr +",
            "20 mannwhitneyu + 20 kruskal on ready-made NaN-free arrays (less work, no effect sizes, no theme scores).",
            "",
            table(rows),
            "",
        ]
    )
    print(md)
    args.out.write_text(md)


if __name__ == "__main__":
    main()
