"""The analysis layer: a :class:`~imgshare.cohort.Cohort` in, tidy unrounded DataFrames out.

Every function takes the cohort (and plain parameters) and returns new frames; nothing here
rounds, formats or plots. :func:`analyse` runs everything the codebook asks for and
:func:`results_to_json` / :func:`write_results` serialise the result (schema:
``docs/results-schema.md``); the manuscript's methods text is written from them by
:mod:`imgshare.report`.

Each column is read and encoded once per call (small integer codes) and every statistic is
computed from count tables, so the cost per respondent is a few passes over those codes:
``_column_encoding.py`` (one column as integer codes; the blockwise counting kernels),
``_coded_cohort.py`` (one run's encoded columns and memoised count tables) and
``_theme_patterns.py`` (a theme's items counted by answer pattern: scores, item pairs,
complete cases). ``_numeric.py`` summarises number variables and ``_nonsubstantive.py`` counts
the answers that are not on a scale ("Don't know", user-missing codes).
"""

from ._agreement import domain_agreement, item_agreement, item_level_counts
from ._common import AnalysisError
from ._comparisons import GroupComparisons, compare_groups, item_comparisons
from ._descriptives import categorical_table, descriptive_tables, rounded_percentages
from ._effect_ci_text import effect_ci_sentence
from ._nonsubstantive import nonsubstantive_answers
from ._numeric import numeric_summary
from ._results import FRAME_NAMES, Results, analyse
from ._scores import DEFAULT_MIN_ANSWERED, theme_scores
from ._serialize import SCHEMA, results_to_json, write_results
from ._themes import CORRELATION_ALPHA, theme_correlation_summary, theme_correlations, theme_reliability

__all__ = [
    "AnalysisError",
    "CORRELATION_ALPHA",
    "DEFAULT_MIN_ANSWERED",
    "FRAME_NAMES",
    "GroupComparisons",
    "Results",
    "SCHEMA",
    "analyse",
    "categorical_table",
    "compare_groups",
    "descriptive_tables",
    "domain_agreement",
    "effect_ci_sentence",
    "item_agreement",
    "item_comparisons",
    "item_level_counts",
    "nonsubstantive_answers",
    "numeric_summary",
    "results_to_json",
    "rounded_percentages",
    "theme_correlation_summary",
    "theme_correlations",
    "theme_reliability",
    "theme_scores",
    "write_results",
]
