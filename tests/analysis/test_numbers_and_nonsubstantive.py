"""Number variables and non-substantive answers in the analysis: summaries equal numpy/pandas,
tests of numbers by group and Spearman correlations with a number equal scipy (to 1e-9), on
several dataset shapes; "Don't know" answers are counted, never analysed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from imgshare.analysis import analyse, nonsubstantive_answers, numeric_summary
from imgshare.codebook import parse_codebook
from imgshare.cohort import Cohort

from analysis.number_cohort import CODEBOOK, cohort_of

TOL = 1e-9

SHAPES = [(9, 1, False), (60, 2, True), (400, 3, False), (1500, 4, True)]


@pytest.fixture(params=SHAPES, ids=lambda s: f"n{s[0]}-{'frac' if s[2] else 'whole'}")
def cohort(request):
    return cohort_of(*request.param)


def test_numeric_summary_equals_numpy(cohort):
    frame, codes = cohort.responses["q"], cohort.nonsubstantive["q"]
    table = numeric_summary(cohort).set_index("variable")
    for var, asked in (("age", np.ones(len(frame), bool)), ("hours", frame["grp"].isin([1, 2]).to_numpy(bool))):
        x = frame[var].to_numpy(float, na_value=np.nan)[asked]
        v = x[~np.isnan(x)]
        row = table.loc[var]
        assert row["n"] == v.size and row["not_asked"] == (~asked).sum()
        refused = int(codes[var].notna().sum()) if var in codes else 0
        assert row["nonsubstantive"] == refused and row["missing"] == np.isnan(x).sum() - refused
        assert row["mean"] == pytest.approx(np.mean(v), abs=TOL)
        assert row["sd"] == pytest.approx(pd.Series(v).std(), abs=TOL)
        assert row["median"] == pytest.approx(np.median(v), abs=TOL)
        assert (row["q1"], row["q3"]) == pytest.approx(tuple(np.percentile(v, [25, 75])), abs=TOL)
        assert (row["min"], row["max"]) == (v.min(), v.max())


def test_non_substantive_answers_are_counted_per_code_and_left_out_of_percentages(cohort):
    codes = cohort.nonsubstantive["q"]
    table = nonsubstantive_answers(cohort).set_index(["variable", "code"])
    answered = cohort.responses["q"]["B"].notna().sum()
    for code in (8, 9):
        row = table.loc[("B", code)]
        assert row["n"] == (codes["B"] == code).sum()
        assert row["n_responded"] == answered + codes["B"].notna().sum()
        assert row["pct"] == pytest.approx(100 * row["n"] / row["n_responded"], abs=TOL)
    assert table.loc[("age", -99), "label"] == "Refused"
    results = analyse(cohort)
    agreement = results.item_agreement.set_index("item").loc["B"]
    assert agreement["nonsubstantive"] == codes["B"].notna().sum()
    assert agreement["missing"] == 0 and agreement["n"] == answered
    levels = results.item_levels[results.item_levels["item"] == "B"]
    assert set(levels["level"]) == {1, 2, 3, 4} and levels["pct"].sum() == pytest.approx(100, abs=TOL)


def test_number_by_group_equals_scipy(cohort):
    results = analyse(cohort)
    frame = cohort.responses["q"]
    tests = results.comparisons.set_index(["comparison", "outcome"])
    samples = [frame.loc[frame["grp"] == g, "age"].dropna().to_numpy(float) for g in (1, 2, 3)]
    kw = tests.loc[("by_grp", "age")]
    assert kw["test"] == "kruskal-wallis" and kw["outcome_kind"] == "variable"
    h, p = stats.kruskal(*samples)
    assert kw["statistic"] == pytest.approx(h, abs=TOL) and kw["p"] == pytest.approx(p, abs=TOL)
    mw = tests.loc[("two", "age")]
    res = stats.mannwhitneyu(samples[0], samples[1], alternative="two-sided",
                             method="exact" if mw["p_method"] == "exact" else "asymptotic")
    assert mw["statistic"] == pytest.approx(res.statistic, abs=TOL) and mw["p"] == pytest.approx(res.pvalue, abs=TOL)
    groups = results.comparison_groups.set_index(["comparison", "outcome", "group"])
    for g, sample in zip(("1", "2", "3"), samples):
        row = groups.loc[("by_grp", "age", g)]
        assert row["mean"] == pytest.approx(sample.mean(), abs=TOL)
        assert row["sd"] == pytest.approx(pd.Series(sample).std(), abs=TOL, nan_ok=True)
        assert (row["q1"], row["median"], row["q3"]) == pytest.approx(
            tuple(np.percentile(sample, [25, 50, 75])), abs=TOL)


def test_spearman_with_a_number_equals_scipy(cohort):
    results = analyse(cohort)
    frame = cohort.responses["q"]
    tests = results.comparisons.set_index(["comparison", "outcome"])
    age = frame["age"].to_numpy(float, na_value=np.nan)
    keyed_c = 5 - frame["C"].to_numpy(float, na_value=np.nan)
    items = np.column_stack([frame[i].to_numpy(float, na_value=np.nan) for i in ("A", "B")] + [keyed_c])
    answered = (~np.isnan(items)).sum(axis=1)
    with np.errstate(invalid="ignore"):
        score = np.where(answered >= 2, np.nansum(items, axis=1) / answered, np.nan)
    for outcome, y in (("A", frame["A"].to_numpy(float, na_value=np.nan)), ("t", score),
                       ("hours", frame["hours"].to_numpy(float, na_value=np.nan))):
        ok = ~np.isnan(age) & ~np.isnan(y)
        rho, p = stats.spearmanr(age[ok], y[ok])
        row = tests.loc[("by_age", outcome)]
        assert row["test"] == "spearman" and row["n"] == ok.sum()
        assert row["effect"] == pytest.approx(rho, abs=TOL) and row["p"] == pytest.approx(p, abs=TOL)
        assert row["effect_ci_low"] < row["effect"] < row["effect_ci_high"]
    assert results.comparison_groups[results.comparison_groups["comparison"] == "by_age"].empty


def test_theme_score_group_summaries_equal_pandas(cohort):
    results = analyse(cohort)
    groups = results.comparison_groups
    frame = cohort.responses["q"]
    keyed = pd.DataFrame({"A": frame["A"], "B": frame["B"], "C": 5 - frame["C"]}).astype(float)
    answered = keyed.notna().sum(axis=1)
    score = keyed.sum(axis=1).where(answered >= 2) / answered
    for g in (1, 2, 3):
        s = score[frame["grp"] == g].dropna()
        row = groups[(groups["comparison"] == "by_grp") & (groups["outcome"] == "t") & (groups["group"] == str(g))]
        assert row["n"].iloc[0] == len(s)
        assert row["sd"].iloc[0] == pytest.approx(s.std(), abs=TOL, nan_ok=True)
        assert (row["q1"].iloc[0], row["q3"].iloc[0]) == pytest.approx(tuple(s.quantile([0.25, 0.75])), abs=TOL)


def test_min_answered_comes_from_the_codebook():
    data = {**CODEBOOK, "analysis": {"min_answered": 1.0}}
    cohort = cohort_of(60, 2, True)
    cohort = Cohort(parse_codebook(data), cohort.responses, cohort.excluded, cohort.flow, cohort.files, (),
                    cohort.nonsubstantive)
    results = analyse(cohort)
    frame = cohort.responses["q"]
    complete = frame[["A", "B", "C"]].notna().all(axis=1).sum()
    assert results.settings["min_answered"] == 1.0
    assert results.theme_score_summary.set_index("theme").loc["t", "n"] == complete
