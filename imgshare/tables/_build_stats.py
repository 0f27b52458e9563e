"""Builders for theme and item tables: within-theme correlations, item agreement, reliability.

They take the analysis layer's unrounded frames and only format them. Questionnaires sit
side by side under spanners; themes and items are grouped by their codebook domain.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..codebook import Codebook, common_words
from ._format import DASH, fmt_count, fmt_estimate_ci, fmt_number, is_missing
from ._lookup import outcome_label, questionnaire_label, require_columns, require_numeric
from ._spec import Footnote, TableError, TableSpec
from ._withheld import Withheld, flag_of

__all__ = ["tbl_theme_correlations", "tbl_item_agreement", "tbl_reliability", "grouped_by_domain"]

OTHER_GROUP = "Other"


def grouped_by_domain(codebook: Codebook, ids: Sequence[str], kind: str) -> tuple[list[str], list[str] | None]:
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
                           alpha: float | None = None, decimals: int = 2, min_cell: int | None = None) -> TableSpec:
    """Within-theme Spearman correlations, questionnaires side by side.

    ``summary``: ``questionnaire, theme, n_pairs, rho, rho_min, rho_max, n_significant``, and
    optionally ``alpha`` (the significance level used) and ``reason`` (why a theme has no
    coefficient). Per questionnaire: ρ (a two-item theme's coefficient; a dash when ``rho`` is
    NaN, as for larger themes), the range over item pairs when there are several, and the
    pairs significant at ``alpha`` (the frame's, else the argument, else 0.05).
    """
    require_columns(summary, ("questionnaire", "theme", "n_pairs", "rho", "rho_min", "rho_max", "n_significant"),
                    "theme correlation summary")
    require_numeric(summary, ("n_pairs", "rho", "rho_min", "rho_max", "n_significant", "alpha"),
                    "theme correlation summary")
    if alpha is None:
        levels = summary["alpha"].dropna().unique() if "alpha" in summary.columns else []
        if len(levels) > 1:
            raise TableError(f"theme correlation summary: several significance levels ({', '.join(map(str, levels))})")
        alpha = float(levels[0]) if len(levels) else 0.05
    themes, groups = grouped_by_domain(codebook, list(summary["theme"]), "theme")
    qids = list(dict.fromkeys(summary["questionnaire"]))
    data: dict[str, list] = {"theme": [outcome_label(codebook, t, "theme") for t in themes]}
    spanners, labels, notes = {}, {}, []
    marks = Withheld(min_cell)
    summarised = False
    for k, qid in enumerate(qids):
        part = summary[summary["questionnaire"] == qid].drop_duplicates("theme").set_index("theme")
        rho, rng, sig = [], [], []
        for r, t in enumerate(themes):
            if t not in part.index:
                rho.append(DASH), rng.append(DASH), sig.append(DASH)
                continue
            row = part.loc[t]
            pairs = int(row["n_pairs"])
            summarised |= pairs > 1 and not is_missing(row["rho"])
            hidden = flag_of(row, "rho")
            rho.append(marks.text(hidden, lambda row=row: fmt_number(row["rho"], decimals) or DASH, f"rho_{k}", r))
            rng.append(DASH if pairs < 2 else marks.text(hidden, lambda row=row: _range(
                row["rho_min"], row["rho_max"], decimals), f"range_{k}", r))
            sig.append(f"{int(row['n_significant'])}/{pairs}" if not is_missing(row["n_significant"]) else DASH)
            reason = str(row["reason"]).strip() if "reason" in part.columns and not is_missing(row["reason"]) else ""
            if reason:
                notes.append(Footnote(reason, column=f"rho_{k}", row=r))
        cols = [f"rho_{k}", f"range_{k}", f"sig_{k}"]
        data.update(zip(cols, (rho, rng, sig)))
        labels.update(zip(cols, ("ρ", "Range", "Significant pairs")))
        spanners[questionnaire_label(codebook, qid)] = cols
    if groups is not None:
        data["domain"] = groups
    larger = ("for themes of three or more items ρ summarises all item pairs and Range gives the smallest and "
              "largest pairwise ρ" if summarised else
              "themes of three or more items have one ρ per item pair, summarised by their Range")
    head = [f"ρ: Spearman rank correlation between the two items of a theme; {larger}.",
            f"Significant pairs: item pairs with p < {_plain(alpha)}, of all pairs."]
    return TableSpec(label=label, title=title, data=pd.DataFrame(data), stub="theme", stubhead="Theme",
                     groups="domain" if groups is not None else None, column_labels=labels, spanners=spanners,
                     footnotes=head + notes + marks.notes(), is_synthetic=codebook.study.synthetic)


def _plain(x: float) -> str:
    """0.05 -> "0.05", 0.001 -> "0.001" (no trailing zeros)."""
    return f"{x:.6f}".rstrip("0").rstrip(".")


def _range(low, high, decimals: int) -> str:
    if is_missing(low) or is_missing(high):
        return DASH
    return f"{fmt_number(low, decimals)} to {fmt_number(high, decimals)}"


def _count_column(part: pd.DataFrame, items: list[str], column: str, marks: Withheld,
                  name: str) -> list[str] | None:
    """Counts of ``column`` per item (a dash where not asked, "<K" or the withheld mark where
    withheld), or None when every count is zero."""
    if column not in part.columns:
        return None
    values = pd.to_numeric(part[column], errors="coerce")
    flags = part[f"{column}_withheld"].fillna("") if f"{column}_withheld" in part.columns else values.map(lambda _: "")
    if not ((values.fillna(0) > 0) | (flags != "")).any():
        return None
    return [DASH if i not in part.index else marks.text(flag_of(part.loc[i], column), lambda i=i: fmt_count(
        part.loc[i, column]), name, r) for r, i in enumerate(items)]


def tbl_item_agreement(agreement: pd.DataFrame, codebook: Codebook, label: str = "tbl-item-agreement", *,
                       title: str | None = None, decimals: int = 1, min_cell: int | None = None) -> TableSpec:
    """Percent agreeing / neutral / disagreeing per item, questionnaires side by side, by domain.

    ``agreement``: ``questionnaire, item, domain, n, missing, pct_agree, pct_neutral,
    pct_disagree`` and optionally ``nonsubstantive``. The neutral column is left out for a
    questionnaire whose items have no neutral level (all NaN). Blanks ("Missing") and
    non-substantive answers ("Don't know / no answer") get a count column each when any item
    has some. Headers and the default title use the scales' own words ("Often (%)" on a
    frequency scale; see :func:`imgshare.codebook.scale_words`). ``min_cell``: a withheld
    (missing) count prints "<K".
    """
    require_columns(agreement, ("questionnaire", "item", "n", "missing", "pct_agree", "pct_neutral",
                                "pct_disagree"), "item agreement")
    require_numeric(agreement, ("n", "missing", "nonsubstantive", "pct_agree", "pct_neutral", "pct_disagree"),
                    "item agreement")
    items, groups = grouped_by_domain(codebook, list(agreement["item"]), "item")
    words = common_words(codebook.scales[codebook.items[i].scale] for i in items if i in codebook.items)
    data: dict[str, list] = {"item": [outcome_label(codebook, i, "item") for i in items]}
    labels, spanners, notes = {}, {}, []
    marks = Withheld(min_cell)
    nonsub_names = _nonsubstantive_names(codebook, items)
    for k, qid in enumerate(dict.fromkeys(agreement["questionnaire"])):
        part = agreement[agreement["questionnaire"] == qid].set_index("item")
        has_neutral = part["pct_neutral"].notna().any() or (
            part.get("pct_neutral_withheld", pd.Series(dtype=object)).astype(str).ne("").any())
        cats = ["agree"] + (["neutral"] if has_neutral else []) + ["disagree"]
        cols = []
        for cat in cats:
            col = f"{cat}_{k}"
            data[col] = [marks.text(flag_of(part.loc[i], f"pct_{cat}"), lambda i=i, cat=cat: fmt_number(
                part.loc[i, f"pct_{cat}"], decimals) or DASH, col, r) if i in part.index else DASH
                for r, i in enumerate(items)]
            labels[col] = words.column(cat)
            cols.append(col)
        data[f"n_{k}"] = [marks.text(flag_of(part.loc[i], "n"), lambda i=i: fmt_count(part.loc[i, "n"]), f"n_{k}", r)
                          if i in part.index else DASH for r, i in enumerate(items)]
        labels[f"n_{k}"] = "n"
        cols.append(f"n_{k}")
        for column, header in (("nonsubstantive", nonsub_names), ("missing", "Missing")):
            counts = _count_column(part, items, column, marks, f"{column}_{k}")
            if counts is not None:
                data[f"{column}_{k}"] = counts
                labels[f"{column}_{k}"] = header
                cols.append(f"{column}_{k}")
        spanners[questionnaire_label(codebook, qid)] = cols
    for r, i in enumerate(items):
        if i in codebook.items and codebook.items[i].wording != "published":
            notes.append(Footnote("Wording reconstructed; not quoted from the questionnaire.", column="item", row=r))
    if groups is not None:
        data["domain"] = groups
    head = [f"Percentages of n respondents who answered the item on its scale: {words.positive.lower()} and "
            f"{words.negative.lower()} combine the scale's levels on each side of {words.centre}."]
    if any(c.startswith("missing_") for c in data):
        head.append("Missing: respondents asked who left the item blank.")
    if any(c.startswith("nonsubstantive_") for c in data):
        head.append(f"{nonsub_names}: answers that are not on the scale, left out of the percentages.")
    default_title = words.heading("each statement")
    return TableSpec(label=label, title=title or default_title, data=pd.DataFrame(data), stub="item",
                     stubhead="Statement",
                     groups="domain" if groups is not None else None, column_labels=labels, spanners=spanners,
                     footnotes=head + notes + marks.notes(), is_synthetic=codebook.study.synthetic)


def _nonsubstantive_names(codebook: Codebook, items: Sequence[str]) -> str:
    """The header of the non-substantive answers' column: their labels ("Don't know / No answer")."""
    labels = []
    for i in items:
        if i in codebook.items:
            scale = codebook.scales.get(codebook.items[i].scale)
            for lv in (scale.missing if scale else ()) + codebook.items[i].missing:
                if lv.label not in labels:
                    labels.append(lv.label)
    return " / ".join(labels[:3]) + (" …" if len(labels) > 3 else "") if labels else "Not on the scale"


