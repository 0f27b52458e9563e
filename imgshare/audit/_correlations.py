"""Within-theme Spearman correlations for the audit.

TEMPORARY: ``imgshare.analysis`` is to provide ``theme_correlations`` (per questionnaire x theme x
item pair: rho, p, n). Until it lands, the audit computes the same thing here with
:func:`scipy.stats.spearmanr` on pairwise-complete answers; switch :func:`theme_pairs` to the
analysis layer then and delete this module (one implementation long-term).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["theme_pairs"]

PAIR_COLUMNS = ["item_a", "item_b", "rho", "p", "n", "reason"]


def theme_pairs(cohort, questionnaire: str, theme: str) -> pd.DataFrame:
    """Spearman's rho for every pair of a theme's items asked in ``questionnaire``.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.
    questionnaire, theme : str
        Codebook ids.

    Returns
    -------
    pandas.DataFrame
        ``item_a, item_b, rho, p, n, reason``, one row per pair in codebook order; rho and p
        are NaN with a ``reason`` when undefined (fewer than three complete pairs, or an item
        answered identically by everyone). Codes are raw: Spearman's rho of a pair only
        changes sign under reverse-keying, and the published values are of the answers.

    Notes
    -----
    :math:`\\rho` is Pearson's correlation of the midranks of the pairwise-complete answers;
    :math:`p` is two-sided from :math:`t = \\rho\\sqrt{(n-2)/(1-\\rho^2)}` with :math:`n-2`
    degrees of freedom (as :func:`scipy.stats.spearmanr`).

    References
    ----------
    Spearman C. The proof and measurement of association between two things.
    Am J Psychol 1904;15:72-101.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from imgshare.codebook import parse_codebook
    >>> cb = parse_codebook({"scales": {"s": {"levels": {1: "a", 2: "b", 3: "c"}, "agree": [3],
    ...     "neutral": [2], "disagree": [1]}}, "items": {"A": {"text": "A", "scale": "s"},
    ...     "B": {"text": "B", "scale": "s"}}, "themes": {"t": {"items": ["A", "B"]}},
    ...     "questionnaires": {"q": {"file": "q.csv", "id": "rid", "items": ["A", "B"]}}})
    >>> frame = pd.DataFrame({"A": [1, 2, 3, 3], "B": [1, 2, 2, 3]}, dtype="Int64")
    >>> theme_pairs(SimpleNamespace(codebook=cb, responses={"q": frame}), "q", "t")["rho"].round(3).tolist()
    [0.833]
    """
    items = cohort.codebook.theme_items(theme, questionnaire)
    frame = cohort.responses[questionnaire]
    rows = []
    for a, b in combinations(items, 2):
        x = pd.to_numeric(frame[a]).to_numpy(dtype=float, na_value=np.nan)
        y = pd.to_numeric(frame[b]).to_numpy(dtype=float, na_value=np.nan)
        keep = ~np.isnan(x) & ~np.isnan(y)
        n = int(keep.sum())
        if n < 3:
            rows.append((a, b, np.nan, np.nan, n, f"only {n} respondents answered both"))
        elif np.ptp(x[keep]) == 0 or np.ptp(y[keep]) == 0:
            same = a if np.ptp(x[keep]) == 0 else b
            rows.append((a, b, np.nan, np.nan, n, f"everyone gave '{same}' the same answer"))
        else:
            res = stats.spearmanr(x[keep], y[keep])
            rows.append((a, b, float(res.statistic), float(res.pvalue), n, ""))
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)
