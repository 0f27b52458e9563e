"""Latency of the study commands, as whole processes, against import floors measured in the same run.

    .venv/bin/python benchmarks/bench_latency.py [--repeats 3] [--out benchmarks/results-latency.md]

Every measurement is a fresh process started from a temporary copy of the study project (the
committed synthetic data), as a user runs it. Each round runs every command once, in an order
rotated from round to round so that drift on a shared machine spreads over all of them; the
table shows medians over ``--repeats`` rounds and each command's ratio to its floor's median.

Floors:

- ``pandas+scipy``: ``python -c "import pandas, scipy.stats"`` (what any analysis script pays);
- ``plotting``: ``python -c "import pandas, scipy.stats, plotnine, great_tables, matplotlib.pyplot"``.

Commands: ``imgshare validate``, ``imgshare analyse``, ``imgshare figures``; ``imgshare report``
cold (html,pdf,docx, no cache); the same after a one-line prose edit (warm); the generic
manuscript of another survey (``tests/fixtures/second_survey``) rendered twice in a row (the
second render is timed). Results go to ``benchmarks/results-latency.md`` (or ``--out``).

``--baseline DIR`` also runs every command with the ``imgshare`` of another environment (its
``bin/`` folder, e.g. one holding an earlier commit), interleaved in the same rounds, and adds
its medians as a "before" column.

Before the runs, each measured ``imgshare`` package is byte-compiled (``python -m compileall``),
as a wheel install leaves it: where ``PYTHONDONTWRITEBYTECODE`` is set (this project's sandbox
sets it), an editable install would otherwise compile the modules a command imports from source
in every run.
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

from _project import REPO, copy_project, byte_compile

SECOND_SURVEY = REPO / "tests" / "fixtures" / "second_survey"

#: (name, floor it is compared with, target ratio, what the target means)
TARGETS = {
    "validate": ("pandas+scipy", 1.0),
    "analyse": ("pandas+scipy", 1.3),
    "figures": ("plotting", 2.5),
    "report cold": ("plotting", 3.0),
    "report warm (prose edit)": ("pandas+scipy", 1.0),
    "generic report, second render": ("plotting", 3.0),
}


def exe(name: str) -> str:
    path = Path(sys.executable).with_name(name)
    return str(path) if path.exists() else name


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the process and the children it waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.strip()[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime


def prose_edit(project: Path, n: int) -> None:
    path = project / "sections" / "_discussion.qmd"
    path.write_text(path.read_text(encoding="utf-8") + f"\nA sentence added by the benchmark, edit {n}.\n",
                    encoding="utf-8")


class Steps:
    """The measured steps of one round, each a callable returning seconds."""

    def __init__(self, tmp: Path, img: str, floors: bool = True):
        self.img = img
        self.project = copy_project(tmp / "project")
        self.survey = tmp / "survey"
        shutil.copytree(SECOND_SURVEY, self.survey)
        self.edits = 0
        py = sys.executable
        p = self.project
        self.steps = {
            "floor pandas+scipy": lambda: run([py, "-c", "import pandas, scipy.stats"], p),
            "floor plotting": lambda: run(
                [py, "-c", "import pandas, scipy.stats, plotnine, great_tables, matplotlib.pyplot"], p),
        } if floors else {}
        self.steps.update({
            "validate": lambda: run([img, "validate"], p),
            "analyse": lambda: run([img, "analyse", "--out", str(p / "_bench" / "analysis")], p),
            "figures": lambda: run([img, "figures", "--out", str(p / "_bench" / "figures")], p),
            "report cold": self.report_cold,
            "report warm (prose edit)": self.report_warm,
            "generic report, second render": self.generic_second,
        })

    def _report(self) -> tuple[float, float]:
        return run([self.img, "report", "--quiet"], self.project)

    def report_cold(self) -> tuple[float, float]:
        for cache in (".imgshare-cache", "_freeze"):
            shutil.rmtree(self.project / cache, ignore_errors=True)
        return self._report()

    def report_warm(self) -> tuple[float, float]:
        self._report()  # make sure the cache holds this state (untimed)
        self.edits += 1
        prose_edit(self.project, self.edits)
        return self._report()

    def generic_second(self) -> tuple[float, float]:
        cmd = [self.img, "report", "--quiet", "--codebook", "codebook.yml", "--to", "html,pdf,docx"]
        run(cmd, self.survey)  # first render (untimed) fills whatever cache there is
        return run(cmd, self.survey)


def measure(repeats: int, baseline: Path | None) -> dict[str, list[tuple[float, float]]]:
    times: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        steps = Steps(Path(tmp) / "now", exe("imgshare")).steps
        if baseline is not None:
            before = Steps(Path(tmp) / "before", str(baseline / "imgshare"), floors=False).steps
            steps.update({f"before: {name}": fn for name, fn in before.items()})
        names = list(steps)
        for r in range(repeats):
            order = names[r % len(names):] + names[:r % len(names)]
            for name in order:
                times.setdefault(name, []).append(steps[name]())
                wall, cpu = times[name][-1]
                print(f"round {r + 1}: {name}: {wall:.2f} s (CPU {cpu:.2f} s)", file=sys.stderr)
    return times


def _median(runs: list[tuple[float, float]], which: int) -> float:
    return statistics.median(r[which] for r in runs)


def table(times: dict[str, list[tuple[float, float]]]) -> str:
    floors = {k.removeprefix("floor "): (_median(v, 0), _median(v, 1)) for k, v in times.items()
              if k.startswith("floor ")}
    baseline = any(k.startswith("before: ") for k in times)
    head = ("| what | wall s, median (runs) | floor | floor wall s | ratio | target | met "
            "| CPU s (ratio to floor CPU) |")
    rule = "|---|---:|---|---:|---:|---:|---|---:|"
    if baseline:
        head += " before: wall s (ratio); CPU s |"
        rule += "---:|"
    lines = [head, rule]
    for name, (floor, target) in TARGETS.items():
        runs = times[name]
        wall, cpu = _median(runs, 0), _median(runs, 1)
        fwall, fcpu = floors[floor]
        ratio = wall / fwall
        line = (f"| {name} | {wall:.2f} ({', '.join(f'{t:.2f}' for t, _ in runs)}) | {floor} | {fwall:.2f} "
                f"| {ratio:.2f}x | <= {target:g}x | {'yes' if ratio <= target else 'NO'} | {cpu:.2f} ({cpu / fcpu:.2f}x) |")
        if baseline:
            old = times[f"before: {name}"]
            line += f" {_median(old, 0):.2f} ({_median(old, 0) / fwall:.2f}x); {_median(old, 1):.2f} |"
        lines.append(line)
    for floor, (wall, cpu) in floors.items():
        runs = times[f"floor {floor}"]
        lines.append(f"| floor: {floor} | {wall:.2f} ({', '.join(f'{t:.2f}' for t, _ in runs)}) | | | | | "
                     f"| {cpu:.2f} |" + (" |" if baseline else ""))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results-latency.md")
    parser.add_argument("--baseline", type=Path, help="bin/ folder of another environment to compare with")
    parser.add_argument("--baseline-label", default="", help="what the baseline is (printed in the results)")
    args = parser.parse_args()
    byte_compile(sys.executable)
    if args.baseline is not None:
        byte_compile(str(args.baseline / "python"))
    times = measure(args.repeats, args.baseline)
    text = "\n".join([
        "# Latency of the study commands against import floors",
        "",
        f"`benchmarks/bench_latency.py --repeats {args.repeats}`: medians of {args.repeats} rounds, each command a "
        "fresh process on a temporary copy of the study project, floors measured in the same rounds, imgshare "
        "byte-compiled first. "
        f"Python {platform.python_version()}, {platform.machine()}, {len(os.sched_getaffinity(0))} cores shared "
        "with other jobs."
        + (f" Before: {args.baseline_label or args.baseline}, run in the same rounds." if args.baseline else ""),
        "",
        table(times),
        "",
    ])
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
