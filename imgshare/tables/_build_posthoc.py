"""Builder for a table of Dunn's pairwise tests after a Kruskal-Wallis test.

It reads ``imgshare.analysis`` ``posthoc`` output: one row per comparison x outcome x pair of
groups, for each outcome whose Kruskal-Wallis test reached the post-hoc threshold.
"""

from __future__ import annotations

import pandas as pd

from ..codebook import Codebook
from ._format import DASH, fmt_number, fmt_p, is_missing
from ._lookup import group_label, outcome_label, require_columns, require_numeric
from ._spec import TableError, TableSpec
from ._withheld import Withheld, flag_of

__all__ = ["tbl_posthoc"]

_POSTHOC = ("comparison", "outcome", "outcome_kind", "group1", "group2", "mean_rank1", "mean_rank2", "z", "p",
            "p_adj")


def tbl_posthoc(posthoc: pd.DataFrame, codebook: Codebook, label: str, *, comparison: str,
                title: str | None = None, decimals: int = 2, min_cell: int | None = None) -> TableSpec:
    """Dunn's tests of one comparison: for each outcome, every pair of groups with their mean
    ranks, z (positive when the first group ranks higher), p and the Holm-adjusted p.

    Group sizes are not printed (the comparison table gives what may be published of them).
    Rows of protected results (:func:`imgshare.disclosure.protect`) whose tests are withheld
    (``test_withheld``: a group of the outcome is withheld) print the withheld mark.

    Examples
    --------
    >>> import pandas as pd
    >>> from imgshare.analysis import analyse
    >>> from imgshare.analysis._examples import example_cohort
    >>> results = analyse(example_cohort())
    >>> frame = pd.DataFrame({"comparison": ["by_group"], "outcome": ["t"], "outcome_kind": ["theme"],
    ...                       "group1": ["1"], "group2": ["2"], "mean_rank1": [12.5], "mean_rank2": [8.0],
    ...                       "z": [2.1], "p": [0.036], "p_adj": [0.036]})
    >>> spec = tbl_posthoc(frame, results.codebook, "tbl-posthoc-by-group", comparison="by_group")
    >>> spec.cells()["z"].tolist(), spec.cells()["p_adj"].tolist()
    (['2.10'], ['0.036'])
    """
    require_columns(posthoc, _POSTHOC, "post-hoc tests")
    require_numeric(posthoc, ("mean_rank1", "mean_rank2", "z", "p", "p_adj"), "post-hoc tests")
    part = posthoc[posthoc["comparison"] == comparison].reset_index(drop=True)
    if part.empty:
        raise TableError(f"post-hoc tests: no rows for comparison '{comparison}'")
    kinds = ["theme" if k == "theme" else "item" for k in part["outcome_kind"]]
    marks = Withheld(min_cell)
    rows = [row for _, row in part.iterrows()]
    shown = {
        "rank1": lambda r: fmt_number(r["mean_rank1"], 1),
        "rank2": lambda r: fmt_number(r["mean_rank2"], 1),
        "z": lambda r: fmt_number(r["z"], decimals) or DASH,
        "p": lambda r: fmt_p(r["p"]) or DASH,
        "p_adj": lambda r: DASH if is_missing(r["p_adj"]) else fmt_p(r["p_adj"]),
    }
    data = pd.DataFrame({
        "outcome": [outcome_label(codebook, o, k) for o, k in zip(part["outcome"], kinds)],
        "pair": [f"{group_label(codebook, comparison, a)} vs {group_label(codebook, comparison, b)}"
                 for a, b in zip(part["group1"], part["group2"])],
        **{col: [marks.text(flag_of(r, "test"), lambda r=r, fn=fn: fn(r), col, i) for i, r in enumerate(rows)]
           for col, fn in shown.items()},
    })
    comp = codebook.comparisons.get(comparison)
    name = comp.label if comp is not None else str(comparison)
    return TableSpec(
        label=label, title=title or f"{name}: Dunn's pairwise tests", data=data, stub="pair", stubhead="Groups",
        groups="outcome", column_labels={"rank1": "First", "rank2": "Second", "z": "z", "p": "p",
                                          "p_adj": "Holm-adjusted p"},
        spanners={"Mean rank": ["rank1", "rank2"]},
        footnotes=["Dunn's test after a Kruskal-Wallis test with p < 0.05; z is positive when the first group "
                   "has the higher mean rank; p adjusted with Holm's method over the pairs of each outcome.",
                   *marks.notes()],
        is_synthetic=codebook.study.synthetic)
