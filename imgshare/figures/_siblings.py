"""Sibling charts: the diverging charts of one set of statements for several questionnaires
(patients' and clinical experts' benefits) share their item order and x axis, so they read alike."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..codebook import Codebook
from ._common import questionnaire_label
from ._diverging import _extent, _own_limit, diverging_data
from ._errors import FigureError

__all__ = ["sibling_layout"]


def sibling_layout(
    level_counts: pd.DataFrame,
    codebook: Codebook,
    questionnaires: Sequence[str],
    items: Sequence[str],
    *,
    neutral: str = "split",
    label_room: float = 0.25,
    nonsubstantive: pd.DataFrame | None = None,
    agreement: pd.DataFrame | None = None,
    min_cell: int = 0,
) -> tuple[tuple[str, ...], float]:
    """One item order and one x-axis half-width for diverging charts of the same statements drawn
    for several questionnaires (patients' and clinical experts' benefits), so they read alike.

    Parameters
    ----------
    level_counts, codebook
        As for :func:`diverging_data`.
    questionnaires : sequence of str
        The questionnaires that get a chart.
    items : sequence of str
        The statements, in codebook order; a questionnaire's chart shows those it asked.
    neutral, label_room, nonsubstantive, agreement, min_cell
        As the charts will be drawn with (:func:`diverging_likert`); under disclosure control a
        withheld total orders its item last.

    Returns
    -------
    (tuple of str, float)
        The items top to bottom: highest mean % agree across the questionnaires first (ties:
        lower mean % disagree, then codebook order); and the largest half-axis any of the
        charts needs on its own. Pass them as ``items`` (with ``order="codebook"``) and ``xlim``.

    Examples
    --------
    >>> from imgshare.analysis import item_level_counts
    >>> from imgshare.analysis._examples import example_cohort
    >>> cohort = example_cohort()
    >>> order, xlim = sibling_layout(item_level_counts(cohort), cohort.codebook, ["q"], ["A1", "A2"])
    >>> sorted(order), xlim >= 50
    (['A1', 'A2'], True)
    """
    if not questionnaires:
        raise FigureError("sibling_layout needs at least one questionnaire")
    totals, limits = [], []
    for qid in questionnaires:
        questionnaire_label(codebook, qid)  # an unknown questionnaire is an error
        asked = [i for i in items if i in codebook.questionnaires[qid].items]
        if not asked:
            continue
        seg = diverging_data(level_counts, codebook, qid, asked, order="codebook", neutral=neutral,
                             nonsubstantive=nonsubstantive, agreement=agreement, min_cell=min_cell)
        limits.append(_own_limit(_extent(seg), label_room))
        totals.append(seg.drop_duplicates("item").set_index("item")[["pct_agree", "pct_disagree"]])
    if not totals:
        raise FigureError("none of the questionnaires asked these items")
    mean = pd.concat(totals).groupby(level=0).mean()
    position = {item: k for k, item in enumerate(items)}
    mean = mean.assign(pos=[position[i] for i in mean.index])
    ranked = mean.sort_values(["pct_agree", "pct_disagree", "pos"], ascending=[False, True, True]).index
    return tuple(ranked), max(limits)
