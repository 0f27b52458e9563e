"""The costly, unchanging parts of a :class:`~imgshare.report.Study`: built once, on first use.

A :class:`StudyParts` holds the analysis of one render (codebook, cohort, raw and protected
results), the number style and the published values' path, and builds on first use the
exhibits (:func:`imgshare.exhibits.exhibit_set`: each exhibit only when it is looked up) and the
reproduction audit (its verdicts and summary first; its tables only when asked for). Nothing in
it changes once built, so the documents of one render share one (see
:func:`imgshare.report._study_parts.study_parts` and :mod:`imgshare.report._render_memo`), while
each document's :class:`Study` keeps its own record of what it has placed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._study import Study

__all__ = ["StudyParts", "study_parts", "study"]


class StudyParts:
    """The analysis of one render and what is built from it, each built once (see module docs).

    Parameters
    ----------
    codebook, cohort, results
        As for :class:`~imgshare.report.Study` (``results`` unprotected).
    min_cell : int
        Disclosure threshold K.
    numbers : NumberStyle
    published : Path, optional
        ``published.yml`` for the reproduction audit.
    """

    def __init__(self, codebook: Any, cohort: Any, results: Any, *, min_cell: int, numbers: Any,
                 published: Path | None = None):
        from ..disclosure import suppress_results

        self.codebook = codebook
        self.cohort = cohort
        self.raw = results
        self.min_cell = int(min_cell or 0)
        self.numbers = numbers
        self.published = published
        #: The analysis as it may be published: small counts withheld under ``--min-cell``.
        self.results = suppress_results(results, self.min_cell)

    @cached_property
    def exhibits(self):
        """Every exhibit the codebook calls for, by label, each built when first looked up."""
        from ..exhibits import exhibit_set

        # from the protected results: exhibit_set would otherwise protect them a second time
        return exhibit_set(self.results, min_cell=self.min_cell, numbers=self.numbers)

    @cached_property
    def audit_check(self):
        """The audit's verdicts and summary (:class:`~imgshare.report._audit.AuditCheck`), or None
        without published values."""
        if self.published is None:
            return None
        from ._audit import audit_check

        return audit_check(self.cohort, self.published, min_cell=self.min_cell, results=self.results)

    @cached_property
    def audit(self):
        """The reproduction audit with its tables (:class:`~imgshare.report.AuditReport`), or None."""
        if self.audit_check is None:
            return None
        from ._audit import audit_layout

        return audit_layout(self.audit_check)


def study_parts(ctx: Any, numbers: Any, build) -> StudyParts:
    """The render's :class:`StudyParts` for context ``ctx`` and number style ``numbers``: built by
    ``build()`` for the first document of a render, the same object for the others (inside
    :func:`imgshare.report._render_memo.sharing`; outside, built every time)."""
    from ._render_memo import shared

    key = ("study-parts", ctx, json.dumps(_style_key(numbers), sort_keys=True, default=str))
    return shared(key, build)


def _style_key(numbers: Any) -> Any:
    fields = getattr(numbers, "__dataclass_fields__", None)
    if isinstance(fields, Mapping):
        return {name: getattr(numbers, name) for name in fields}
    return repr(numbers)


def study(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Study:
    """The :class:`Study` of the running document's render.

    Reads the render context (:func:`imgshare.report.context`: the codebook, data folder and
    ``--min-cell`` that ``imgshare report`` chose, or the project's own codebook under a bare
    ``quarto render``), loads and analyses the data once, and reads the project's number style
    from its ``_quarto.yml``. The reproduction audit is available when ``published.yml`` lies
    next to the codebook. Inside an ``imgshare report`` render every document's Study stands on
    the same analysis, exhibits and audit, built once (:mod:`._study_parts`).
    """
    from ._analysis import analysed
    from ._context import context
    from ._study import Study, number_style, project_settings

    ctx = context(env, cwd)
    numbers = number_style(ctx.project_dir)

    def build() -> StudyParts:
        codebook, cohort, results = analysed(ctx)
        return StudyParts(codebook, cohort, results, min_cell=ctx.min_cell, numbers=numbers,
                          published=ctx.published_path())

    # The documents of one `imgshare report` share the analysis, exhibits and audit (built once).
    return Study._from_parts(study_parts(ctx, numbers, build), project_settings(ctx.project_dir))
