"""The work of an ``imgshare report`` of the study, part by part, with nothing in parallel.

    .venv/bin/python benchmarks/report_work.py [--rounds 3] [--warm]
    OTHER/.venv/bin/python benchmarks/report_work.py    # another checkout's imgshare, same project

Wall times of the latency benchmark depend on how much of the machine a render gets; this
script measures what a render has to do. Each round renders a temporary copy of the study
project (html, pdf, docx) in a fresh process with ``IMGSHARE_JOBS=1``, so figures are drawn
there rather than in workers, and documents and formats are written one after another: cold
(no cache), or with ``--warm`` after a cold render and a one-sentence edit of the discussion. It
reports CPU seconds: of the rendering process (imports, Python, Typst) and of the pandoc processes it ran,
of each document's cells, and of the parts that dominate them. A part is counted with
``time.thread_time`` (pandoc runs: the CPU of the finished child) around the function that does
it, where the running imgshare has that function (names differ between versions: one missing or
not called prints ``-``); parts nest (exhibits are built inside cells). Medians over
``--rounds``; Markdown on stdout. The ``imgshare`` package is byte-compiled first.

It also times a pure-Python loop alone and two copies at once (forked), to tell how much two busy
processes slow each other on this machine: the parallel speed-up a render can get from 2 cores.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.util
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _project import byte_compile, copy_project


#: (label, module, attribute path): the parts, where the running imgshare has them.
PARTS = (
    ("cells of report.qmd", None, None),
    ("cells of supplement.qmd", None, None),
    ("load and analyse", "imgshare.report._analysis", "analysed"),
    ("build exhibits (all at once)", "imgshare.exhibits", "build_exhibits"),
    ("build exhibits (one by one)", "imgshare.exhibits", "ExhibitSet.__getitem__"),
    ("tables to HTML, Typst, Markdown", "imgshare.report._exhibit", "table_formats"),
    ("reproduction audit (all)", "imgshare.report._audit", "audit_report"),
    ("reproduction audit (verdicts)", "imgshare.report._audit", "audit_check"),
    ("draw and save figures", "imgshare.report._execute", "_write_figure_files"),
    ("AST per format", "imgshare.report._ast", "transform"),
    ("Typst to PDF", "imgshare.report._pandoc", "compile_typst"),
    ("finish DOCX", "imgshare.report._docx_tables", "finish_docx"),
)


#: pandoc runs by what they do (the ``what`` of ``imgshare.report._pandoc._run_pandoc``).
PANDOC = ("reading the manuscript", "writing html", "writing typst", "writing docx")


def _pandoc_runs(spent: dict[str, float]) -> None:
    from imgshare.report import _pandoc

    run = _pandoc._run_pandoc

    @functools.wraps(run)
    def counted(args, stdin, what, cwd):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            return run(args, stdin, what, cwd)
        finally:
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            label = f"pandoc {what}"
            spent[label] = spent.get(label, 0.0) + (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

    _pandoc._run_pandoc = counted


class _InOrder:
    """A stand-in thread pool that runs each job when it is submitted (formats one after another)."""

    def __init__(self, max_workers=None):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, *args, **kwargs):
        from concurrent.futures import Future

        future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - raised where the result is asked for
            future.set_exception(exc)
        return future


def _timed(fn, label: str, spent: dict[str, float]):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        start = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.thread_time() - start

    return run


def _instrument(spent: dict[str, float]) -> None:
    """Wrap each part's function where it is defined and where it was imported by name."""
    targets = [(label, module, attr) for label, module, attr in PARTS if module is not None]
    targets.append(("cells", "imgshare.report._execute", "execute_document"))
    for label, module, attr in targets:
        try:
            owner = importlib.import_module(module)
        except ImportError:
            continue
        *path, name = attr.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        original = getattr(owner, name, None) if owner is not None else None
        if original is None:
            continue
        wrapped = _per_document(original, spent) if label == "cells" else _timed(original, label, spent)
        setattr(owner, name, wrapped)
        if path:
            continue
        for other in list(sys.modules.values()):
            if getattr(other, "__name__", "").startswith("imgshare") and vars(other).get(name) is original:
                setattr(other, name, wrapped)


def _per_document(execute, spent: dict[str, float]):
    @functools.wraps(execute)
    def run(doc, *args, **kwargs):
        start = time.thread_time()
        try:
            return execute(doc, *args, **kwargs)
        finally:
            label = f"cells of {doc.path.name}"
            spent[label] = spent.get(label, 0.0) + time.thread_time() - start

    return run


