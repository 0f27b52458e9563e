"""Builder for a group-comparison table (Mann-Whitney U / Kruskal-Wallis H per outcome).

It reads ``imgshare.analysis.compare_groups`` output: the ``tests`` frame (one row per
comparison x outcome) and the ``groups`` frame (one row per comparison x outcome x group).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..codebook import Codebook
from ._format import DASH, NumberStyle, fmt_count, fmt_number, fmt_p, is_missing
from ._lookup import group_label, outcome_label, require_columns, require_numeric
from ._spec import Footnote, TableError, TableSpec
from ._withheld import Withheld, flag_of

__all__ = ["tbl_comparisons", "TEST_NAMES", "EFFECT_MEASURES"]

TEST_NAMES = {"mann-whitney": "Mann-Whitney U test", "kruskal-wallis": "Kruskal-Wallis H test",
              "spearman": "Spearman rank correlation"}
STATISTIC_SYMBOLS = {"mann-whitney": "U", "kruskal-wallis": "H", "spearman": "ρ"}
#: How each test's p is obtained, by ``p_method``.
P_METHODS = {
    ("mann-whitney", "asymptotic"): "normal approximation with tie and continuity correction",
    ("mann-whitney", "exact"): "exact distribution (no ties)",
    ("kruskal-wallis", "asymptotic"): "χ² approximation with tie correction",
    ("spearman", "t"): "t distribution with n − 2 df",
}
#: Effect measure id -> (column symbol, definition for the footnote).
EFFECT_MEASURES = {
    "r": ("r", "r = z/√N"),
    "epsilon2": ("ε²", "ε² = H/(N − 1)"),
    "rho": ("ρ", "ρ: Spearman's rank correlation with pairwise-complete cases; CI by Fisher's z"),
}
#: Row groups of outcome kinds, in table order.
KIND_GROUPS = {"theme": "Themes", "item": "Items", "variable": "Numbers"}
#: The measure each test reports when the frame has no ``effect_measure`` column.
DEFAULT_MEASURE = {"mann-whitney": "r", "kruskal-wallis": "epsilon2"}

_TESTS = ("comparison", "outcome", "outcome_kind", "test", "statistic", "dof", "p", "p_method", "n",
          "effect", "effect_ci_low", "effect_ci_high", "higher_group", "reason")
_GROUPS = ("comparison", "outcome", "group", "n", "mean_rank")


def _text(value) -> str:
    return "" if is_missing(value) else str(value).strip()


def tbl_comparisons(tests: pd.DataFrame, groups: pd.DataFrame, codebook: Codebook, label: str, *,
                    comparison: str, title: str | None = None, decimals: int = 2,
                    p_adjust: str | None = None, effect_measures: Mapping[str, tuple[str, str]] | None = None,
                    style: NumberStyle | None = None, min_cell: int | None = None) -> TableSpec:
    """One group comparison: mean rank per group, statistic, df, p and effect (95% CI) per outcome.

    Parameters
    ----------
    tests : pandas.DataFrame
        ``comparison, outcome, outcome_kind, test, statistic, dof, p, p_method, n, effect,
        effect_ci_low, effect_ci_high, higher_group, reason``; optionally ``effect_measure``
        ("r", "epsilon2"), ``dropped_groups`` and ``p_adj``.
    groups : pandas.DataFrame
        ``comparison, outcome, group, n, mean_rank``; optionally ``group_label``.
    codebook : Codebook
    label : str
    comparison : str
        The comparison id (one table per comparison: the groups differ between comparisons).
    title : str, optional
        Default: the comparison's codebook label.
    decimals : int
        Decimal places of the statistic and the effect.
    p_adjust : str, optional
        Name of the multiplicity adjustment behind ``p_adj`` (for its footnote).
    effect_measures : mapping, optional
        Extra or replacement entries for :data:`EFFECT_MEASURES`.
    style : NumberStyle, optional
        The project's number style; effect sizes get :meth:`NumberStyle.effect_ci`'s digits (an
        ε² of 0.004 prints "0.004", not "0.00"). Default: ``statistic_decimals=decimals``.
    min_cell : int, optional
        The small-cell threshold of results from :func:`imgshare.disclosure.protect`: values
        flagged withheld print as ``<K`` or the withheld mark.

    Notes
    -----
    Themes come before items, then number variables (row groups when several kinds are
    present). Outcomes not tested print dashes, with the analysis' ``reason`` footnoted at the
    outcome. A comparison by a number variable (Spearman) has no groups: its columns are n,
    ρ (95% CI) and p.
    """
    require_columns(tests, _TESTS, "comparison tests")
    require_columns(groups, _GROUPS, "comparison groups")
    require_numeric(tests, ("statistic", "dof", "p", "n", "effect", "effect_ci_low", "effect_ci_high", "p_adj"),
                    "comparison tests")
    require_numeric(groups, ("n", "mean_rank"), "comparison groups")
    style = style or NumberStyle(statistic_decimals=decimals)
    part = tests[tests["comparison"] == comparison]
    if part.empty:
        raise TableError(f"comparison tests: no rows for comparison '{comparison}'")
    # Themes first, then items, then numbers, each kind in the order given.
    order = list(KIND_GROUPS)
    kinds = [k if k in KIND_GROUPS else "item" for k in part["outcome_kind"]]
    part = part.assign(_kind=[order.index(k) for k in kinds]).sort_values("_kind", kind="stable")
    part = part.drop(columns="_kind").reset_index(drop=True)
    kinds = [k if k in KIND_GROUPS else "item" for k in part["outcome_kind"]]
    correlational = bool(len(part)) and set(part["test"].map(_text)) <= {"spearman", "none"} \
        and (part["test"] == "spearman").any()
    ranks = groups[groups["comparison"] == comparison]
    measures = {**EFFECT_MEASURES, **(effect_measures or {})}
    marks = Withheld(min_cell)
    rows = [row for _, row in part.iterrows()]
    test_flag = [flag_of(r, "test") for r in rows]
    run = [not is_missing(s) or bool(f) for s, f in zip(part["statistic"], test_flag)]

    def cell(flag: str, shown, column: str, i: int) -> str:
        return marks.text(flag, shown, column, i)

    data: dict[str, list] = {"outcome": [outcome_label(codebook, o, k) for o, k in zip(part["outcome"], kinds)]}
    labels: dict[str, str] = {}
    group_cols = _group_columns(data, labels, part, ranks, codebook, comparison, marks)
    data["n"] = [cell(flag_of(r, "n"), lambda r=r: fmt_count(r["n"]), "n", i) for i, r in enumerate(rows)]
    if not correlational:
        # U moves in steps of 0.5, so it prints exactly; H is rounded like the effect.
        data["statistic"] = [DASH if not ok else cell(tf, lambda r=r: fmt_count(r["statistic"], 1) if r["test"] ==
                                                      "mann-whitney" else fmt_number(r["statistic"], decimals),
                                                      "statistic", i)
                             for i, (r, ok, tf) in enumerate(zip(rows, run, test_flag))]
    if (part["test"] == "kruskal-wallis").any():  # a Mann-Whitney-only table has no df column of dashes
        data["dof"] = [fmt_count(d) if ok and not is_missing(d) else DASH for d, ok in zip(part["dof"], run)]
    data["p"] = [cell(tf, lambda r=r: fmt_p(r["p"]), "p", i) if ok else DASH
                 for i, (r, ok, tf) in enumerate(zip(rows, run, test_flag))]
    if "p_adj" in part.columns:
        data["p_adj"] = [cell(tf, lambda r=r: fmt_p(r["p_adj"]) if not is_missing(r["p_adj"]) else DASH, "p_adj", i)
                         if ok else DASH for i, (r, ok, tf) in enumerate(zip(rows, run, test_flag))]
    data["effect"] = [cell(flag_of(r, "effect"), lambda r=r: style.effect_ci(
        r["effect"], r["effect_ci_low"], r["effect_ci_high"]) if not is_missing(r["effect"]) else DASH, "effect", i)
        if ok else DASH for i, (r, ok) in enumerate(zip(rows, run))]
    if not correlational:
        data["higher"] = [cell(flag_of(r, "higher_group"), lambda r=r: _higher(
            codebook, comparison, ranks, r["higher_group"]), "higher", i) if ok else DASH
            for i, (r, ok) in enumerate(zip(rows, run))]

    test_ids = [t for t in dict.fromkeys(part["test"].map(_text)) if t]
    if "effect_measure" in part.columns:
        measure_ids = [m for m in dict.fromkeys(part["effect_measure"].map(_text)) if m]
    else:
        measure_ids = [DEFAULT_MEASURE[t] for t in test_ids if t in DEFAULT_MEASURE]
    symbols = {STATISTIC_SYMBOLS.get(t, "Statistic") for t in test_ids}
    effect_symbols = {measures.get(m, (m, m))[0] for m in measure_ids}
    labels.update(
        n="n", statistic=symbols.pop() if len(symbols) == 1 else "Statistic", dof="df", p="p", p_adj="Adjusted p",
        effect=f"{effect_symbols.pop() if len(effect_symbols) == 1 else 'Effect'} (95% CI)",
        higher="Higher ranks" if len(group_cols) == 2 else "Highest ranks",
    )
    labels = {k: v for k, v in labels.items() if k in data}
    if len(set(kinds)) > 1:
        data["kind"] = [KIND_GROUPS[k] for k in kinds]

    notes = _notes(part, test_ids, measure_ids, measures, run, p_adjust) + marks.notes()
    if any(style.effect_decimals(e) > style.statistic_decimals for e, ok in zip(part["effect"], run)
           if ok and not is_missing(e)):
        notes.append(f"Effect sizes too small to show at {style.statistic_decimals} decimals print with more.")
    comp = codebook.comparisons.get(comparison)
    return TableSpec(label=label, title=title or (comp.label if comp is not None else str(comparison)),
                     data=pd.DataFrame(data), stub="outcome", stubhead="Outcome",
                     groups="kind" if "kind" in data else None, column_labels=labels,
                     spanners={"Mean rank": group_cols} if group_cols else {}, footnotes=notes,
                     is_synthetic=codebook.study.synthetic)


def _group_name(codebook: Codebook, comparison: str, ranks: pd.DataFrame, group) -> str:
    if "group_label" in ranks.columns:
        named = ranks.loc[ranks["group"].astype(str) == str(group), "group_label"].map(_text)
        named = [n for n in named if n]
        if named:
            return named[0]
    return group_label(codebook, comparison, group)


def _higher(codebook: Codebook, comparison: str, ranks: pd.DataFrame, group) -> str:
    text = _text(group)
    return _group_name(codebook, comparison, ranks, text) if text and text != "neither" else DASH


def _group_columns(data, labels, part, ranks, codebook, comparison, marks: Withheld) -> list[str]:
    """A mean-rank column per group; the group's n goes in its label when it is the same throughout."""
    from ..disclosure import count_label

    cols = []
    for j, g in enumerate(dict.fromkeys(ranks["group"])):
        gr = ranks[ranks["group"] == g].drop_duplicates("outcome").set_index("outcome")
        used = gr.loc[gr.index.isin(part["outcome"])]
        sizes = {(None if is_missing(r["n"]) else float(r["n"]), flag_of(r, "n")) for _, r in used.iterrows()}
        same_n = len(sizes) == 1
        col = f"group_{j}"
        cols.append(col)
        name = _group_name(codebook, comparison, ranks, g)
        if same_n:
            n, flag = sizes.pop()
            labels[col] = f"{name} ({count_label(n, flag, marks.k, fmt_count, chr(0xA0))})"
        else:
            labels[col] = name
        cells = []
        for i, o in enumerate(part["outcome"]):
            if o not in gr.index:
                cells.append(DASH)
                continue
            row = gr.loc[o]
            rank_flag = flag_of(row, "mean_rank")
            if not rank_flag and is_missing(row["mean_rank"]):
                cells.append(DASH)
                continue
            mr = marks.text(rank_flag, lambda row=row: fmt_number(row["mean_rank"], 1), col, i)
            if not same_n:
                mr = f"{mr} ({marks.text(flag_of(row, 'n'), lambda row=row: fmt_count(row['n']), col, i)})"
            cells.append(mr)
        data[col] = cells
    return cols


