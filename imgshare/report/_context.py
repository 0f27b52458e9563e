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
from typing import Any

from ._errors import ReportError

__all__ = ["ReportContext", "context", "ENV_DATA_DIR", "ENV_CODEBOOK", "ENV_PROJECT_DIR", "DEFAULT_CODEBOOK",
           "synthetic_notice"]

ENV_DATA_DIR = "IMGSHARE_DATA_DIR"
ENV_CODEBOOK = "IMGSHARE_CODEBOOK"
ENV_PROJECT_DIR = "IMGSHARE_PROJECT_DIR"
DEFAULT_CODEBOOK = Path("data") / "codebook.yml"


@dataclass(frozen=True)
class ReportContext:
    """The inputs of one render: the project, its codebook and (optionally) another data folder."""

    project_dir: Path
    codebook_path: Path
    data_dir: Path | None = None

    def load_codebook(self):
        """The validated :class:`~imgshare.codebook.Codebook` (raises CodebookError if invalid)."""
        from ..codebook import load_codebook

        return load_codebook(self.codebook_path)

    def build_cohort(self, codebook=None):
        """The analysed cohort (``imgshare.cohort.build_cohort``) for this render's codebook and data."""
        from ..cohort import build_cohort

        return build_cohort(codebook if codebook is not None else self.load_codebook(), self.data_dir)

    def env(self) -> dict[str, str]:
        """The environment variables that carry this context into a document."""
        out = {ENV_PROJECT_DIR: str(self.project_dir), ENV_CODEBOOK: str(self.codebook_path)}
        if self.data_dir is not None:
            out[ENV_DATA_DIR] = str(self.data_dir)
        return out


def _find_project(start: Path) -> Path:
    for d in (start, *start.parents):
        if (d / "_quarto.yml").exists():
            return d
    return start


def context(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> ReportContext:
    """The render context of the running document.

    Reads ``IMGSHARE_PROJECT_DIR``, ``IMGSHARE_CODEBOOK`` and ``IMGSHARE_DATA_DIR``; unset
    values default to the nearest folder with a ``_quarto.yml`` (from ``cwd``) and its
    ``data/codebook.yml``. Relative paths are taken from the project folder.
    """
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else Path(cwd)
    project = Path(env[ENV_PROJECT_DIR]) if env.get(ENV_PROJECT_DIR) else _find_project(cwd.resolve())
    codebook = Path(env[ENV_CODEBOOK]) if env.get(ENV_CODEBOOK) else DEFAULT_CODEBOOK
    codebook = codebook if codebook.is_absolute() else project / codebook
    data_dir: Path | None = None
    if env.get(ENV_DATA_DIR):
        data_dir = Path(env[ENV_DATA_DIR])
        data_dir = data_dir if data_dir.is_absolute() else project / data_dir
        if not data_dir.is_dir():
            raise ReportError(f"data folder not found: {data_dir}")
    return ReportContext(project, codebook, data_dir)


def synthetic_notice(codebook: Any) -> str:
    """A warning callout (Markdown) when the codebook declares synthetic data, else ``""``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> synthetic_notice(NS(study=NS(synthetic=False, data_note="")))
    ''
    """
    study = codebook.study
    if not study.synthetic:
        return ""
    note = f" {study.data_note}" if study.data_note else ""
    return (
        '::: {.callout-warning title="Synthetic data"}\n'
        "Every number, table and figure in this document is computed from a **synthetic cohort**, "
        f"not from the study's participants.{note}\n:::\n"
    )
