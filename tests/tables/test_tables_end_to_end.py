"""Every builder on the real analysis frames of the second example survey (6- and 4-point scales,
no neutral, reverse-keyed and optional items): all tables render in all formats and fit A4."""

from __future__ import annotations

import pytest
import typst
from tables.test_tables_render import PAGE, ink_outside_text_area, render_pages

from imgshare import analysis
from imgshare.cohort import build_cohort
from imgshare.tables import (
    fmt_n_pct,
    tbl_categorical,
    tbl_comparisons,
    tbl_item_agreement,
    tbl_likert_item,
    tbl_participant_flow,
    tbl_reliability,
    tbl_theme_correlations,
    to_csv,
    to_html,
    to_markdown,
    to_typst,
)


@pytest.fixture(scope="module")
def results(second_codebook):
    return analysis.analyse(build_cohort(second_codebook))


@pytest.fixture(scope="module")
def specs(results, second_codebook):
    cb = second_codebook
    out = [tbl_participant_flow(results.flow, cb)]
    for (qid, var), frame in results.descriptives.groupby(["questionnaire", "variable"], sort=False):
        out.append(tbl_categorical(frame, var, cb, f"tbl-{qid}-{var}"))
    for qid, q in cb.questionnaires.items():
        for scale in dict.fromkeys(cb.items[i].scale for i in q.items):
            items = [i for i in q.items if cb.items[i].scale == scale]
            out.append(tbl_likert_item(results.item_levels, cb, f"tbl-{qid}-{scale}", questionnaire=qid, items=items))
    out += [tbl_theme_correlations(results.theme_correlation_summary, cb),
            tbl_item_agreement(results.item_agreement, cb),
            tbl_reliability(results.reliability, cb)]
    for comp in cb.comparisons:
        out.append(tbl_comparisons(results.comparisons, results.comparison_groups, cb, f"tbl-cmp-{comp}",
                                   comparison=comp))
    return out


def test_every_table_renders_in_every_format(specs):
    assert len(specs) == 1 + 4 + 4 + 3 + 4
    for spec in specs:
        assert spec.is_synthetic
        for render in (to_html, to_typst, to_markdown, to_csv):
            assert "Synthetic data" in render(spec)


def test_all_tables_compile_together_and_stay_inside_the_margins(specs):
    source = PAGE + "\n".join(f"See @{s.label}." for s in specs) + "\n" + "\n".join(to_typst(s) for s in specs)
    pdf, warnings = typst.compile_with_warnings(source.encode())
    assert pdf.startswith(b"%PDF") and warnings == []
    for page in render_pages(source):
        assert ink_outside_text_area(page, 50) == 0


def test_counts_are_the_analysis_counts(results, specs):
    frame = results.descriptives
    dept = frame[frame["variable"] == "department"].reset_index(drop=True)
    spec = next(s for s in specs if s.label == "tbl-staff-department")
    assert spec.cells()["value"].tolist() == [fmt_n_pct(n, p) for n, p in zip(dept["n"], dept["pct"])]


def test_scales_without_neutral_have_no_neutral_column(specs, second_codebook):
    agree6 = next(s for s in specs if s.label == "tbl-staff-agree6")
    assert [agree6.column_label(c) for c in agree6.columns] == [
        *second_codebook.scales["agree6"].labels, "n"]
    agreement = next(s for s in specs if s.label == "tbl-item-agreement")
    assert not any(agreement.column_label(c).startswith("Neutral") for c in agreement.columns)
    assert ("Reverse-keyed item, shown as answered.") in [t for _, t in agree6.notes_text()]