def _notes(part, test_ids, measure_ids, measures, run, p_adjust) -> list[Footnote | str]:
    notes: list[Footnote | str] = []
    for t in test_ids:
        methods = [m for m in dict.fromkeys(part.loc[part["test"].map(_text) == t, "p_method"].map(_text)) if m]
        how = "; ".join(P_METHODS.get((t, m), m) for m in methods)
        notes.append(f"{TEST_NAMES.get(t, t)}, two-sided" + (f"; p: {how}." if how else "."))
    defined = [measures[m][1] for m in measure_ids if m in measures]
    if defined:
        notes.append(f"Effect size: {'; '.join(defined)}; 95% confidence interval in parentheses.")
    if "p_adj" in part.columns:
        notes.append(f"Adjusted p: {p_adjust} adjustment across the tested outcomes." if p_adjust
                     else "Adjusted p: p adjusted for multiple testing.")
    if set(test_ids) <= {"spearman"}:
        notes.append("n: respondents with a value for both the outcome and the variable correlated with.")
    else:
        notes.append("n: respondents in the compared groups with a value for the outcome; "
                     "mean ranks are within the pooled sample.")
    for i, ok in enumerate(run):
        reason = _text(part.at[i, "reason"])
        if not ok:
            notes.append(Footnote(reason or "Not tested.", column="outcome", row=i))
        dropped = _text(part.at[i, "dropped_groups"]) if "dropped_groups" in part.columns else ""
        if ok and dropped:
            notes.append(Footnote(f"Groups without answers left out: {dropped}.", column="outcome", row=i))
    return notes
