"""Shared plumbing for the analysis layer: reading a cohort's frames through the codebook.

Nothing here computes a statistic; these helpers locate columns, respondents who were asked a
question, survey weights and keyed (reverse-scored) codes, and raise :class:`AnalysisError`
for a request the codebook cannot satisfy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook, Questionnaire, Scale
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


def column_codes(frame: pd.DataFrame, column: str, qid: str) -> pd.Series:
    """Column ``column`` as float codes (NaN = no answer), indexed like ``frame``."""
    if column not in frame.columns:
        raise AnalysisError(f"questionnaire '{qid}': the responses have no column '{column}'")
    values = pd.to_numeric(frame[column], errors="coerce")
    return pd.Series(values.to_numpy(dtype=float, na_value=np.nan), index=frame.index, name=column)


def asked_mask(q: Questionnaire, frame: pd.DataFrame, column: str) -> np.ndarray:
    """Which respondents were asked ``column``: every condition of its ``asked_if`` holds.

    Items and unconditional variables are asked of everyone. A condition on a variable that
    was itself not asked (NA) does not hold, so nested ``asked_if`` chains resolve naturally.
    """
    mask = np.ones(len(frame), dtype=bool)
    var = q.variables.get(column)
    if var is None:
        return mask
    for dep, codes in var.asked_if.items():
        dep_codes = column_codes(frame, dep, q.id).to_numpy()
        mask &= np.isin(dep_codes, np.asarray(codes, dtype=float))
    return mask


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


def keyed_codes(codebook: Codebook, item: str, codes: pd.Series) -> pd.Series:
    """Item codes with reverse-keying applied (``Scale.reversed_code``); NaN stays NaN."""
    spec = codebook.items[item]
    if not spec.reverse:
        return codes
    scale: Scale = codebook.scales[spec.scale]
    mapping = {float(c): float(scale.reversed_code(c)) for c in scale.codes}
    return codes.map(lambda v: mapping.get(v, np.nan) if v == v else np.nan)


def domain_of(codebook: Codebook, item: str) -> str | None:
    """The first domain (codebook order) that lists ``item``, else ``None``."""
    for did, dom in codebook.domains.items():
        if item in dom.items:
            return did
    return None