def one_round(project: Path, warm: bool = False) -> dict[str, float]:
    """CPU seconds of one render of ``project`` (cold unless ``warm``), in a fresh child (imports
    included)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        code = 0
        try:
            os.environ["IMGSHARE_JOBS"] = "1"
            os.chdir(project)
            if not warm:
                shutil.rmtree(project / ".imgshare-cache", ignore_errors=True)
            spent: dict[str, float] = {}
            started = time.perf_counter()
            import imgshare.report  # noqa: F401 - the modules to instrument

            engine = ("imgshare.report._pandoc", "imgshare.report._docx_tables", "imgshare.report._ast",
                      "imgshare.report._builtin", "imgshare.report._render")
            # a warm render imports no pandas or plotting: neither may the instrumenting
            study = () if warm else ("imgshare.exhibits", "imgshare.report._audit", "imgshare.report._analysis")
            for module in engine + study:
                try:
                    importlib.import_module(module)
                except ImportError:
                    pass
            _instrument(spent)
            _pandoc_runs(spent)
            # documents and formats written one after another, so that each part's CPU is its own
            for name in ("imgshare.report._builtin", "imgshare.report._render"):
                if name in sys.modules and hasattr(sys.modules[name], "ThreadPoolExecutor"):
                    sys.modules[name].ThreadPoolExecutor = _InOrder
            from imgshare.report import render_report

            render_report(project, formats=("html", "pdf", "docx"), quiet=True, engine="builtin")
            own = resource.getrusage(resource.RUSAGE_SELF)
            kids = resource.getrusage(resource.RUSAGE_CHILDREN)
            spent["wall (s)"] = time.perf_counter() - started
            spent["this process"] = own.ru_utime + own.ru_stime
            spent["pandoc processes"] = kids.ru_utime + kids.ru_stime
            os.write(write, json.dumps(spent).encode())
        except BaseException as exc:  # noqa: BLE001 - reported by the parent
            os.write(write, json.dumps({"error": repr(exc)}).encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        data = json.loads(fh.read().decode())
    os.waitpid(pid, 0)
    if "error" in data:
        raise SystemExit(f"render failed: {data['error']}")
    return data


def _loop() -> float:
    start = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i
    return time.perf_counter() - start


def parallel_slowdown(copies: int = 2) -> tuple[float, list[float]]:
    """Seconds of the loop alone, and of each of ``copies`` copies run at once in forked children."""
    alone = _loop()
    pipes, pids = [], []
    for _ in range(copies):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            os.write(write, str(_loop()).encode())
            os._exit(0)
        os.close(write)
        pipes.append(read)
        pids.append(pid)
    each = []
    for read, pid in zip(pipes, pids):
        with os.fdopen(read, "rb") as fh:
            each.append(float(fh.read()))
        os.waitpid(pid, 0)
    return alone, each


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm", action="store_true", help="a re-render after a prose edit instead of a cold one")
    args = parser.parse_args()
    # as a wheel install leaves it (see bench_latency.py): no module compiled from source per round
    byte_compile(sys.executable)
    rounds = []
    with tempfile.TemporaryDirectory(prefix="report-work-") as tmp:
        project = copy_project(Path(tmp) / "project")
        for r in range(args.rounds):
            if args.warm:
                one_round(project)  # fills the caches
                edited = project / "sections" / "_discussion.qmd"
                edited.write_text(edited.read_text(encoding="utf-8") + f"\nA sentence added, round {r + 1}.\n",
                                  encoding="utf-8")
            rounds.append(one_round(project, warm=args.warm))
            print(f"round {r + 1}: {rounds[-1]['this process']:.2f} s here, {rounds[-1]['pandoc processes']:.2f} s "
                  f"pandoc (load {os.getloadavg()[0]:.2f})", file=sys.stderr)
    import imgshare

    kind = "After a prose edit" if args.warm else "Cold"
    print(f"{kind}, `imgshare report` of the study, `IMGSHARE_JOBS=1`, nothing in parallel: CPU seconds, medians of "
          f"{args.rounds} "
          f"(imgshare at {Path(imgshare.__file__).parent.parent}).\n")
    print("| part | CPU s (rounds) |\n|---|---:|")
    order = (["this process", "pandoc processes", "wall (s)"] + [label for label, _, _ in PARTS]
             + [f"pandoc {what}" for what in PANDOC])
    for label in order:
        values = [r[label] for r in rounds if label in r]
        if len(values) < len(rounds):
            print(f"| {label} | - |")
            continue
        print(f"| {label} | {statistics.median(values):.2f} ({', '.join(f'{v:.2f}' for v in values)}) |")
    alone, together = parallel_slowdown()
    print(f"\nA pure-Python loop: {alone:.2f} s alone, {', '.join(f'{t:.2f}' for t in together)} s for each of two "
          "copies run at once.")


if __name__ == "__main__":
    main()
