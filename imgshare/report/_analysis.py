"""The analysis a render's documents read: codebook, cohort and results, computed once.

:func:`analysed` is what :func:`imgshare.report.study` calls. It loads the render's codebook
and data and runs :func:`imgshare.analysis.analyse` once per set of inputs: the result is kept
in the project's ``.imgshare-cache/`` (:mod:`imgshare.report._analysis_cache`), so every format
of a ``quarto render`` (a fresh kernel each) and the next ``imgshare report`` read it back.
"""

from __future__ import annotations

from typing import Any

__all__ = ["analysed"]


def analysed(ctx: Any) -> tuple[Any, Any, Any]:
    """``(codebook, cohort, results)`` for a :class:`~imgshare.report.ReportContext`."""
    from ._analysis_cache import cached_analysis

    codebook, cohort, results = cached_analysis(ctx)
    return codebook, cohort, results
