"""What one computation for all formats saves under Quarto, measured without Quarto.

`quarto render` starts a Jupyter kernel per output format and runs the manuscript's setup cell
in each. This script runs the study manuscript's setup (codebook, cohort, analysis through
:func:`imgshare.report._analysis_cache.cached_analysis`, then exhibits and the reproduction
audit) the same way, on a temporary copy of the project:

1. ``interpreter``: a fresh ``python`` process per run, the analysis alone: computed (cache off)
   against read back from ``.imgshare-cache/``;
2. ``kernels`` (needs the ``quarto`` extra: ``make quarto-env``): three fresh Jupyter kernels in a
   row, started and driven by ``nbclient`` as Quarto's Jupyter engine does, each running the
   whole setup cell; once with the cache off (every kernel computes), once with a cold cache
   (the first kernel computes, the others read).

Quarto's own work (pandoc, Typst, its Lua filters) is not part of this: it cannot run here.

Run from the repository root::

    .venv/bin/python benchmarks/bench_quarto_kernels.py            # prints and writes results-quarto-kernels.md
    .venv/bin/python benchmarks/bench_quarto_kernels.py --repeat 5
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

ANALYSIS = """
import sys, time
import imgshare.analysis, imgshare.cohort  # pandas, scipy: imported by any setup cell
from imgshare.report import context
from imgshare.report._analysis_cache import cached_analysis
t = time.perf_counter()
cached_analysis(context(), use_cache=sys.argv[1] == "cache")
print(time.perf_counter() - t)
"""

SETUP_CELL = """
import time
_t0 = time.perf_counter()
import imgshare.analysis, imgshare.cohort
from imgshare.exhibits import build_exhibits
from imgshare.report import audit_report, context
from imgshare.report._analysis_cache import cached_analysis
ctx = context()
_t1 = time.perf_counter()
codebook, cohort, results = cached_analysis(ctx, use_cache={use_cache})
_t2 = time.perf_counter()
exhibits = build_exhibits(results, min_cell=ctx.min_cell)
published = ctx.published_path()
audit = audit_report(cohort, published, min_cell=ctx.min_cell) if published is not None else None
print(_t1 - _t0, _t2 - _t1, time.perf_counter() - _t2)
"""


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("_quarto.yml", "report.qmd", "references.bib", "bmj.csl"):
        shutil.copy(REPO / name, dest / name)
    for name in ("sections", "_extensions", "data"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def clear_cache(project: Path) -> None:
    shutil.rmtree(project / ".imgshare-cache", ignore_errors=True)


def interpreter_runs(project: Path, repeat: int) -> dict[str, list[float]]:
    env = {**os.environ, "IMGSHARE_PROJECT_DIR": str(project)}

    def run(mode: str) -> float:
        proc = subprocess.run([sys.executable, "-c", ANALYSIS, mode], cwd=project, env=env, capture_output=True,
                              text=True, check=True)
        return float(proc.stdout)

    out: dict[str, list[float]] = {"computed": [], "cached": []}
    clear_cache(project)
    for _ in range(repeat):
        out["computed"].append(run("nocache"))
    run("cache")  # fill the cache
    for _ in range(repeat):
        out["cached"].append(run("cache"))
    return out


def kernel_runs(project: Path, use_cache: bool, formats: int = 3) -> list[dict[str, float]]:
    """One fresh kernel per format, each running the setup cell (as quarto render does)."""
    import nbformat
    from nbclient import NotebookClient

    os.environ["IMGSHARE_PROJECT_DIR"] = str(project)
    runs = []
    for _ in range(formats):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SETUP_CELL.format(use_cache=use_cache))])
        start = time.perf_counter()
        NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(project)}}).execute()
        total = time.perf_counter() - start
        imports, analysis, rest = (float(v) for v in nb.cells[0].outputs[0]["text"].split())
        runs.append({"kernel": total, "imports": imports, "analysis": analysis, "exhibits+audit": rest})
    return runs


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} | {len(values)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results-quarto-kernels.md")
    args = parser.parse_args()

    lines = ["# One computation for all formats: the setup cell per kernel", "",
             "Study manuscript, committed synthetic data, temporary copy of the project. "
             "Times in seconds.", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} CPUs (shared), Python {platform.python_version()}, "
             f"{platform.system()} {platform.release()}.", ""]
    with tempfile.TemporaryDirectory(prefix="bench-quarto-") as tmp:
        project = copy_project(Path(tmp) / "project")
        runs = interpreter_runs(project, args.repeat)
        lines += ["## Analysis in a fresh interpreter (`cached_analysis` after the pandas/scipy imports)", "",
                  "| Analysis | Median | Min | Max | n |", "| --- | ---: | ---: | ---: | ---: |",
                  f"| computed (cache off) | {summary(runs['computed'])} |",
                  f"| read from .imgshare-cache | {summary(runs['cached'])} |", ""]
        try:
            import nbclient  # noqa: F401
        except ImportError:
            lines += ["Jupyter kernels: not measured (install the `quarto` extra: `make quarto-env`).", ""]
        else:
            per: dict[str, list[list[dict[str, float]]]] = {"off": [], "on": []}
            for _ in range(args.repeat):
                for label, use_cache in (("off", False), ("on", True)):
                    clear_cache(project)
                    per[label].append(kernel_runs(project, use_cache))
            lines += ["## Three formats = three fresh Jupyter kernels (nbclient, as Quarto drives them)", "",
                      f"Median of {args.repeat} sequences per cache setting (sequences alternate). *cache on*: "
                      "`.imgshare-cache` empty before the first kernel of each sequence.", "",
                      "| Cache | Kernel | Whole kernel | Imports | Analysis | Exhibits + audit |",
                      "| --- | ---: | ---: | ---: | ---: | ---: |"]
            for label in ("off", "on"):
                for k in range(3):
                    cols = [statistics.median(seq[k][c] for seq in per[label])
                            for c in ("kernel", "imports", "analysis", "exhibits+audit")]
                    lines.append(f"| {label} | {k + 1} | " + " | ".join(f"{v:.2f}" for v in cols) + " |")
            totals = {label: [sum(r["kernel"] for r in seq) for seq in per[label]] for label in per}
            lines += ["", "Three kernels in all (median, min-max): "
                      + "; ".join(f"cache {k}: {statistics.median(v):.1f} s ({min(v):.1f}-{max(v):.1f})"
                                  for k, v in totals.items()) + ".", ""]
    lines += ["Reproduce: `.venv/bin/python benchmarks/bench_quarto_kernels.py` (after `make quarto-env`).", ""]
    text = "\n".join(lines)
    print(text)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
