"""Per-respondent theme scores: the mean of a theme's keyed item codes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..codebook._model import DEFAULT_MIN_ANSWERED as _DEFAULT
from ..stats import LevelCounts, level_median, level_quantile
from ._coded_cohort import CodedCohort
from ._common import AnalysisError
from ._theme_patterns import row_scores, theme_codes

__all__ = ["theme_scores", "summarise_scores", "min_answered_of", "DEFAULT_MIN_ANSWERED"]

#: Default share of a theme's items a respondent must answer for a theme score (the codebook's
#: ``analysis.min_answered`` when it sets one).
DEFAULT_MIN_ANSWERED = _DEFAULT


def min_answered_of(cohort: Any, min_answered: float | None) -> float:
    """The rule to apply: the argument when given, else the codebook's ``analysis.min_answered``."""
    value = cohort.codebook.analysis.min_answered if min_answered is None else min_answered
    check_min_answered(value)
    return value

SCORE_COLUMNS = ["questionnaire", "respondent", "theme", "n_items", "n_answered", "score"]
SUMMARY_COLUMNS = ["questionnaire", "theme", "n_items", "n", "n_unscored", "mean", "sd", "median", "q1", "q3"]


def check_min_answered(min_answered: float) -> None:
    if not 0 < min_answered <= 1:
        raise AnalysisError(f"min_answered must be in (0, 1], got {min_answered!r}")


def theme_scores(cohort: Any, questionnaire: str, min_answered: float | None = None) -> pd.DataFrame:
    """Each respondent's score on each theme the questionnaire asks.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.
    questionnaire : str
        Questionnaire id.
    min_answered : float, optional
        Missing-data rule: a score is computed when the respondent answered at least this
        share of the theme's items (asked in this questionnaire), i.e. at least
        ``ceil(min_answered * n_items)`` and at least one; otherwise the score is NaN.
        Default: the codebook's ``analysis.min_answered`` (0.5 unless set). A non-substantive
        answer ("Don't know") is not an answered item.

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
    min_answered = min_answered_of(cohort, min_answered)
    data = CodedCohort(cohort)
    data.questionnaire(questionnaire)
    frame = data.frame(questionnaire)
    parts = []
    for tid in data.codebook.themes:
        items = data.codebook.theme_items(tid, questionnaire)
        if not items:
            continue
        codes = theme_codes(data, questionnaire, items, min_answered)
        n_answered, score = codes.answered(), codes.scores()
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
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def theme_score_summary(data: CodedCohort, min_answered: float) -> pd.DataFrame:
    """:func:`summarise_scores` of every questionnaire's :func:`theme_scores`, from the score counts.

    Mean and SD are pandas' on the scored respondents in row order (so identical to summarising
    the respondent-level frame); median and quartiles are read off the score counts.
    """
    check_min_answered(min_answered)
    rows = []
    for qid in data.codebook.questionnaires:
        data.questionnaire(qid)
        n = data.n(qid)
        for tid in data.codebook.themes:
            items = data.codebook.theme_items(tid, qid)
            if not items or n == 0:
                continue
            codes = theme_codes(data, qid, items, min_answered)
            counts = LevelCounts(codes.score_levels, codes.score_counts[:-1])
            scored = counts.n
            values = row_scores(data, qid, items, min_answered)
            s = pd.Series(values[~np.isnan(values)]) if scored else pd.Series([], dtype=float)
            rows.append({
                "questionnaire": qid, "theme": tid, "n_items": len(items), "n": scored, "n_unscored": n - scored,
                "mean": s.mean() if scored else np.nan, "sd": s.std(ddof=1) if scored > 1 else np.nan,
                "median": level_median(counts) if scored else np.nan,
                "q1": level_quantile(counts, 0.25) if scored else np.nan,
                "q3": level_quantile(counts, 0.75) if scored else np.nan,
            })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
