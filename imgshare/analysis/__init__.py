"""The analysis layer: a :class:`~imgshare.cohort.Cohort` in, tidy unrounded DataFrames out.

Every function takes the cohort (and plain parameters) and returns new frames; nothing here
rounds, formats or plots. :func:`analyse` runs everything the codebook asks for and
:func:`results_to_json` / :func:`write_results` serialise the result (schema:
``docs/results-schema.md``).
"""

from ._agreement import domain_agreement, item_agreement, item_level_counts
from ._common import AnalysisError
from ._descriptives import categorical_table, descriptive_tables, rounded_percentages
from ._scores import DEFAULT_MIN_ANSWERED, theme_scores

__all__ = [
    "AnalysisError",
    "DEFAULT_MIN_ANSWERED",
    "categorical_table",
    "descriptive_tables",
    "domain_agreement",
    "item_agreement",
    "item_level_counts",
    "rounded_percentages",
    "theme_scores",
]
