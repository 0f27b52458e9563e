"""Benchmark `imgshare report` on the study manuscript: cold (no cache) and warm (after a
text-only edit), all three formats, on a temporary copy of the project.

Run from the repository root::

    .venv/bin/python benchmarks/bench_report.py            # prints and writes benchmarks/results-report.md
    .venv/bin/python benchmarks/bench_report.py --repeat 3 --profile

Each measurement is a fresh ``imgshare report`` process (Python start-up and imports included),
as a user runs it. ``--profile`` also prints the top functions of one cold render in-process.
Targets: cold <= 20 s, warm <= 3 s.
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

from _project import REPO, copy_project

TARGETS = {"cold": 20.0, "warm": 3.0}


def imgshare_exe() -> str:
    exe = Path(sys.executable).with_name("imgshare")
    return str(exe) if exe.exists() else "imgshare"


def run_report(project: Path, formats: str) -> float:
    cmd = [imgshare_exe(), "report", "--to", formats, "--out", str(project / "_output"), "--quiet"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"imgshare report failed ({proc.returncode}): {proc.stderr.strip()}")
    return elapsed


def text_only_edit(project: Path, n: int) -> None:
    """Change prose only (no cell, no inline expression): the cache must hold."""
    path = project / "sections" / "_discussion.qmd"
    path.write_text(path.read_text(encoding="utf-8") + f"\nA sentence added by the benchmark, edit {n}.\n",
                    encoding="utf-8")


def measure(repeat: int, formats: str) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"cold": [], "warm": []}
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        project = copy_project(Path(tmp) / "project")
        for i in range(repeat):
            shutil.rmtree(project / ".imgshare-cache", ignore_errors=True)
            times["cold"].append(run_report(project, formats))
            text_only_edit(project, i)
            times["warm"].append(run_report(project, formats))
    return times


def profile(formats: str, top: int = 25) -> str:
    import cProfile
    import io
    import pstats

    from imgshare.report import render_report

    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        project = copy_project(Path(tmp) / "project")
        stages: list[tuple[float, str]] = []
        prof = cProfile.Profile()
        start = time.perf_counter()
        prof.enable()
        render_report(project, formats=formats, use_cache=False,
                      progress=lambda stage, detail: stages.append((time.perf_counter() - start, f"{stage} {detail}")))
        prof.disable()
    out = io.StringIO()
    out.write("Stages (seconds since start):\n")
    for t, what in stages:
        out.write(f"  {t:6.2f}  {what}\n")
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def table(times: dict[str, list[float]], formats: str) -> str:
    rows = ["| Run | Formats | Median (s) | Min (s) | Max (s) | n | Target (s) | Met |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for kind, values in times.items():
        med = statistics.median(values)
        rows.append(f"| {kind} | {formats} | {med:.2f} | {min(values):.2f} | {max(values):.2f} | {len(values)} | "
                    f"{TARGETS[kind]:.0f} | {'yes' if med <= TARGETS[kind] else 'NO'} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="Cold/warm pairs to run (default 3).")
    parser.add_argument("--formats", default="html,pdf,docx")
    parser.add_argument("--profile", action="store_true", help="Also profile one cold render in-process.")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results-report.md")
    args = parser.parse_args(argv)

    times = measure(args.repeat, args.formats)
    body = table(times, args.formats)
    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs (shared), Python {platform.python_version()}, "
               f"{platform.system()} {platform.release()}")
    text = ("# `imgshare report` benchmark\n\n"
            "Study manuscript (`report.qmd`, committed synthetic data), built-in engine, a fresh "
            "`imgshare report --quiet` process per run on a temporary copy of the project. *cold*: no "
            "`.imgshare-cache`; *warm*: the same project right after a text-only edit to a section (cells "
            "come from the cache; pandoc and Typst still run).\n\n"
            f"Machine: {machine}.\n\n{body}\n\n"
            "Reproduce: `.venv/bin/python benchmarks/bench_report.py` (add `--profile` for a profile of one "
            "cold render).\n")
    print(text)
    args.out.write_text(text, encoding="utf-8")
    if args.profile:
        print(profile(args.formats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
