"""What the manuscript's cells need to know: which codebook and data to read.

``render_report`` passes its choices to the document through environment variables, so the
same cells work under the built-in engine and under ``quarto render`` (where the variables
may be unset: then the project's ``data/codebook.yml`` is used).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ._errors import ReportError

__all__ = ["ReportContext", "context", "ENV_DATA_DIR", "ENV_CODEBOOK", "ENV_PROJECT_DIR", "ENV_MIN_CELL",
           "DEFAULT_CODEBOOK", "PUBLISHED_FILE", "project_codebook", "parse_min_cell"]

ENV_DATA_DIR = "IMGSHARE_DATA_DIR"
ENV_CODEBOOK = "IMGSHARE_CODEBOOK"
ENV_PROJECT_DIR = "IMGSHARE_PROJECT_DIR"
ENV_MIN_CELL = "IMGSHARE_MIN_CELL"
DEFAULT_CODEBOOK = Path("data") / "codebook.yml"
#: The published values a reproduction audit checks, looked for next to the codebook.
PUBLISHED_FILE = "published.yml"


def parse_min_cell(value: object) -> int:
    """The small-cell threshold K as a non-negative int (0 or 1 = no suppression).

    Examples
    --------
    >>> parse_min_cell("5"), parse_min_cell(None), parse_min_cell("")
    (5, 0, 0)
    """
    if value is None or value == "":
        return 0
    try:
        k = int(str(value).strip())
    except ValueError:
        raise ReportError(f"min-cell must be a whole number >= 0, found {value!r}") from None
    if k < 0:
        raise ReportError(f"min-cell must be a whole number >= 0, found {k}")
    return k


@dataclass(frozen=True)
class ReportContext:
    """The inputs of one render: the project, its codebook, (optionally) another data folder and
    the small-cell threshold ``min_cell`` (counts 1..K-1 print as "<K"; 0 = off)."""

    project_dir: Path
    codebook_path: Path
    data_dir: Path | None = None
    min_cell: int = 0

    def load_codebook(self):
        """The validated :class:`~imgshare.codebook.Codebook` (raises CodebookError if invalid);
        read once per ``imgshare report`` render (:mod:`._render_memo`)."""
        from ..codebook import load_codebook
        from ._render_memo import shared

        return shared(("codebook", str(self.codebook_path)), lambda: load_codebook(self.codebook_path))

    def build_cohort(self, codebook=None):
        """The analysed cohort (``imgshare.cohort.build_cohort``) for this render's codebook and data."""
        from ..cohort import build_cohort

        return build_cohort(codebook if codebook is not None else self.load_codebook(), self.data_dir)

    def published_path(self) -> Path | None:
        """``published.yml`` next to the codebook (the paper's printed values), or None."""
        path = self.codebook_path.parent / PUBLISHED_FILE
        return path if path.is_file() else None

    def env(self) -> dict[str, str]:
        """The environment variables that carry this context into a document."""
        out = {ENV_PROJECT_DIR: str(self.project_dir), ENV_CODEBOOK: str(self.codebook_path),
               ENV_MIN_CELL: str(self.min_cell)}
        if self.data_dir is not None:
            out[ENV_DATA_DIR] = str(self.data_dir)
        return out


def project_codebook(project_dir: Path) -> Path:
    """The codebook a project was written for: ``imgshare: {codebook: ...}`` in its ``_quarto.yml``
    (relative to the project), else ``data/codebook.yml``."""
    from ._source import read_project_config

    config = read_project_config(project_dir)
    section = config.get("imgshare")
    named = section.get("codebook") if isinstance(section, Mapping) else None
    if named is not None and not isinstance(named, str):
        raise ReportError(f"imgshare.codebook must be a path, found {named!r}", "_quarto.yml")
    path = Path(named) if named else DEFAULT_CODEBOOK
    return path if path.is_absolute() else project_dir / path


def _find_project(start: Path) -> Path:
    for d in (start, *start.parents):
        if (d / "_quarto.yml").exists():
            return d
    return start


def context(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> ReportContext:
    """The render context of the running document.

    Reads ``IMGSHARE_PROJECT_DIR``, ``IMGSHARE_CODEBOOK``, ``IMGSHARE_DATA_DIR`` and
    ``IMGSHARE_MIN_CELL``; unset
    values default to the nearest folder with a ``_quarto.yml`` (from ``cwd``) and the codebook
    it names (``imgshare: {codebook: ...}``, default ``data/codebook.yml``). Relative paths are
    taken from the project folder.
    """
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else Path(cwd)
    project = Path(env[ENV_PROJECT_DIR]) if env.get(ENV_PROJECT_DIR) else _find_project(cwd.resolve())
    if env.get(ENV_CODEBOOK):
        codebook = Path(env[ENV_CODEBOOK])
        codebook = codebook if codebook.is_absolute() else project / codebook
    else:
        codebook = project_codebook(project)
    data_dir: Path | None = None
    if env.get(ENV_DATA_DIR):
        data_dir = Path(env[ENV_DATA_DIR])
        data_dir = data_dir if data_dir.is_absolute() else project / data_dir
        if not data_dir.is_dir():
            raise ReportError(f"data folder not found: {data_dir}")
    return ReportContext(project, codebook, data_dir, parse_min_cell(env.get(ENV_MIN_CELL)))

