"""Builders for inferential tables: theme correlations, group comparisons, item agreement, reliability.

They take the analysis layer's unrounded frames and only format them. Questionnaires sit
side by side under spanners; themes and items are grouped by their codebook domain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..codebook import Codebook
from ._format import DASH, fmt_count, fmt_estimate_ci, fmt_number, fmt_p, is_missing
from ._lookup import group_label, outcome_label, questionnaire_label, require_columns
from ._spec import Footnote, TableError, TableSpec

__all__ = ["tbl_theme_correlations", "tbl_comparisons", "tbl_item_agreement", "tbl_reliability",
           "TEST_NAMES", "EFFECT_NAMES"]

TEST_NAMES = {"mann-whitney": "Mann-Whitney U test", "kruskal-wallis": "Kruskal-Wallis H test"}
STATISTIC_SYMBOLS = {"mann-whitney": "U", "kruskal-wallis": "H"}
#: How each test's p is obtained, by ``p_method``.
P_METHODS = {
    ("mann-whitney", "asymptotic"): "normal approximation with tie and continuity correction",
    ("mann-whitney", "exact"): "exact distribution (no ties)",
    ("kruskal-wallis", "asymptotic"): "χ² approximation with tie correction",
}
EFFECT_NAMES = {"mann-whitney": "r = z/√N", "kruskal-wallis": "ε² = H/(N − 1)"}
OTHER_GROUP = "Other"


def _grouped(codebook: Codebook, ids: Sequence[str], kind: str) -> tuple[list[str], list[str] | None]:
    """Ids in codebook order, and their domain labels (None when no id has a domain)."""
    source = codebook.themes if kind == "theme" else codebook.items
    order = [i for i in source if i in set(ids)] + [i for i in dict.fromkeys(ids) if i not in source]
    if kind == "theme":
        domains = [codebook.themes[i].domain if i in codebook.themes else None for i in order]
    else:
        owner = {i: d for d, dom in codebook.domains.items() for i in dom.items}
        domains = [owner.get(i) for i in order]
    if all(d is None for d in domains):
        return order, None
    # Keep each domain's rows together, domains in codebook order, unassigned last.
    rank = {d: k for k, d in enumerate(codebook.domains)}
    paired = sorted(zip(order, domains), key=lambda p: rank.get(p[1], len(rank)))
    labels = [codebook.domains[d].label if d in codebook.domains else OTHER_GROUP for _, d in paired]
    return [i for i, _ in paired], labels


def tbl_theme_correlations(summary: pd.DataFrame, codebook: Codebook, label: str = "tbl-theme-correlations", *,
                           title: str = "Spearman correlation between the items of each theme",
                           alpha: float = 0.05, decimals: int = 2) -> TableSpec:
    """Within-theme Spearman correlations, questionnaires side by side.

    ``summary``: ``questionnaire, theme, n_pairs, rho, rho_min, rho_max, n_significant``. Per
    questionnaire: ρ, its range over item pairs (themes of three or more items) and the
    number of pairs significant at ``alpha``.
    """
    require_columns(summary, ("questionnaire", "theme", "n_pairs", "rho", "rho_min", "rho_max", "n_significant"),
                    "theme correlation summary")
    themes, groups = _grouped(codebook, list(summary["theme"]), "theme")
    qids = list(dict.fromkeys(summary["questionnaire"]))
    data: dict[str, list] = {"theme": [outcome_label(codebook, t, "theme") for t in themes]}
    spanners, labels = {}, {}
    for k, qid in enumerate(qids):
        part = summary[summary["questionnaire"] == qid].set_index("theme")
        rho, rng, sig = [], [], []
        for t in themes:
            if t not in part.index:
                rho.append(DASH), rng.append(DASH), sig.append(DASH)
                continue
            row = part.loc[t]
            pairs = int(row["n_pairs"])
            rho.append(fmt_number(row["rho"], decimals) or DASH)
            rng.append(DASH if pairs < 2 else _range(row["rho_min"], row["rho_max"], decimals))
            sig.append(f"{int(row['n_significant'])}/{pairs}" if not is_missing(row["n_significant"]) else DASH)
        cols = [f"rho_{k}", f"range_{k}", f"sig_{k}"]
        data.update(zip(cols, (rho, rng, sig)))
        labels.update(zip(cols, ("ρ", "Range", "Significant pairs")))
        spanners[questionnaire_label(codebook, qid)] = cols
    if groups is not None:
        data["domain"] = groups
    notes = [
        "ρ: Spearman rank correlation between the theme's items; for themes of three or more items it "
        "summarises all item pairs and Range gives the smallest and largest pairwise ρ.",
        f"Significant pairs: item pairs with p < {fmt_number(alpha, 3).rstrip('0').rstrip('.')}, of all pairs.",
    ]
    return TableSpec(label=label, title=title, data=pd.DataFrame(data), stub="theme", stubhead="Theme",
                     groups="domain" if groups is not None else None, column_labels=labels, spanners=spanners,
                     footnotes=notes, is_synthetic=codebook.study.synthetic)


def _range(low, high, decimals: int) -> str:
    if is_missing(low) or is_missing(high):
        return DASH
    return f"{fmt_number(low, decimals)} to {fmt_number(high, decimals)}"


_TESTS = ("comparison", "outcome", "outcome_kind", "test", "statistic", "dof", "p", "p_method", "n",
          "effect", "effect_ci_low", "effect_ci_high", "higher_group", "reason")


def tbl_comparisons(tests: pd.DataFrame, group_ranks: pd.DataFrame, codebook: Codebook, label: str, *,
                    comparison: str, title: str | None = None, decimals: int = 2,
                    effect_names: Mapping[str, str] | None = None) -> TableSpec:
    """One group comparison: mean rank per group, test statistic, df, p and effect (95% CI) per outcome.

    ``tests`` has one row per comparison x outcome (columns ``comparison, outcome, outcome_kind,
    test, statistic, dof, p, p_method, n, effect, effect_ci_low, effect_ci_high, higher_group,
    reason``); ``group_ranks`` one row per comparison x outcome x group (``comparison, outcome,
    group, n, mean_rank``). Outcomes not tested print dashes with their ``reason`` footnoted.
    """
    require_columns(tests, _TESTS, "comparison tests")
    require_columns(group_ranks, ("comparison", "outcome", "group", "n", "mean_rank"), "group mean ranks")
    part = tests[tests["comparison"] == comparison].reset_index(drop=True)
    ranks = group_ranks[group_ranks["comparison"] == comparison]
    if part.empty:
        raise TableError(f"comparison tests: no rows for comparison '{comparison}'")
    kinds = ["theme" if k == "theme" else "item" for k in part["outcome_kind"]]
    order = sorted(range(len(part)), key=lambda i: (kinds[i] != "theme", i))
    part = part.iloc[order].reset_index(drop=True)
    kinds = [kinds[i] for i in order]
    groups = list(dict.fromkeys(ranks["group"]))
    test_ids = [t for t in dict.fromkeys(part["test"]) if not is_missing(t) and t != ""]
    effects = {**EFFECT_NAMES, **(effect_names or {})}

    data: dict[str, list] = {"outcome": [outcome_label(codebook, o, k) for o, k in zip(part["outcome"], kinds)]}
    labels: dict[str, str] = {}
    group_cols = []
    for j, g in enumerate(groups):
        gr = ranks[ranks["group"] == g].set_index("outcome")
        ns = gr["n"].dropna().unique()
        same_n = len(ns) == 1
        col = f"group_{j}"
        group_cols.append(col)
        name = group_label(codebook, comparison, g)
        labels[col] = f"{name} (n\u00a0=\u00a0{fmt_count(ns[0])})" if same_n else name
        cells = []
        for o in part["outcome"]:
            if o not in gr.index or is_missing(gr.loc[o, "mean_rank"]):
                cells.append(DASH)
                continue
            mr = fmt_number(gr.loc[o, "mean_rank"], 1)
            cells.append(mr if same_n else f"{mr} ({fmt_count(gr.loc[o, 'n'])})")
        data[col] = cells
    run = [not is_missing(s) for s in part["statistic"]]
    data["n"] = [fmt_count(n) for n in part["n"]]
    data["statistic"] = [fmt_number(s, decimals) if ok else DASH for s, ok in zip(part["statistic"], run)]
    data["dof"] = [fmt_count(d) if ok and not is_missing(d) else DASH for d, ok in zip(part["dof"], run)]
    data["p"] = [fmt_p(p) if ok else DASH for p, ok in zip(part["p"], run)]
    data["effect"] = [fmt_estimate_ci(e, lo, hi, decimals) if ok and not is_missing(e) else DASH
                      for e, lo, hi, ok in zip(part["effect"], part["effect_ci_low"], part["effect_ci_high"], run)]
    data["higher"] = [group_label(codebook, comparison, h) if ok and not is_missing(h) and h != "" else DASH
                      for h, ok in zip(part["higher_group"], run)]
    symbols = {STATISTIC_SYMBOLS.get(t, "Statistic") for t in test_ids}
    labels.update(n="n", statistic=symbols.pop() if len(symbols) == 1 else "Statistic", dof="df", p="p",
                  effect="Effect (95% CI)", higher="Higher ranks")
    if kinds and len(set(kinds)) > 1:
        data["kind"] = ["Themes" if k == "theme" else "Items" for k in kinds]

    notes: list[Footnote | str] = []
    for t in test_ids:
        methods = [m for m in dict.fromkeys(part.loc[part["test"] == t, "p_method"]) if not is_missing(m) and m != ""]
        how = "; ".join(P_METHODS.get((t, m), str(m)) for m in methods)
        effect = f" Effect: {effects[t]}." if t in effects else ""
        notes.append(f"{TEST_NAMES.get(t, t)}, two-sided; p: {how}.{effect}" if how else f"{TEST_NAMES.get(t, t)}.{effect}")
    notes.append("n: respondents in the compared groups with a value for the outcome; "
                 "mean ranks are within the pooled sample.")
    for i, (ok, reason) in enumerate(zip(run, part["reason"])):
        if not ok:
            notes.append(Footnote(str(reason) if not is_missing(reason) and reason else "Not tested.",
                                  column="outcome", row=i))
    comp = codebook.comparisons.get(comparison)
    return TableSpec(label=label, title=title or (comp.label if comp is not None else str(comparison)),
                     data=pd.DataFrame(data), stub="outcome", stubhead="Outcome",
                     groups="kind" if "kind" in data else None, column_labels=labels,
                     spanners={"Mean rank": group_cols}, footnotes=notes, is_synthetic=codebook.study.synthetic)


def tbl_item_agreement(agreement: pd.DataFrame, codebook: Codebook, label: str = "tbl-item-agreement", *,
                       title: str = "Agreement with each statement", decimals: int = 1) -> TableSpec:
    """Percent agreeing / neutral / disagreeing per item, questionnaires side by side, by domain.

    ``agreement``: ``questionnaire, item, domain, n, missing, pct_agree, pct_neutral,
    pct_disagree``. The neutral column is left out for a questionnaire whose items have no
    neutral level (all NaN).
    """
    require_columns(agreement, ("questionnaire", "item", "n", "missing", "pct_agree", "pct_neutral",
                                "pct_disagree"), "item agreement")
    items, groups = _grouped(codebook, list(agreement["item"]), "item")
    data: dict[str, list] = {"item": [outcome_label(codebook, i, "item") for i in items]}
    labels, spanners, notes = {}, {}, []
    for k, qid in enumerate(dict.fromkeys(agreement["questionnaire"])):
        part = agreement[agreement["questionnaire"] == qid].set_index("item")
        cats = ["agree"] + (["neutral"] if part["pct_neutral"].notna().any() else []) + ["disagree"]
        cols = []
        for cat in cats:
            col = f"{cat}_{k}"
            data[col] = [fmt_number(part.loc[i, f"pct_{cat}"], decimals) or DASH if i in part.index else DASH
                         for i in items]
            labels[col] = f"{cat.capitalize()} (%)"
            cols.append(col)
        data[f"n_{k}"] = [fmt_count(part.loc[i, "n"]) if i in part.index else DASH for i in items]
        labels[f"n_{k}"] = "n"
        cols.append(f"n_{k}")
        for r, i in enumerate(items):
            if i in part.index and not is_missing(part.loc[i, "missing"]) and int(part.loc[i, "missing"]) > 0:
                notes.append(Footnote(f"{int(part.loc[i, 'missing'])} asked did not answer.", column=f"n_{k}", row=r))
        spanners[questionnaire_label(codebook, qid)] = cols
    for r, i in enumerate(items):
        if i in codebook.items and codebook.items[i].wording != "published":
            notes.append(Footnote("Wording reconstructed; not quoted from the questionnaire.", column="item", row=r))
    if groups is not None:
        data["domain"] = groups
    head = ["Percentages of n respondents who answered the item: agree and disagree combine the scale's "
            "agreeing and disagreeing levels."]
    return TableSpec(label=label, title=title, data=pd.DataFrame(data), stub="item", stubhead="Statement",
                     groups="domain" if groups is not None else None, column_labels=labels, spanners=spanners,
                     footnotes=head + notes, is_synthetic=codebook.study.synthetic)


def tbl_reliability(alpha: pd.DataFrame, codebook: Codebook, label: str = "tbl-reliability", *,
                    title: str = "Internal consistency of each theme", decimals: int = 2) -> TableSpec:
    """Cronbach's α (95% CI) per theme, questionnaires side by side.

    ``alpha``: ``questionnaire, theme, alpha, ci_low, ci_high, n, n_items``.
    """
    require_columns(alpha, ("questionnaire", "theme", "alpha", "ci_low", "ci_high", "n", "n_items"), "reliability")
    themes, groups = _grouped(codebook, list(alpha["theme"]), "theme")
    data: dict[str, list] = {"theme": [outcome_label(codebook, t, "theme") for t in themes]}
    labels, spanners = {}, {}
    for k, qid in enumerate(dict.fromkeys(alpha["questionnaire"])):
        part = alpha[alpha["questionnaire"] == qid].set_index("theme")

        def cell(t, fn):
            return fn(part.loc[t]) if t in part.index else DASH

        data[f"items_{k}"] = [cell(t, lambda r: fmt_count(r["n_items"])) for t in themes]
        data[f"n_{k}"] = [cell(t, lambda r: fmt_count(r["n"])) for t in themes]
        data[f"alpha_{k}"] = [cell(t, lambda r: fmt_estimate_ci(r["alpha"], r["ci_low"], r["ci_high"], decimals)
                                   or DASH) for t in themes]
        labels.update({f"items_{k}": "Items", f"n_{k}": "n", f"alpha_{k}": "α (95% CI)"})
        spanners[questionnaire_label(codebook, qid)] = [f"items_{k}", f"n_{k}", f"alpha_{k}"]
    if groups is not None:
        data["domain"] = groups
    notes = ["α: Cronbach's alpha over the n respondents who answered every item of the theme."]
    if any(codebook.items[i].reverse for t in themes if t in codebook.themes for i in codebook.themes[t].items):
        notes.append("Reverse-keyed items are reversed before scoring.")
    return TableSpec(label=label, title=title, data=pd.DataFrame(data), stub="theme", stubhead="Theme",
                     groups="domain" if groups is not None else None, column_labels=labels, spanners=spanners,
                     footnotes=notes, is_synthetic=codebook.study.synthetic)
