"""The analysis layer on the synthetic study cohort (data/*.synthetic.csv, or regenerated with seed 2020)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from imgshare.report._methods_text import methods_markdown as methods_paragraph
from imgshare.analysis import analyse, categorical_table, domain_agreement
from imgshare.codebook import load_codebook
from imgshare.cohort import build_cohort

REL = 1e-9


@pytest.fixture(scope="module")
def study(study_codebook_path, tmp_path_factory):
    cb = load_codebook(study_codebook_path)
    files = [cb.data_path(q) for q in cb.questionnaires]
    if all(f.is_file() for f in files):
        return build_cohort(cb)
    # Not committed yet: regenerate the same deterministic cohort the data files hold.
    from imgshare.synth import load_calibration, synthesize, write_synthetic

    out = tmp_path_factory.mktemp("study")
    write_synthetic(synthesize(cb, load_calibration(study_codebook_path.parent / "calibration.yml"), 2020), cb, out)
    return build_cohort(cb, data_dir=out)


@pytest.fixture(scope="module")
def results(study):
    return analyse(study)


def test_every_categorical_table_matches_value_counts(study, results):
    for (qid, var), table in results.descriptives.groupby(["questionnaire", "variable"], sort=False):
        frame = study.responses[qid]
        spec = study.codebook.questionnaires[qid].variables[var]
        asked = np.ones(len(frame), dtype=bool)
        for dep, codes in spec.asked_if.items():
            asked &= frame[dep].isin(codes).fillna(False).to_numpy(dtype=bool)
        answered = frame.loc[asked, var].dropna()
        counts = answered.value_counts()
        assert table["n"].tolist() == [counts.get(c, 0) for c in table["level"]]
        assert (table["denominator"] == len(answered)).all()
        np.testing.assert_allclose(table["pct"], 100 * table["n"] / len(answered), rtol=REL)


def test_saw_images_denominator_is_those_who_had_imaging(study):
    table = categorical_table(study, "patients", "saw_images")
    frame = study.responses["patients"]
    assert (table["denominator"] == ((frame["had_imaging"] == 1) & frame["saw_images"].notna()).sum()).all()
    assert (table["not_asked"] == (frame["had_imaging"] != 1).sum()).all()


def test_good_idea_distribution_per_questionnaire(study):
    for qid in ("patients", "experts"):
        table = categorical_table(study, qid, "good_idea")
        raw = study.responses[qid]["good_idea"].value_counts()
        assert table["n"].tolist() == [raw.get(c, 0) for c in range(1, 6)]


def test_domain_agreement_from_raw_rows(study):
    domains = domain_agreement(study).set_index(["questionnaire", "domain"])
    for qid in ("patients", "experts"):
        frame = study.responses[qid]
        for did, dom in study.codebook.domains.items():
            shares = [100 * frame[i].dropna().isin([4, 5]).mean() for i in dom.items]
            risks = [100 * frame[i].dropna().isin([1, 2]).mean() for i in dom.items]
            assert domains.loc[(qid, did), "pct_agree"] == pytest.approx(np.mean(shares), rel=REL)
            assert domains.loc[(qid, did), "pct_disagree"] == pytest.approx(np.mean(risks), rel=REL)


def test_theme_correlations_match_scipy(study, results):
    corr = results.theme_correlations
    for qid in ("patients", "experts"):
        frame = study.responses[qid]
        for row in corr[corr["questionnaire"] == qid].itertuples():
            both = frame[row.item1].notna() & frame[row.item2].notna()
            expected = stats.spearmanr(frame.loc[both, row.item1].astype(float), frame.loc[both, row.item2].astype(float))
            assert row.rho == pytest.approx(expected.statistic, rel=REL, abs=1e-12)


def test_patients_vs_experts_on_every_item_and_theme(study, results):
    tests = results.comparisons[results.comparisons["comparison"] == "patients_vs_experts"]
    assert len(tests) == 15 + 5
    row = tests.set_index("outcome").loc["good_idea"]
    expected = stats.mannwhitneyu(study.responses["patients"]["good_idea"].dropna().astype(float),
                                  study.responses["experts"]["good_idea"].dropna().astype(float))
    assert row["p"] == pytest.approx(expected.pvalue, rel=REL)
    assert row["statistic"] == pytest.approx(expected.statistic, rel=REL)


def test_age_comparison_leaves_out_the_undisclosed_age(study, results):
    groups = results.comparison_groups
    ages = groups[(groups["comparison"] == "age_group") & (groups["outcome"] == "knowledge")]
    assert ages["group"].tolist() == ["1", "2", "3", "4", "5"]
    frame = study.responses["patients"]
    assert ages["n"].sum() == frame["age_group"].isin([1, 2, 3, 4, 5]).sum()


def test_methods_paragraph_says_the_data_are_synthetic(results):
    text = methods_paragraph(results)
    assert "synthetic cohort" in text and "Patients vs clinical experts" in text


def test_input_cohort_not_modified(study):
    before = {q: f.copy(deep=True) for q, f in study.responses.items()}
    analyse(study, p_adjust="holm")
    for q, f in study.responses.items():
        pd.testing.assert_frame_equal(f, before[q])
