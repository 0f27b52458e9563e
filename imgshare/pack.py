"""The export pack: every figure as PNG (300 dpi) and SVG, every table as HTML, CSV and Typst,
named by label. Deterministic: the same inputs give byte-identical files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .exhibits import build_exhibits
from .io import write_text_atomic

__all__ = ["write_pack", "write_exhibits"]


def write_exhibits(exhibits, out_dir: Path | str, dpi: int = 300) -> list[Path]:
    """Write exhibits to ``out_dir``; return the paths in writing order."""
    from .figures import save_figure
    from .tables import to_csv, to_html, to_typst

    out_dir = Path(out_dir)
    paths: list[Path] = []
    for label, ex in exhibits.items():
        if ex.kind == "table":
            for suffix, text in (("html", to_html(ex.obj)), ("csv", to_csv(ex.obj)), ("typ", to_typst(ex.obj))):
                paths.append(write_text_atomic(out_dir / f"{label}.{suffix}", text))
        else:
            written = save_figure(ex.obj, out_dir / label, ex.width_mm, ex.height_mm, dpi=dpi)
            paths.extend(written.values())
    return paths


def write_pack(cohort: Any, out_dir: Path | str, *, min_cell: int = 0, p_adjust: str | None = None) -> list[Path]:
    """Analyse ``cohort`` and write its complete figure and table pack to ``out_dir``."""
    from .analysis import analyse

    results = analyse(cohort, p_adjust=p_adjust)
    return write_exhibits(build_exhibits(results, min_cell=min_cell), out_dir)
