"""Answers that are not on the scale: declared non-substantive codes ("Don't know", "Not
applicable", SPSS user-missing codes), counted per item and variable, never analysed as values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._coded_cohort import CodedCohort

__all__ = ["nonsubstantive_answers", "NONSUBSTANTIVE_COLUMNS"]

NONSUBSTANTIVE_COLUMNS = ["questionnaire", "variable", "kind", "code", "label", "n", "n_responded", "pct"]


def nonsubstantive_answers(cohort: Any) -> pd.DataFrame:
    """How many respondents gave each declared non-substantive answer, per item and variable.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.

    Returns
    -------
    pandas.DataFrame
        One row per questionnaire x column (items, then variables, in codebook order) x
        declared code (scale codes, then the item's or variable's own): ``questionnaire,
        variable, kind`` ('item' | 'categorical' | 'number')``, code, label, n,
        n_responded, pct``. ``n`` counts respondents asked who gave that code;
        ``n_responded`` those asked who gave any answer, substantive or not (blanks
        excluded); ``pct = 100 * n / n_responded`` (NaN when nobody responded). Columns
        without declared codes have no rows. Counts are of respondents, also when weighted.

    Notes
    -----
    Percentages of a scale's levels (``item_levels``) are of substantive answers only; these
    are of everyone who responded, so that the share of "Don't know" is not inflated by the
    blanks and the level percentages still add up to 100.

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> list(nonsubstantive_answers(example_cohort()).columns)[:4]
    ['questionnaire', 'variable', 'kind', 'code']
    """
    return _nonsubstantive_answers(CodedCohort(cohort))


def _nonsubstantive_answers(data: CodedCohort) -> pd.DataFrame:
    rows = []
    cb = data.codebook
    for qid, q in cb.questionnaires.items():
        columns = [(i, "item") for i in q.items] + [(v, var.type) for v, var in q.variables.items()]
        for column, kind in columns:
            declared = cb.missing_of(qid, column)
            if not declared:
                continue
            given = data.nonsubstantive(qid, column)
            asked = data.asked(qid, column)
            coded = data.column(qid, column)
            answered = coded.codes < coded.k
            if asked is not None:
                answered = answered & asked
            responded = int(answered.sum()) + data.n_nonsubstantive(qid, column)
            for lv in declared:
                hit = np.zeros(data.n(qid), dtype=bool) if given is None else given == lv.code
                n = int((hit if asked is None else hit & asked).sum())
                rows.append({"questionnaire": qid, "variable": column, "kind": kind, "code": lv.code,
                             "label": lv.label, "n": n, "n_responded": responded,
                             "pct": 100.0 * n / responded if responded else np.nan})
    return pd.DataFrame(rows, columns=NONSUBSTANTIVE_COLUMNS)