def tbl_reliability(alpha: pd.DataFrame, codebook: Codebook, label: str = "tbl-reliability", *,
                    title: str = "Internal consistency of each theme", decimals: int = 2,
                    min_cell: int | None = None) -> TableSpec:
    """Cronbach's α (95% CI) per theme, questionnaires side by side.

    ``alpha``: ``questionnaire, theme, alpha, ci_low, ci_high, n`` and the number of items as
    ``k`` (``imgshare.analysis.theme_reliability``) or ``n_items``; an optional ``reason``
    explaining a missing α is footnoted.
    """
    items_col = "k" if "k" in alpha.columns else "n_items"
    require_columns(alpha, ("questionnaire", "theme", "alpha", "ci_low", "ci_high", "n", items_col), "reliability")
    require_numeric(alpha, ("alpha", "ci_low", "ci_high", "n", items_col), "reliability")
    themes, groups = grouped_by_domain(codebook, list(alpha["theme"]), "theme")
    data: dict[str, list] = {"theme": [outcome_label(codebook, t, "theme") for t in themes]}
    labels, spanners, notes = {}, {}, []
    marks = Withheld(min_cell)
    for k, qid in enumerate(dict.fromkeys(alpha["questionnaire"])):
        part = alpha[alpha["questionnaire"] == qid].drop_duplicates("theme").set_index("theme")

        def cell(t, fn):
            return fn(part.loc[t]) if t in part.index else DASH

        def alpha_text(r, row, k=k):
            if flag_of(r, "alpha"):
                return marks.text("withheld", str, f"alpha_{k}", row)
            if flag_of(r, "ci"):  # the interval needs n: with alpha it would give n back
                marks.text("withheld", str, f"alpha_{k}", row)
                return f"{fmt_number(r['alpha'], decimals)} (–)"
            return fmt_estimate_ci(r["alpha"], r["ci_low"], r["ci_high"], decimals) or DASH

        data[f"items_{k}"] = [cell(t, lambda r: fmt_count(r[items_col])) for t in themes]
        data[f"n_{k}"] = [cell(t, lambda r, i=i, k=k: marks.text(flag_of(r, "n"), lambda: fmt_count(r["n"]),
                                                                   f"n_{k}", i)) for i, t in enumerate(themes)]
        data[f"alpha_{k}"] = [cell(t, lambda r, i=i: alpha_text(r, i)) for i, t in enumerate(themes)]
        labels.update({f"items_{k}": "Items", f"n_{k}": "n", f"alpha_{k}": "α (95% CI)"})
        spanners[questionnaire_label(codebook, qid)] = [f"items_{k}", f"n_{k}", f"alpha_{k}"]
        if "reason" in part.columns:
            for r, t in enumerate(themes):
                if t in part.index and not is_missing(part.loc[t, "reason"]) and str(part.loc[t, "reason"]).strip():
                    notes.append(Footnote(str(part.loc[t, "reason"]).strip(), column=f"alpha_{k}", row=r))
    if groups is not None:
        data["domain"] = groups
    head = ["α: Cronbach's alpha over the n respondents who answered every item of the theme."]
    if any(codebook.items[i].reverse for t in themes if t in codebook.themes for i in codebook.themes[t].items):
        head.append("Reverse-keyed items are reversed before scoring.")
    return TableSpec(label=label, title=title, data=pd.DataFrame(data), stub="theme", stubhead="Theme",
                     groups="domain" if groups is not None else None, column_labels=labels, spanners=spanners,
                     footnotes=head + notes + marks.notes(), is_synthetic=codebook.study.synthetic)
