"""Finding a Quarto CLI (>= 1.5) and rendering with it when present."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ._errors import ReportError

__all__ = ["QuartoInfo", "find_quarto", "parse_version", "MIN_QUARTO", "quarto_render", "QUARTO_FORMATS"]

MIN_QUARTO = (1, 5, 0)
#: render_report's format names -> Quarto format names (the PDF is the extension's Typst format).
QUARTO_FORMATS = {"html": "html", "pdf": "imgshare-manuscript-typst", "docx": "docx"}


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


def quarto_render(quarto: QuartoInfo, project_dir: Path, document: Path, out_dir: Path,
                  formats: tuple[str, ...], env: Mapping[str, str]) -> dict[str, Path]:
    """Render ``document`` with Quarto into ``out_dir``; return the produced file per format."""
    produced: dict[str, Path] = {}
    for fmt in formats:
        cmd = [str(quarto.path), "render", str(document), "--to", QUARTO_FORMATS[fmt],
               "--output-dir", str(out_dir)]
        if fmt == "html":
            cmd += ["-M", "embed-resources:true"]
        proc = subprocess.run(cmd, cwd=project_dir, env={**os.environ, **env}, capture_output=True, text=True)
        if proc.returncode != 0:
            lines = [ln for ln in proc.stderr.splitlines() if "ERROR" in ln] or proc.stderr.strip().splitlines()
            raise ReportError(f"quarto render --to {QUARTO_FORMATS[fmt]} failed: {lines[-1] if lines else proc.returncode}",
                              details=proc.stderr)
        ext = {"html": "html", "pdf": "pdf", "docx": "docx"}[fmt]
        produced[fmt] = out_dir / f"{document.stem}.{ext}"
    return produced
