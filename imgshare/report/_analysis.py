"""The analysis a render's documents read: codebook, cohort and results, computed once.

:func:`analysed` is what :func:`imgshare.report.study` calls. It loads the render's codebook
and data and runs :func:`imgshare.analysis.analyse`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["analysed"]


def analysed(ctx: Any) -> tuple[Any, Any, Any]:
    """``(codebook, cohort, results)`` for a :class:`~imgshare.report.ReportContext`."""
    from ..analysis import analyse

    codebook = ctx.load_codebook()
    cohort = ctx.build_cohort(codebook)
    return codebook, cohort, analyse(cohort)
