"""Sibling charts (one domain's statements, one chart per questionnaire) share item order and axis."""

from __future__ import annotations

import pandas as pd
import pytest

from imgshare.figures import FigureError, sibling_layout

BENEFITS = ["K1", "K2", "C1", "C2", "E1", "E2", "E3", "E4"]


def test_sibling_order_is_by_mean_agreement_across_questionnaires(counts, study_cb):
    order, _ = sibling_layout(counts, study_cb, ["patients", "experts"], BENEFITS)
    # Computed independently from the level counts: % answering an agree level, averaged.
    rows = counts[counts["item"].isin(BENEFITS) & counts["level"].isin([4, 5])]
    agree = rows.groupby(["questionnaire", "item"])["pct"].sum().unstack(0).mean(axis=1)
    rows = counts[counts["item"].isin(BENEFITS) & counts["level"].isin([1, 2])]
    disagree = rows.groupby(["questionnaire", "item"])["pct"].sum().unstack(0).mean(axis=1)
    table = pd.DataFrame({"agree": agree, "disagree": disagree, "pos": [BENEFITS.index(i) for i in agree.index]})
    expected = table.sort_values(["agree", "disagree", "pos"], ascending=[False, True, True]).index
    assert list(order) == list(expected)
    assert len(set(agree.round(6))) > 1  # the order is decided by the data, not by ties


def test_sibling_axis_is_the_widest_either_chart_needs(counts, study_cb):
    _, both = sibling_layout(counts, study_cb, ["patients", "experts"], BENEFITS)
    alone = [sibling_layout(counts, study_cb, [q], BENEFITS)[1] for q in ("patients", "experts")]
    assert both == max(alone)
    assert min(alone) <= both


def test_sibling_layout_refuses_unknown_questionnaires(counts, study_cb):
    with pytest.raises(FigureError, match="unknown questionnaire 'nurses'"):
        sibling_layout(counts, study_cb, ["nurses"], BENEFITS)


def drawn(plot):
    fig = plot.draw()
    ax = fig.axes[0]
    return ax.get_xlim(), [t.get_text() for t in ax.get_yticklabels()], list(ax.get_xticks())


def test_study_exhibits_draw_each_domains_charts_on_one_axis_in_one_order():
    from imgshare.analysis import analyse
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.exhibits import figure_exhibits

    from figures.conftest import ROOT

    results = analyse(build_cohort(load_codebook(ROOT / "data" / "codebook.yml")))
    exhibits = figure_exhibits(results)
    for domain in ("benefits", "risks"):
        pair = [exhibits[f"fig-{q}-{domain}"].obj for q in ("patients", "experts")]
        (lim_p, items_p, ticks_p), (lim_e, items_e, ticks_e) = (drawn(p) for p in pair)
        assert lim_p == pytest.approx(lim_e) and ticks_p == ticks_e, domain
        assert lim_p[0] == pytest.approx(-lim_p[1])  # symmetric about zero
        assert items_p == items_e, domain
    assert isinstance(results.item_levels, pd.DataFrame)
