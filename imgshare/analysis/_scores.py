"""Per-respondent theme scores: the mean of a theme's keyed item codes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ._common import AnalysisError, column_codes, keyed_codes, questionnaire_of, responses_of

__all__ = ["theme_scores", "summarise_scores", "keyed_item_frame", "DEFAULT_MIN_ANSWERED"]

#: Default share of a theme's items a respondent must answer for a theme score.
DEFAULT_MIN_ANSWERED = 0.5

SCORE_COLUMNS = ["questionnaire", "respondent", "theme", "n_items", "n_answered", "score"]


def keyed_item_frame(cohort: Any, questionnaire: str, items: tuple[str, ...]) -> pd.DataFrame:
    """Float frame of ``items`` (columns) per respondent with reverse-keyed items mirrored."""
    frame = responses_of(cohort, questionnaire)
    cols = {i: keyed_codes(cohort.codebook, i, column_codes(frame, i, questionnaire)) for i in items}
    return pd.DataFrame(cols, index=frame.index, columns=list(items))


def required_answers(n_items: int, min_answered: float) -> int:
    """Smallest number of answered items meeting the ``min_answered`` share (at least one)."""
    # Round before the ceiling so 0.5 * 4 is 2, not 3 through floating-point error.
    return max(1, math.ceil(round(min_answered * n_items, 9)))


def score_items(keyed: pd.DataFrame, min_answered: float) -> tuple[np.ndarray, np.ndarray]:
    """Per row of keyed item codes: (items answered, mean of answered items or NaN by the rule)."""
    values = keyed.to_numpy(dtype=float)
    n_answered = (~np.isnan(values)).sum(axis=1).astype("int64")
    enough = n_answered >= required_answers(keyed.shape[1], min_answered)
    total = np.where(np.isnan(values), 0.0, values).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return n_answered, np.where(enough, total / n_answered, np.nan)


def theme_scores(cohort: Any, questionnaire: str, min_answered: float = DEFAULT_MIN_ANSWERED) -> pd.DataFrame:
    """Each respondent's score on each theme the questionnaire asks.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.
    questionnaire : str
        Questionnaire id.
    min_answered : float, default 0.5
        Missing-data rule: a score is computed when the respondent answered at least this
        share of the theme's items (asked in this questionnaire), i.e. at least
        ``ceil(min_answered * n_items)`` and at least one; otherwise the score is NaN.

    Returns
    -------
    pandas.DataFrame
        Long and tidy, one row per respondent x theme (respondents in cohort order, themes
        in codebook order): ``questionnaire, respondent, theme, n_items, n_answered, score``.
        Themes with no item in this questionnaire are omitted.

    Notes
    -----
    The score is the mean of the answered items' codes after reverse-keying: a reverse-keyed
    item's code :math:`c` at position :math:`k` of a :math:`K`-level scale becomes the code at
    position :math:`K-1-k`, so :math:`s_i = \\frac{1}{|J_i|}\\sum_{j \\in J_i} \\tilde x_{ij}`
    over the answered items :math:`J_i` (person-mean imputation of the unanswered ones).

    References
    ----------
    Schafer JL, Graham JW. Missing data: our view of the state of the art. Psychol Methods
    2002;7:147-77 (person-mean / "half rule" prorating).

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> theme_scores(example_cohort(), "q")["score"].tolist()
    [4.5, 3.5, 2.0, 3.0, nan]
    """
    if not 0 < min_answered <= 1:
        raise AnalysisError(f"min_answered must be in (0, 1], got {min_answered!r}")
    questionnaire_of(cohort, questionnaire)
    frame = responses_of(cohort, questionnaire)
    parts = []
    for tid in cohort.codebook.themes:
        items = cohort.codebook.theme_items(tid, questionnaire)
        if not items:
            continue
        n_answered, score = score_items(keyed_item_frame(cohort, questionnaire, items), min_answered)
        parts.append(
            pd.DataFrame(
                {
                    "questionnaire": questionnaire,
                    "respondent": frame.index.astype(str),
                    "theme": tid,
                    "n_items": len(items),
                    "n_answered": n_answered,
                    "score": score,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    return pd.concat(parts, ignore_index=True)[SCORE_COLUMNS]



def summarise_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """Per questionnaire and theme: how many respondents were scored and the score distribution.

    Outputs carry this summary, never the respondent-level scores, so that no respondent's row
    leaves the analysis.
    """
    rows = []
    for (qid, theme), part in scores.groupby(["questionnaire", "theme"], sort=False):
        s = part["score"].astype(float).dropna()
        rows.append({
            "questionnaire": qid, "theme": theme, "n_items": int(part["n_items"].iloc[0]),
            "n": len(s), "n_unscored": int(len(part) - len(s)),
            "mean": s.mean() if len(s) else np.nan, "sd": s.std(ddof=1) if len(s) > 1 else np.nan,
            "median": s.median() if len(s) else np.nan,
            "q1": s.quantile(0.25) if len(s) else np.nan, "q3": s.quantile(0.75) if len(s) else np.nan,
        })
    columns = ["questionnaire", "theme", "n_items", "n", "n_unscored", "mean", "sd", "median", "q1", "q3"]
    return pd.DataFrame(rows, columns=columns)
