"""Shared plumbing for the analysis layer: reading a cohort's frames through the codebook.

Nothing here computes a statistic; these helpers locate questionnaires, their responses and
survey weights, and raise :class:`AnalysisError` for a request the codebook cannot satisfy.
Columns are read and encoded by :class:`~imgshare.analysis._coded_cohort.CodedCohort`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook, Questionnaire
from ..errors import ImgshareError

__all__ = ["AnalysisError"]


class AnalysisError(ImgshareError):
    """An analysis was requested that the codebook or the cohort cannot support."""


def questionnaire_of(cohort: Any, qid: str) -> Questionnaire:
    """The codebook entry of questionnaire ``qid``, or an :class:`AnalysisError` naming the known ones."""
    qs = cohort.codebook.questionnaires
    if qid not in qs:
        raise AnalysisError(f"unknown questionnaire '{qid}' (known: {', '.join(qs) or 'none'})")
    return qs[qid]


def responses_of(cohort: Any, qid: str) -> pd.DataFrame:
    """The analysed respondents of questionnaire ``qid`` (never modified by callers)."""
    questionnaire_of(cohort, qid)
    frames: Mapping[str, pd.DataFrame] = cohort.responses
    if qid not in frames:
        raise AnalysisError(f"the cohort has no responses for questionnaire '{qid}'")
    return frames[qid]


def weights_of(cohort: Any, qid: str, frame: pd.DataFrame) -> np.ndarray | None:
    """The survey weights of the respondents in ``frame`` or ``None`` when unweighted.

    A missing, negative or non-finite weight cannot be analysed and raises :class:`AnalysisError`.
    """
    q = questionnaire_of(cohort, qid)
    if not q.weight:
        return None
    if q.weight not in frame.columns:
        raise AnalysisError(f"questionnaire '{qid}': weight column '{q.weight}' is not in the responses")
    w = pd.to_numeric(frame[q.weight], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        who = frame.index[bad][0]
        raise AnalysisError(
            f"questionnaire '{qid}': respondent '{who}' has weight {w[bad][0]!r}; weights must be finite and >= 0"
        )
    return w


def domain_of(codebook: Codebook, item: str) -> str | None:
    """The first domain (codebook order) that lists ``item``, else ``None``."""
    for did, dom in codebook.domains.items():
        if item in dom.items:
            return did
    return None

