"""The ``imgshare check`` edge: load the codebook, cohort and published values, check, render.

It sits above both :mod:`._check` (verdicts) and :mod:`._render` (presentation), so that those
two import in one direction only (``_render`` uses ``_check``'s summary line).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ImgshareError
from ._check import check, exit_status
from ._published import load_published
from ._render import render

__all__ = ["run_check", "CheckFormatError", "FORMATS"]

FORMATS = ("text", "json", "md")


class CheckFormatError(ImgshareError):
    """An unknown output format was asked for."""


def run_check(codebook, data_dir=None, published_path=None, fmt: str = "text") -> tuple[str, int]:
    """Load cohort and published values, check, render: returns ``(text, exit status)``.

    Parameters
    ----------
    codebook : Codebook or path
        The study's codebook (a path is loaded with :func:`imgshare.codebook.load_codebook`).
    data_dir : path, optional
        Where the data files are (default: next to the codebook).
    published_path : path, optional
        The published-values file (default: ``published.yml`` next to the codebook).
    fmt : {'text', 'json', 'md'}
        Output format.
    """
    from ..codebook import Codebook, load_codebook
    from ..cohort import build_cohort

    if fmt not in FORMATS:
        raise CheckFormatError(f"unknown format '{fmt}' (expected one of: {', '.join(FORMATS)})")
    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    path = Path(published_path) if published_path is not None else codebook.base_dir / "published.yml"
    published = load_published(path)
    frame = check(build_cohort(codebook, data_dir), published)
    return render(frame, fmt), exit_status(frame)
