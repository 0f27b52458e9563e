"""Mean agreement per domain, questionnaires side by side (the study's figure 5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from plotnine import (
    aes,
    element_blank,
    element_line,
    geom_col,
    geom_text,
    ggplot,
    labs,
    position_dodge,
    scale_fill_manual,
    scale_x_discrete,
    scale_y_continuous,
    theme,
)

from ..codebook import Codebook, common_words
from ._common import default_caption, format_pct, questionnaire_label, require_choice, require_columns
from ._common import wrap as wrap_text
from ._errors import FigureError
from ._theme import INK, MUTED, theme_journal

__all__ = ["domain_agreement_data", "domain_agreement_plot", "DOMAIN_COLUMNS", "group_greys"]

DOMAIN_COLUMNS = ("questionnaire", "domain", "mean_pct_agree", "mean_pct_disagree", "n_items")
MEASURES = {"agree": "mean_pct_agree", "disagree": "mean_pct_disagree"}
_DODGE = 0.8


def group_greys(k: int) -> list[str]:
    """``k`` greys from dark to light: groups stay distinct in colour and in greyscale print,
    and carry no agree/disagree meaning that a hue from the Likert palette would suggest."""
    if k == 1:
        return ["#595959"]
    return [f"#{v:02x}{v:02x}{v:02x}" for v in np.linspace(0x40, 0xb8, k).round().astype(int)]


def domain_agreement_data(
    domain_agreement: pd.DataFrame,
    codebook: Codebook,
    *,
    measure: str = "agree",
    domains: tuple[str, ...] | None = None,
    questionnaires: tuple[str, ...] | None = None,
    wrap: int | None = 20,
) -> pd.DataFrame:
    """The bars of :func:`domain_agreement_plot`: one row per domain x questionnaire.

    Parameters
    ----------
    domain_agreement : DataFrame
        questionnaire, domain, n_items and the mean percentages as mean_pct_agree /
        mean_pct_disagree or (``imgshare.analysis.domain_agreement``) pct_agree / pct_disagree.
    codebook : Codebook
        Domain and questionnaire labels and order.
    measure : {"agree", "disagree"}
        Which mean percentage the bars show.
    domains, questionnaires : tuple of str, optional
        Which to draw, in this order; default all present in the frame, in codebook order.
    wrap : int or None
        Maximum characters per line of a domain label.

    Returns
    -------
    DataFrame
        questionnaire, domain, value (unrounded mean %; NaN when withheld), n_items, withheld
        (the disclosure flag of protected results, else ""), domain_label (with the item count
        when it is the same for every questionnaire), group_label.

    Examples
    --------
    >>> from imgshare.analysis import domain_agreement
    >>> from imgshare.analysis._examples import example_cohort
    >>> cohort = example_cohort()
    >>> domain_agreement_data(domain_agreement(cohort), cohort.codebook)[["domain", "value"]].to_numpy().tolist()
    [['d', 37.5]]
    """
    require_choice(measure, tuple(MEASURES), "measure")
    # The analysis layer names the means pct_agree / pct_disagree; the brief's contract
    # mean_pct_agree / mean_pct_disagree. Either is accepted, the explicit "mean_" name first.
    column = MEASURES[measure]
    if column not in domain_agreement.columns and column.removeprefix("mean_") in domain_agreement.columns:
        column = column.removeprefix("mean_")
    require_columns(domain_agreement, ("questionnaire", "domain", column, "n_items"), "domain_agreement")
    frame = domain_agreement
    for d in frame["domain"].unique():
        if d not in codebook.domains:
            raise FigureError(f"domain_agreement has domain '{d}' that the codebook does not define")
    for q in frame["questionnaire"].unique():
        questionnaire_label(codebook, q)
    domains = domains or tuple(d for d in codebook.domains if d in set(frame["domain"]))
    questionnaires = questionnaires or tuple(q for q in codebook.questionnaires if q in set(frame["questionnaire"]))
    rows = frame[frame["domain"].isin(domains) & frame["questionnaire"].isin(questionnaires)]
    if rows.empty:
        raise FigureError("domain_agreement has no rows for the chosen domains and questionnaires")
    if rows.duplicated(["questionnaire", "domain"]).any():
        raise FigureError("domain_agreement has more than one row for a questionnaire and domain")
    flag_col = f"{column.removeprefix('mean_')}_withheld"
    flags = rows[flag_col].map(lambda f: f if isinstance(f, str) else "") if flag_col in rows.columns else ""
    out = rows[["questionnaire", "domain", column, "n_items"]].rename(columns={column: "value"})
    out = out.assign(value=out["value"].astype("float64"), withheld=flags)

    def label(d: str) -> str:
        counts = set(out.loc[out["domain"] == d, "n_items"])
        suffix = f" ({counts.pop()}\u00a0items)" if len(counts) == 1 else ""
        return wrap_text(codebook.domains[d].label + suffix, wrap)

    out["domain_label"] = out["domain"].map({d: label(d) for d in domains})
    out["group_label"] = out["questionnaire"].map({q: codebook.questionnaires[q].label for q in questionnaires})
    order = {d: k for k, d in enumerate(domains)} | {q: k for k, q in enumerate(questionnaires)}
    out = out.sort_values(["domain", "questionnaire"], key=lambda s: s.map(order), kind="stable")
    return out.reset_index(drop=True)


def domain_agreement_plot(
    domain_agreement: pd.DataFrame,
    codebook: Codebook,
    *,
    measure: str = "agree",
    domains: tuple[str, ...] | None = None,
    questionnaires: tuple[str, ...] | None = None,
    digits: int = 2,
    wrap: int | None = 20,
    title: str | None = None,
    caption: str | None = None,
    base_size: float = 8.0,
    min_cell: int = 0,
) -> ggplot:
    """Mean % agreement with each domain's items, questionnaires side by side, values printed.

    The study's figure 5: mean agreement with the proposed benefits and with the proposed
    risks, patients beside clinical experts. Bars are greys (one per questionnaire, in codebook
    order); each value is printed above its bar with ``digits`` decimals. The axis title uses
    the scales' own words ("Mean frequency (%)" for a frequency scale; see
    :func:`imgshare.codebook.scale_words`).

    Parameters
    ----------
    domain_agreement : DataFrame
        questionnaire, domain, mean_pct_agree, mean_pct_disagree, n_items.
    codebook : Codebook
        Domain and questionnaire labels.
    measure, domains, questionnaires, wrap
        As for :func:`domain_agreement_data`.
    digits : int
        Decimals of the printed values.
    title, caption : str, optional
        Plot title and caption; a synthetic study always gets a notice in the caption.
    base_size : float
        Base font size in points.
    min_cell : int
        The threshold of protected results: a withheld mean gets no bar, only "withheld".

    Returns
    -------
    plotnine.ggplot

    Examples
    --------
    >>> from imgshare.analysis import domain_agreement
    >>> from imgshare.analysis._examples import example_cohort
    >>> cohort = example_cohort()
    >>> type(domain_agreement_plot(domain_agreement(cohort), cohort.codebook)).__name__
    'ggplot'
    """
    bars = domain_agreement_data(domain_agreement, codebook, measure=measure, domains=domains,
                                 questionnaires=questionnaires, wrap=wrap)
    groups = list(dict.fromkeys(bars["group_label"]))
    bars = bars.assign(
        domain_label=pd.Categorical(bars["domain_label"], categories=list(dict.fromkeys(bars["domain_label"]))),
        group_label=pd.Categorical(bars["group_label"], categories=groups),
        text=["withheld" if f else format_pct(v, digits) for v, f in zip(bars["value"], bars["withheld"])],
        text_y=[1.5 if f else v + 1.5 for v, f in zip(bars["value"], bars["withheld"])],
    )
    drawn = bars.assign(value=bars["value"].fillna(0.0))  # a withheld mean: no bar, only its label
    dodge = position_dodge(width=_DODGE)
    words = common_words(codebook.scales[codebook.items[i].scale]
                         for d in dict.fromkeys(bars["domain"]) for i in codebook.domains[d].items if i in codebook.items)
    axis = words.mean_axis() if measure == "agree" else f"Mean {words.negative_noun} (%)"
    return (
        ggplot(bars, aes(x="domain_label", y="value", fill="group_label"))
        + geom_col(aes(y="value"), data=drawn, position=dodge, width=0.72)
        + geom_text(aes(y="text_y", label="text", group="group_label"), position=dodge, va="bottom",
                    size=base_size * 7 / 8, color=INK)
        + scale_fill_manual(values=dict(zip(groups, group_greys(len(groups)), strict=True)))
        + scale_y_continuous(limits=(0, 100), breaks=[0, 25, 50, 75, 100], expand=(0, 0, 0.06, 0))
        + scale_x_discrete()
        + labs(x=None, y=axis, title=title, caption=default_caption(codebook, caption))
        + theme_journal(base_size)
        + theme(panel_grid_major_x=element_blank(), axis_title_x=element_blank(),
                axis_line_x=element_line(color=MUTED, size=0.4))
    )
