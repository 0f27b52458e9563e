from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from analysis.analysis_helpers import expert_frame, make_cohort, patient_frame
from imgshare.analysis import theme_correlation_summary, theme_correlations, theme_reliability

REL = 1e-9


def _keyed(frame: pd.DataFrame, item: str) -> pd.Series:
    values = frame[item].astype("float64")
    mirror = {"P3": lambda v: 6 - v, "S2": lambda v: 5 - v}
    return mirror[item](values) if item in mirror else values


def test_correlations_match_scipy_on_keyed_pairwise_complete_rows(cohort):
    corr = theme_correlations(cohort)
    frame = cohort.responses["pat"]
    for (a, b) in [("P1", "P2"), ("P1", "P3"), ("P2", "P3"), ("S1", "S2"), ("N1", "N2")]:
        x, y = _keyed(frame, a), _keyed(frame, b)
        both = x.notna() & y.notna()
        expected = stats.spearmanr(x[both], y[both])
        row = corr[(corr["questionnaire"] == "pat") & (corr["item1"] == a) & (corr["item2"] == b)].iloc[0]
        assert row["n"] == both.sum()
        assert row["rho"] == pytest.approx(expected.statistic, rel=REL)
        assert row["p"] == pytest.approx(expected.pvalue, rel=1e-7)


def test_reverse_keying_flips_the_sign_of_rho(cohort):
    corr = theme_correlations(cohort)
    frame = cohort.responses["pat"]
    both = frame["P1"].notna() & frame["P3"].notna()
    raw = stats.spearmanr(frame.loc[both, "P1"].astype(float), frame.loc[both, "P3"].astype(float)).statistic
    row = corr[(corr["questionnaire"] == "pat") & (corr["item1"] == "P1") & (corr["item2"] == "P3")].iloc[0]
    assert raw != 0 and row["rho"] == pytest.approx(-raw, rel=REL)


def test_one_row_per_questionnaire_theme_pair(cohort):
    corr = theme_correlations(cohort)
    assert len(corr) == (3 + 1 + 1) + (3 + 1)
    assert set(corr.loc[corr["questionnaire"] == "exp", "theme"]) == {"pos", "neg"}


def test_summary_gives_one_rho_for_two_items_and_a_range_for_more(cohort):
    corr = theme_correlations(cohort)
    summary = theme_correlation_summary(cohort).set_index(["questionnaire", "theme"])
    neg = summary.loc[("pat", "neg")]
    pair = corr[(corr["questionnaire"] == "pat") & (corr["theme"] == "neg")]
    assert neg["n_pairs"] == 1 and neg["rho"] == pair["rho"].item()
    pos = summary.loc[("pat", "pos")]
    rhos = corr[(corr["questionnaire"] == "pat") & (corr["theme"] == "pos")]["rho"]
    assert pos["n_pairs"] == 3 and np.isnan(pos["rho"])
    assert pos["rho_min"] == rhos.min() and pos["rho_max"] == rhos.max()


def test_significance_count_uses_the_threshold(cohort):
    corr = theme_correlations(cohort)
    for alpha in (0.001, 0.5, 1.0):
        summary = theme_correlation_summary(cohort, alpha=alpha).set_index(["questionnaire", "theme"])
        mine = corr[(corr["questionnaire"] == "pat") & (corr["theme"] == "pos")]
        assert summary.loc[("pat", "pos"), "n_significant"] == (mine["p"] < alpha).sum()


def test_constant_item_gives_nan_and_a_reason_without_warnings(codebook):
    frame = patient_frame()
    frame["N2"] = pd.array([4] * len(frame), dtype="Int64")
    cohort = make_cohort(codebook, {"pat": frame, "exp": expert_frame()})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corr = theme_correlations(cohort)
        summary = theme_correlation_summary(cohort).set_index(["questionnaire", "theme"])
        rel = theme_reliability(cohort).set_index(["questionnaire", "theme"])
    row = corr[(corr["questionnaire"] == "pat") & (corr["theme"] == "neg")].iloc[0]
    assert np.isnan(row["rho"]) and row["reason"]
    assert np.isnan(summary.loc[("pat", "neg"), "rho"]) and summary.loc[("pat", "neg"), "reason"]
    assert summary.loc[("pat", "neg"), "n_defined"] == 0
    # Alpha stays defined when the total still varies: one constant item lowers it.
    assert np.isfinite(rel.loc[("pat", "neg"), "alpha"])


def test_reliability_matches_pingouin_on_complete_keyed_cases(cohort):
    rel = theme_reliability(cohort).set_index(["questionnaire", "theme"])
    frame = cohort.responses["pat"]
    keyed = pd.DataFrame({i: _keyed(frame, i) for i in ["P1", "P2", "P3"]}).dropna()
    alpha, ci = pingouin.cronbach_alpha(data=keyed)
    row = rel.loc[("pat", "pos")]
    assert row["n"] == len(keyed) and row["k"] == 3
    assert row["n_incomplete"] == len(frame) - len(keyed)
    assert row["alpha"] == pytest.approx(alpha, rel=REL)
    assert row["ci_low"] == pytest.approx(ci[0], abs=5e-4)
    assert row["ci_high"] == pytest.approx(ci[1], abs=5e-4)


def test_reliability_covers_every_theme_asked(cohort):
    rel = theme_reliability(cohort)
    assert list(zip(rel["questionnaire"], rel["theme"])) == [
        ("pat", "pos"), ("pat", "neg"), ("pat", "six"), ("exp", "pos"), ("exp", "neg")]


def test_input_data_not_modified(cohort):
    before = {q: f.copy(deep=True) for q, f in cohort.responses.items()}
    theme_correlation_summary(cohort)
    theme_reliability(cohort)
    for q, f in cohort.responses.items():
        pd.testing.assert_frame_equal(f, before[q])
