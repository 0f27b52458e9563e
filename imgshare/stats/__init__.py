"""Statistics core: rank tests, correlations, reliability and proportions from level counts.

Pure functions: arrays (or :class:`LevelCounts`) in, tidy unrounded pandas DataFrames out. No
codebook, no Cohort. Undefined results come back as NaN with a ``reason``; unusable input raises
:class:`StatsInputError` (an :class:`imgshare.errors.ImgshareError`).

Public API (stable; the analysis layer codes against it):

- Counting: ``LevelCounts(levels, counts)``, ``LevelCounts.from_values(x)``,
  ``LevelCodes.from_values(x)`` (encode a variable once), ``Grouping.from_labels(labels)``
  (encode a grouping variable once), ``Grouping.level_counts(values or LevelCodes)`` and
  ``level_counts_by_group(values, groups)`` ``-> dict[label, LevelCounts]`` (one counting pass),
  ``average_ranks(x)``, ``midranks(counts)``, ``tie_sum(counts)``.
- Correlation: ``spearman(x, y, *, confidence=0.95)``; ``spearman_matrix(frame, *, confidence=0.95)``.
- Group comparison: ``mann_whitney(x, y, *, names=("x", "y"), method="auto", ci="analytic",
  n_boot=2000, confidence=0.95, seed=0)``; ``kruskal_wallis(*groups, names=None, ci="analytic",
  n_boot=2000, confidence=0.95, seed=0) -> KruskalWallisResult(test, groups)``;
  ``dunn(*groups, names=None, p_adjust="holm")``. Effect-size CIs (``ci``, one of
  ``CI_METHODS``) are analytic by default (r: DeLong logit interval of the Mann-Whitney
  probability; epsilon-squared: noncentral-F interval of the ANOVA on midranks), or a percentile
  bootstrap of ``n_boot`` resamples. ``mann_whitney_row``, ``kruskal_wallis_rows`` and
  ``dunn_rows`` return the same results as plain dicts, for callers running many tests.
- Multiplicity: ``adjust_pvalues(p, method="holm")`` for "holm", "fdr_bh", "bonferroni".
- Reliability: ``cronbach_alpha(frame, *, confidence=0.95)``.
- Proportions: ``wilson_ci(k, n, level=0.95)``; ``largest_remainder(counts, decimals=0)``.
- From tables already counted: ``spearman_from_tables({(a, b): table}, *, confidence=0.95)``,
  ``cronbach_alpha_from_patterns(patterns, rows, n_incomplete=0, *, confidence=0.95)``,
  ``level_quantile(counts, q)`` and ``level_median(counts)`` (equal to numpy's on the raw values).

Groups passed to the comparison functions may be raw arrays (NaN/NA dropped) or
:class:`LevelCounts`; both give identical results.
"""

from ._correlation import spearman, spearman_matrix
from ._counts import Grouping, LevelCodes, LevelCounts, average_ranks, level_counts_by_group, midranks, tie_sum
from ._errors import StatsInputError
from ._effect_ci import CI_METHODS
from ._fromtables import cronbach_alpha_from_patterns, level_median, level_quantile, spearman_from_tables
from ._kruskal import KruskalWallisResult, dunn, dunn_rows, kruskal_wallis, kruskal_wallis_rows
from ._mannwhitney import mann_whitney, mann_whitney_row
from ._proportions import largest_remainder, wilson_ci
from ._pvalues import P_ADJUST_METHODS, adjust_pvalues
from ._reliability import cronbach_alpha

__all__ = [
    "LevelCounts",
    "LevelCodes",
    "Grouping",
    "level_counts_by_group",
    "average_ranks",
    "midranks",
    "tie_sum",
    "spearman",
    "spearman_matrix",
    "mann_whitney",
    "mann_whitney_row",
    "kruskal_wallis",
    "kruskal_wallis_rows",
    "KruskalWallisResult",
    "dunn",
    "dunn_rows",
    "CI_METHODS",
    "adjust_pvalues",
    "P_ADJUST_METHODS",
    "cronbach_alpha",
    "wilson_ci",
    "largest_remainder",
    "spearman_from_tables",
    "cronbach_alpha_from_patterns",
    "level_quantile",
    "level_median",
    "StatsInputError",
]
