"""The export pack: every figure as PNG (300 dpi) and SVG, every table as HTML, CSV and Typst,
named by label. Deterministic: the same inputs give byte-identical files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._progress import announce
from .exhibits import build_exhibits
from .io import write_text_atomic

__all__ = ["write_pack", "write_exhibits", "FIGURE_FORMATS"]

#: Every figure is written in these formats (PNG at ``dpi``, SVG).
FIGURE_FORMATS = ("png", "svg")


def write_exhibits(exhibits, out_dir: Path | str, dpi: int = 300) -> list[Path]:
    """Write exhibits to ``out_dir``; return the paths in exhibit order.

    Figures are drawn and saved in forked worker processes (see :mod:`imgshare._forked`) while
    the tables are written here; the files are the same bytes as when written one by one.
    """
    from ._forked import ForkedJobs
    from .figures import save_figure
    from .tables import to_csv, to_html, to_typst

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with ForkedJobs() as jobs:
        for label, ex in exhibits.items():
            if ex.kind != "table":
                announce("figure", label)
                jobs.submit(save_figure, ex.obj, out_dir / label, ex.width_mm, ex.height_mm, dpi=dpi,
                            formats=FIGURE_FORMATS)
        for label, ex in exhibits.items():
            if ex.kind == "table":
                announce("table", label)
                for suffix, text in (("html", to_html(ex.obj)), ("csv", to_csv(ex.obj)), ("typ", to_typst(ex.obj))):
                    paths.append(write_text_atomic(out_dir / f"{label}.{suffix}", text))
                jobs.poll()  # start queued figures on workers that have finished
            else:
                paths.extend(out_dir / f"{label}.{fmt}" for fmt in FIGURE_FORMATS)
    return paths


def write_pack(cohort: Any, out_dir: Path | str, *, min_cell: int = 0, p_adjust: str | None = None) -> list[Path]:
    """Analyse ``cohort`` and write its complete figure and table pack to ``out_dir``."""
    from .analysis import analyse

    from .disclosure import protect

    results = protect(analyse(cohort, p_adjust=p_adjust), min_cell)
    return write_exhibits(build_exhibits(results, min_cell=min_cell), out_dir)
