"""Finding a Quarto CLI (>= 1.5) and rendering with it when present.

Quarto runs the manuscript's python cells in a Jupyter kernel started by the Python that
``QUARTO_PYTHON`` names (else the first ``python3`` on ``PATH``). ``imgshare report`` points it
at the Python imgshare itself runs in unless the user chose another, and checks first that this
Python has Quarto's Jupyter packages and imgshare: a missing package is one clear line before
anything is written, not a kernel traceback half-way through the first format.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ._errors import ReportError

__all__ = ["QuartoInfo", "find_quarto", "parse_version", "MIN_QUARTO", "quarto_render", "QUARTO_FORMATS",
           "quarto_python", "missing_modules", "check_quarto_python", "JUPYTER_MODULES"]

MIN_QUARTO = (1, 5, 0)
#: render_report's format names -> Quarto format names (the PDF is the extension's Typst format).
QUARTO_FORMATS = {"html": "html", "pdf": "imgshare-manuscript-typst", "docx": "docx"}
#: What Quarto's Jupyter engine imports (module -> the package that provides it), then imgshare,
#: which the manuscript's cells import.
JUPYTER_MODULES = {"nbformat": "nbformat", "nbclient": "nbclient", "ipykernel": "ipykernel",
                   "jupyter_client": "jupyter-client", "jupyter_core": "jupyter-core", "yaml": "pyyaml"}
_PROBE = ("import importlib.util, sys\n"
          "print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))")


@dataclass(frozen=True)
class QuartoInfo:
    path: Path
    version: tuple[int, ...]


def parse_version(text: str) -> tuple[int, ...] | None:
    """``'1.6.40\\n'`` -> ``(1, 6, 40)``; None when the text holds no version."""
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not m:
        return None
    return tuple(int(g) for g in m.groups() if g is not None)


def find_quarto(env: Mapping[str, str] | None = None,
                run: Callable[[list[str]], str] | None = None) -> QuartoInfo | None:
    """The Quarto CLI to use, or None to use the built-in engine.

    ``QUARTO_PATH`` (a file) wins over ``quarto`` on ``PATH``. A Quarto older than 1.5, or one
    whose ``--version`` fails, is ignored. ``run`` (for tests) returns a command's stdout.
    """
    env = os.environ if env is None else env
    run = run or (lambda cmd: subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True).stdout)
    candidates = []
    if env.get("QUARTO_PATH"):
        candidates.append(env["QUARTO_PATH"])
    found = shutil.which("quarto", path=env.get("PATH"))
    if found:
        candidates.append(found)
    for cand in candidates:
        path = Path(cand)
        if not path.is_file():
            continue
        try:
            version = parse_version(run([str(path), "--version"]))
        except (OSError, subprocess.SubprocessError):
            continue
        if version is not None and version >= MIN_QUARTO:
            return QuartoInfo(path, version)
    return None


def quarto_python(env: Mapping[str, str] | None = None) -> str:
    """The Python Quarto will run cells with: ``QUARTO_PYTHON`` if set, else the one running imgshare
    (which :func:`quarto_render` then names in ``QUARTO_PYTHON``)."""
    env = os.environ if env is None else env
    return env.get("QUARTO_PYTHON") or sys.executable


def missing_modules(python: str, modules: tuple[str, ...], env: Mapping[str, str] | None = None,
                    cwd: Path | None = None) -> list[str]:
    """The ``modules`` that ``python``, started in ``cwd``, cannot import (found by name, not imported).

    Raises
    ------
    ReportError
        When ``python`` cannot be run at all.
    """
    env = os.environ if env is None else env
    try:
        proc = subprocess.run([python, "-c", _PROBE, *modules], capture_output=True, text=True, timeout=120,
                              env=dict(env), cwd=cwd)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ReportError(f"QUARTO_PYTHON={python} cannot be run ({exc.__class__.__name__}: {exc})") from None
    if proc.returncode != 0:
        last = proc.stderr.strip().splitlines()
        raise ReportError(f"QUARTO_PYTHON={python} failed to start: {last[-1] if last else proc.returncode}")
    found = set(proc.stdout.split())
    return [m for m in modules if m in found]


def check_quarto_python(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> str:
    """The Python Quarto will use, after checking that, started in ``cwd`` (the project, where the
    kernel starts), it has the Jupyter packages and imgshare.

    Raises
    ------
    ReportError
        One line naming the Python, what it lacks and the command that installs it.
    """
    python = quarto_python(env)
    missing = missing_modules(python, (*JUPYTER_MODULES, "imgshare"), env, cwd)
    if not missing:
        return python
    jupyter = [JUPYTER_MODULES[m] for m in missing if m in JUPYTER_MODULES]
    how = []
    if jupyter:
        how.append(f"{python} -m pip install {' '.join(jupyter)}")
    if "imgshare" in missing:
        how.append("install imgshare into it too, or unset QUARTO_PYTHON to use the Python imgshare runs in")
    message = (f"quarto render runs the manuscript's cells with {python}, which lacks "
               f"{', '.join(JUPYTER_MODULES.get(m, m) for m in missing)}; install with: {'; '.join(how)} "
               f"(in a clone of imgshare: make quarto-env)")
    raise ReportError(message)


def quarto_render(quarto: QuartoInfo, project_dir: Path, document: Path, out_dir: Path,
                  formats: tuple[str, ...], env: Mapping[str, str]) -> dict[str, Path]:
    """Render ``document`` with Quarto into ``out_dir``, one ``--to`` per format (a list of
    formats in one ``--to`` is not valid Quarto); return the produced file per format.

    ``env`` (the render context's variables) reaches every kernel; so does ``QUARTO_PYTHON``,
    set to the Python running imgshare when the caller's environment does not name one.
    """
    produced: dict[str, Path] = {}
    run_env = {**os.environ, **env}
    if not run_env.get("QUARTO_PYTHON"):
        run_env["QUARTO_PYTHON"] = sys.executable
    for fmt in formats:
        cmd = [str(quarto.path), "render", str(document), "--to", QUARTO_FORMATS[fmt],
               "--output-dir", str(out_dir)]
        if fmt == "html":
            cmd += ["-M", "embed-resources:true"]
        proc = subprocess.run(cmd, cwd=project_dir, env=run_env, capture_output=True, text=True)
        if proc.returncode != 0:
            lines = [ln for ln in proc.stderr.splitlines() if "ERROR" in ln] or proc.stderr.strip().splitlines()
            raise ReportError(f"quarto render --to {QUARTO_FORMATS[fmt]} failed: {lines[-1] if lines else proc.returncode}",
                              details=proc.stderr)
        ext = {"html": "html", "pdf": "pdf", "docx": "docx"}[fmt]
        produced[fmt] = out_dir / f"{document.stem}.{ext}"
    return produced
