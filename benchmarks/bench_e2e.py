"""End to end: ``imgshare analyse`` on a large CSV against a bare pandas (pyarrow) + scipy script.

    .venv/bin/python benchmarks/bench_e2e.py [--sizes 10000 100000 1000000] [--repeats 3]

For each size N the script writes, into a temporary folder, its own data file (N respondents x 20
five-point items, 5 themes of 4 items, a 2-group and a 5-group variable, ~3% blank answers, codes
as digits) and a codebook naming it. Then it alternates two whole processes, ``--repeats`` times:

A. ``imgshare analyse -c codebook.yml --out DIR``: read and validate the CSV, exclusions and flow,
   every table and test of results.json (descriptives, level counts, agreement, theme scores,
   Spearman matrices, Cronbach's alpha, Mann-Whitney and Kruskal-Wallis on every item and theme
   with effect-size CIs, Dunn), written as results.json and CSVs.
B. the bare script (``BARE`` below): ``pandas.read_csv(engine="pyarrow")``, then
   ``scipy.stats.spearmanr`` per theme (complete cases), ``mannwhitneyu`` and ``kruskal`` per
   item. It validates nothing and writes nothing, so it does much less than A.

Both include Python start-up and imports. Times are medians; peak RSS is each process's own
(``os.wait4``). Before the runs, each measured ``imgshare`` package is byte-compiled
(``python -m compileall``), as a wheel install leaves it and as pandas and scipy are: where
``PYTHONDONTWRITEBYTECODE`` is set (this project's sandbox sets it), an editable install would
otherwise compile its ~60 modules from source in every run (about 0.15 s). Results go to ``benchmarks/results-e2e.md`` (or ``--out``). ``--baseline DIR``
adds a third process per round, the ``imgshare`` of another environment's ``bin/`` folder (an
earlier commit), for a before/after column measured under the same conditions.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _project import byte_compile

import numpy as np

HERE = Path(__file__).resolve().parent
THEMES = {f"T{t}": [f"T{t}_{i}" for i in range(1, 5)] for t in range(1, 6)}
ITEMS = [item for items in THEMES.values() for item in items]

BARE = r'''
import sys
import pandas as pd
from scipy import stats

THEMES = {f"T{t}": [f"T{t}_{i}" for i in range(1, 5)] for t in range(1, 6)}
df = pd.read_csv(sys.argv[1], engine="pyarrow")
for items in THEMES.values():
    stats.spearmanr(df[items].dropna())
g2, g5 = df["group2"], df["group5"]
for items in THEMES.values():
    for item in items:
        x = df[item]
        stats.mannwhitneyu(x[g2 == 0].dropna(), x[g2 == 1].dropna())
        stats.kruskal(*[x[g5 == g].dropna() for g in range(5)])
'''


def write_data(path: Path, n: int, seed: int = 2020) -> None:
    """The CSV: ``id``, 20 items (digits 1-5 or blank), ``group2`` (0/1), ``group5`` (0-4)."""
    rng = np.random.default_rng(seed)
    group5 = rng.choice(5, size=n, p=[0.35, 0.25, 0.2, 0.12, 0.08])
    group2 = (rng.random(n) < 0.45).astype(np.int64)
    cuts = np.array([-1.5, -0.6, 0.2, 1.0])
    cells = np.empty((n, len(ITEMS)), dtype="<U1")
    j = 0
    for t in range(len(THEMES)):
        latent = rng.normal(size=n) + 0.15 * group5 - 0.1 * group2 + 0.05 * t
        for _ in range(4):
            codes = np.searchsorted(cuts, latent + rng.normal(size=n)) + 1
            col = codes.astype("<U1")
            col[rng.random(n) < 0.03] = ""
            cells[:, j] = col
            j += 1
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(["id", *ITEMS, "group2", "group5"]) + "\n")
        block = 100_000
        for start in range(0, n, block):
            stop = min(n, start + block)
            ids = np.char.add("r", np.arange(start, stop).astype(str))
            rows = np.column_stack([ids, cells[start:stop], group2[start:stop].astype(str),
                                    group5[start:stop].astype(str)])
            fh.write("\n".join(",".join(r) for r in rows.tolist()) + "\n")


def write_codebook(path: Path, data_file: str) -> None:
    import yaml

    levels = {1: "Strongly disagree", 2: "Disagree", 3: "Neutral", 4: "Agree", 5: "Strongly agree"}
    book = {
        "format": 1,
        "study": {"id": "bench", "title": "Benchmark", "data": "synthetic"},
        "scales": {"a5": {"levels": levels, "disagree": [1, 2], "neutral": [3], "agree": [4, 5]}},
        "items": {i: {"text": i, "scale": "a5", "required": False} for i in ITEMS},
        "domains": {"all": {"items": ITEMS}},
        "themes": {t: {"items": items, "domain": "all"} for t, items in THEMES.items()},
        "questionnaires": {"q": {
            "file": data_file, "id": "id", "items": ITEMS,
            "variables": {"group2": {"type": "categorical", "levels": {0: "A", 1: "B"}},
                          "group5": {"type": "categorical", "levels": {i: f"G{i}" for i in range(5)}}},
        }},
        "comparisons": {
            "two": {"questionnaire": "q", "by": "group2", "items": "all", "themes": "all"},
            "five": {"questionnaire": "q", "by": "group5", "items": "all", "themes": "all"},
        },
    }
    path.write_text(yaml.safe_dump(book, sort_keys=False), encoding="utf-8")


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one whole process; fails loudly if the process fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.strip()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024.0


def imgshare_exe() -> str:
    exe = Path(sys.executable).with_name("imgshare")
    return str(exe) if exe.exists() else "imgshare"


def measure(n: int, repeats: int, tmp: Path, baseline: Path | None = None) -> dict:
    folder = tmp / f"n{n}"
    folder.mkdir()
    write_data(folder / "bench.csv", n)
    write_codebook(folder / "codebook.yml", "bench.csv")
    (folder / "bare.py").write_text(BARE, encoding="utf-8")
    a_cmd = [imgshare_exe(), "analyse", "-c", "codebook.yml", "--out", "out"]
    b_cmd = [sys.executable, "bare.py", "bench.csv"]
    commands = {"A": a_cmd, "B": b_cmd}
    if baseline is not None:
        commands["A0"] = [str(baseline / "imgshare"), "analyse", "-c", "codebook.yml", "--out", "out0"]
    rows = {side: [] for side in commands}
    sides = list(commands)
    for i in range(repeats):
        order = sides[i % len(sides):] + sides[:i % len(sides)]  # rotate, so drift hits every side
        for side in order:
            rows[side].append(run(commands[side], folder))
            t, mb = rows[side][-1]
            print(f"N={n:,} {side}: {t:.2f} s, {mb:.0f} MB", file=sys.stderr)
    size_mb = (folder / "bench.csv").stat().st_size / 1e6
    return {"n": n, "csv_mb": size_mb,
            "a": statistics.median(t for t, _ in rows["A"]), "b": statistics.median(t for t, _ in rows["B"]),
            "a_all": [t for t, _ in rows["A"]], "b_all": [t for t, _ in rows["B"]],
            "a_mb": max(m for _, m in rows["A"]), "b_mb": max(m for _, m in rows["B"]),
            "a0": statistics.median(t for t, _ in rows["A0"]) if "A0" in rows else None,
            "a0_mb": max(m for _, m in rows["A0"]) if "A0" in rows else None}


def table(results: list[dict]) -> str:
    before = any(r["a0"] is not None for r in results)
    lines = ["| N | CSV MB | `imgshare analyse` s (runs) | bare pandas+scipy s (runs) | ratio | imgshare s per 1e6 rows "
             "| imgshare peak RSS MB | bare peak RSS MB |" + (" before: s (ratio), peak MB |" if before else ""),
             "|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if before else "")]
    for r in results:
        runs_a = ", ".join(f"{t:.2f}" for t in r["a_all"])
        runs_b = ", ".join(f"{t:.2f}" for t in r["b_all"])
        line = (f"| {r['n']:,} | {r['csv_mb']:.0f} | {r['a']:.2f} ({runs_a}) | {r['b']:.2f} ({runs_b}) "
                f"| {r['a'] / r['b']:.2f}x | {r['a'] / r['n'] * 1e6:.2f} | {r['a_mb']:.0f} | {r['b_mb']:.0f} |")
        if before:
            line += f" {r['a0']:.2f} ({r['a0'] / r['b']:.2f}x), {r['a0_mb']:.0f} |"
        lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results-e2e.md")
    parser.add_argument("--baseline", type=Path, help="bin/ folder of another environment to compare with")
    parser.add_argument("--baseline-label", default="", help="what the baseline is (printed in the results)")
    args = parser.parse_args()
    byte_compile(sys.executable)
    if args.baseline is not None:
        byte_compile(str(args.baseline / "python"))
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        results = [measure(n, args.repeats, Path(tmp), args.baseline) for n in args.sizes]
    import pandas as pd
    import scipy

    text = "\n".join([
        "# End-to-end benchmark: `imgshare analyse` on a CSV vs a bare pandas + scipy script",
        "",
        f"`benchmarks/bench_e2e.py --repeats {args.repeats}`: medians of {args.repeats} alternating runs of each "
        f"whole process; Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"scipy {scipy.__version__}, {platform.machine()}, {len(os.sched_getaffinity(0))} cores shared with other "
        "jobs; the imgshare packages byte-compiled before the runs.",
        "",
        "imgshare: `imgshare analyse -c codebook.yml --out out` (read + validate the CSV, every table and test of "
        "results.json, files written). Bare: `pandas.read_csv(engine=\"pyarrow\")`, `spearmanr` per theme, "
        "`mannwhitneyu` + `kruskal` per item (no validation, no effect sizes, nothing written)."
        + (f" Before: {args.baseline_label or args.baseline}, in the same rounds." if args.baseline else ""),
        "",
        table(results),
        "",
    ])
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
