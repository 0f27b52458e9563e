"""Agreement with Likert items: level counts, agree/neutral/disagree shares, domain means."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._coded_cohort import CodedCohort
from ._common import domain_of
from ._column_encoding import Coded

__all__ = ["item_level_counts", "item_agreement", "domain_agreement"]

LEVEL_COLUMNS = ["questionnaire", "item", "level", "label", "category", "n", "item_n", "pct"]
AGREEMENT_COLUMNS = ["questionnaire", "item", "domain", "n", "missing", "nonsubstantive", "pct_agree", "pct_neutral",
                     "pct_disagree"]
DOMAIN_COLUMNS = ["questionnaire", "domain", "label", "n_items", "items", "n_reversed", "pct_agree", "pct_neutral",
                  "pct_disagree"]


def _item_rows(data: CodedCohort):
    """Yield (questionnaire id, item id, encoded answers, weights or None) per asked item."""
    for qid, q in data.codebook.questionnaires.items():
        w = data.weights(qid)
        for item in q.items:
            yield qid, item, data.column(qid, item), w


def _weight_sum(coded: Coded, w: np.ndarray | None, indices: list[int]) -> float:
    """Respondents (or their weights) whose answer is one of the level ``indices``."""
    if w is None:
        return float(sum(int(coded.counts[i]) for i in indices))
    if not indices:
        return 0.0
    # Summed over the same rows in the same order as a mask over the raw answers would.
    hit = coded.codes == indices[0] if len(indices) == 1 else np.isin(coded.codes, indices)
    return float(w[hit].sum())


def _indices(coded: Coded, codes) -> list[int]:
    found = (coded.index_of(float(c)) for c in sorted(codes))
    return [i for i in found if i is not None]


def item_level_counts(cohort: Any) -> pd.DataFrame:
    """Answers to every Likert item of every questionnaire, one row per scale level.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.

    Returns
    -------
    pandas.DataFrame
        ``questionnaire, item, level, label, category, n, item_n, pct`` in codebook order,
        levels in scale order. ``category`` is 'agree', 'neutral' or 'disagree' from the
        scale; ``item_n`` counts respondents answering the item; ``pct = 100 * n / item_n``
        unrounded (NaN when nobody answered). Codes are as answered (no reverse-keying).
        With a survey weight, ``n`` and ``item_n`` are sums of weights (floats).

    Notes
    -----
    :math:`pct_{jl} = 100\\,\\sum_i w_i [x_{ij} = l] / \\sum_i w_i [x_{ij}\\ \\mathrm{answered}]`,
    with :math:`w_i = 1` when unweighted.

    References
    ----------
    Heiberger RM, Robbins NB. Design of diverging stacked bar charts for Likert scales and
    other applications. J Stat Softw 2014;57(5).

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> t = item_level_counts(example_cohort())
    >>> t.loc[t["item"] == "A1", "n"].tolist()
    [0, 1, 1, 1, 1]
    """
    return _item_level_counts(CodedCohort(cohort))


def _item_level_counts(data: CodedCohort) -> pd.DataFrame:
    rows = []
    for qid, item, coded, w in _item_rows(data):
        scale = data.codebook.scale_of(item)
        weighted = w is not None
        item_n = _weight_sum(coded, w, list(range(coded.k)))
        for lv in scale.levels:
            n = _weight_sum(coded, w, _indices(coded, [lv.code]))
            rows.append(
                {
                    "questionnaire": qid,
                    "item": item,
                    "level": lv.code,
                    "label": lv.label,
                    "category": scale.category_of(lv.code),
                    "n": n if weighted else int(n),
                    "item_n": item_n if weighted else int(item_n),
                    "pct": 100.0 * n / item_n if item_n > 0 else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=LEVEL_COLUMNS)


def item_agreement(cohort: Any) -> pd.DataFrame:
    """Share of respondents agreeing, neutral and disagreeing with every item.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.

    Returns
    -------
    pandas.DataFrame
        One row per questionnaire x item: ``questionnaire, item, domain, n, missing,
        nonsubstantive, pct_agree, pct_neutral, pct_disagree``. ``domain`` is the first
        codebook domain listing the item (None if none); ``n`` counts respondents answering on
        the scale, ``missing`` those who left it blank, ``nonsubstantive`` those who gave a
        declared non-substantive answer such as "Don't know" (respondent counts, also when
        weighted). Percentages are of those answering on the scale (weighted when the
        questionnaire has a weight), unrounded; ``pct_neutral`` is NaN when the scale has no
        neutral level. Percentages describe the statement as worded.

    Notes
    -----
    :math:`pct_{agree} = 100 \\sum_{l \\in A} n_l / \\sum_l n_l` with :math:`A` the scale's
    agree levels; likewise for neutral and disagree.

    References
    ----------
    Heiberger RM, Robbins NB. J Stat Softw 2014;57(5).

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> round(float(item_agreement(example_cohort())["pct_agree"].iloc[0]), 6)
    50.0
    """
    return _item_agreement(CodedCohort(cohort))


def _item_agreement(data: CodedCohort) -> pd.DataFrame:
    rows = []
    for qid, item, coded, w in _item_rows(data):
        scale = data.codebook.scale_of(item)
        total = _weight_sum(coded, w, list(range(coded.k)))

        def share(levels: frozenset[int]) -> float:
            return 100.0 * _weight_sum(coded, w, _indices(coded, levels)) / total if total > 0 else np.nan

        nonsub = data.n_nonsubstantive(qid, item)
        rows.append(
            {
                "questionnaire": qid,
                "item": item,
                "domain": domain_of(data.codebook, item),
                "n": coded.n_answered,
                "missing": int(coded.counts[coded.k]) - nonsub,
                "nonsubstantive": nonsub,
                "pct_agree": share(scale.agree),
                "pct_neutral": share(scale.neutral) if scale.has_neutral else np.nan,
                "pct_disagree": share(scale.disagree),
            }
        )
    table = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    # Object dtype keeps None (not NaN) for items outside every domain, as the contract says.
    table["domain"] = pd.Series([r["domain"] for r in rows], dtype=object, index=table.index)
    return table


def domain_agreement(cohort: Any, agreement: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean keyed item agreement per questionnaire x domain (the unweighted mean over items).

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.
    agreement : pandas.DataFrame, optional
        A precomputed :func:`item_agreement` frame of this cohort (saves recomputing it).

    Returns
    -------
    pandas.DataFrame
        ``questionnaire, domain, label, n_items, items, pct_agree, pct_neutral,
        pct_disagree``: each percentage is the mean of the per-item percentages over the
        domain's items asked in that questionnaire (``items`` lists them, comma-separated).
        Items nobody answered are left out of the mean; a domain with no asked item is
        omitted.

    Notes
    -----
    :math:`\\overline{pct}_{d} = \\frac{1}{|I_d|}\\sum_{j \\in I_d} pct_j`: every item weighs
    the same whatever its number of answers.

    References
    ----------
    Cox WAS, Cavenagh P, Bello F. BMJ Open 2020;10:e033835 (figure 5).

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> domain_agreement(example_cohort())[["domain", "n_items"]].to_numpy().tolist()
    [['d', 2]]
    """
    agreement = item_agreement(cohort) if agreement is None else agreement
    rows = []
    for qid, q in cohort.codebook.questionnaires.items():
        mine = agreement[agreement["questionnaire"] == qid].set_index("item")
        for did, dom in cohort.codebook.domains.items():
            items = [i for i in dom.items if i in q.items and i in mine.index and mine.at[i, "n"] > 0]
            if not items:
                continue
            part = mine.loc[items]
            reverse = np.array([cohort.codebook.items[i].reverse for i in items])
            agree = part["pct_agree"].to_numpy(dtype=float)
            disagree = part["pct_disagree"].to_numpy(dtype=float)
            rows.append(
                {
                    "questionnaire": qid,
                    "domain": did,
                    "label": dom.label,
                    "n_items": len(items),
                    "items": ",".join(items),
                    "n_reversed": int(reverse.sum()),
                    "pct_agree": float(pd.Series(np.where(reverse, disagree, agree)).mean()),
                    "pct_neutral": float(part["pct_neutral"].mean(skipna=False)),
                    "pct_disagree": float(pd.Series(np.where(reverse, agree, disagree)).mean()),
                }
            )
    return pd.DataFrame(rows, columns=DOMAIN_COLUMNS)
