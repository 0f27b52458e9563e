from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pingouin
import pytest
import scikit_posthocs
from scipy import special, stats

from analysis.analysis_helpers import expert_frame, make_cohort, patient_frame
from imgshare.analysis import AnalysisError, compare_groups, item_comparisons, theme_scores

REL = 1e-9


def _test(res, comparison, outcome):
    t = res.tests
    return t[(t["comparison"] == comparison) & (t["outcome"] == outcome)].iloc[0]


def _values(series: pd.Series) -> np.ndarray:
    return series.dropna().astype(float).to_numpy()


def _pos_scores(frame: pd.DataFrame) -> pd.Series:
    keyed = pd.DataFrame({"P1": frame["P1"], "P2": frame["P2"], "P3": 6 - frame["P3"]}).astype("float64")
    answered = keyed.notna().sum(axis=1)
    return keyed.mean(axis=1).where(answered >= 2)


def test_between_questionnaires_item_matches_scipy_mannwhitneyu(cohort):
    res = compare_groups(cohort)
    row = _test(res, "pat_vs_exp", "P1")
    x, y = _values(cohort.responses["pat"]["P1"]), _values(cohort.responses["exp"]["P1"])
    expected = stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)
    assert row["test"] == "mann-whitney" and row["p_method"] == "asymptotic"
    assert row["statistic"] == pytest.approx(expected.statistic, rel=REL)
    assert row["p"] == pytest.approx(expected.pvalue, rel=REL)
    assert row["n"] == len(x) + len(y)
    z = -special.ndtri(expected.pvalue / 2)  # |z| from the two-sided p
    sign = 1 if expected.statistic > len(x) * len(y) / 2 else -1
    assert row["effect"] == pytest.approx(sign * z / np.sqrt(len(x) + len(y)), rel=1e-7)
    assert row["effect_measure"] == "r"
    assert row["effect_ci_low"] <= row["effect"] <= row["effect_ci_high"]
    ranks = stats.rankdata(np.concatenate([x, y]))
    higher = "pat" if ranks[: len(x)].mean() > ranks[len(x):].mean() else "exp"
    assert row["higher_group"] == higher


def test_between_questionnaires_theme_uses_keyed_scores(cohort):
    res = compare_groups(cohort)
    row = _test(res, "pat_vs_exp", "pos")
    x, y = _values(_pos_scores(cohort.responses["pat"])), _values(_pos_scores(cohort.responses["exp"]))
    expected = stats.mannwhitneyu(x, y, method="asymptotic")
    assert row["outcome_kind"] == "theme" and row["items"] == "P1,P2,P3"
    assert row["statistic"] == pytest.approx(expected.statistic, rel=REL)
    assert row["p"] == pytest.approx(expected.pvalue, rel=REL)


def test_theme_not_asked_of_every_group_has_a_reason(cohort):
    row = _test(compare_groups(cohort), "pat_vs_exp", "six")
    assert np.isnan(row["p"]) and "asked of every compared group" in row["reason"]


def test_three_groups_use_kruskal_wallis_and_exclude_missing_levels(cohort):
    res = compare_groups(cohort)
    row = _test(res, "by_grp", "pos")
    frame = cohort.responses["pat"]
    scores = _pos_scores(frame)
    samples = [_values(scores[frame["grp"] == g]) for g in (1, 2, 3)]
    expected = stats.kruskal(*samples)
    n = sum(len(s) for s in samples)
    assert row["test"] == "kruskal-wallis" and row["dof"] == 2 and row["n"] == n
    assert row["statistic"] == pytest.approx(expected.statistic, rel=REL)
    assert row["p"] == pytest.approx(expected.pvalue, rel=REL)
    assert row["effect"] == pytest.approx(expected.statistic / (n - 1), rel=REL)
    groups = res.groups[(res.groups["comparison"] == "by_grp") & (res.groups["outcome"] == "pos")]
    assert groups["group"].tolist() == ["1", "2", "3"]  # level 9 is a missing level
    ranks = stats.rankdata(np.concatenate(samples))
    bounds = np.cumsum([0] + [len(s) for s in samples])
    expected_ranks = [ranks[bounds[i]:bounds[i + 1]].mean() for i in range(3)]
    np.testing.assert_allclose(groups["mean_rank"], expected_ranks, rtol=REL)
    np.testing.assert_allclose(groups["mean"], [s.mean() for s in samples], rtol=REL)


def _effect_frame(n: int = 90) -> pd.DataFrame:
    """Patients whose P1 rises with the group: a clearly significant Kruskal-Wallis."""
    frame = patient_frame(n, seed=5)
    grp = np.repeat([1, 2, 3], n // 3)
    rng = np.random.default_rng(9)
    frame["grp"] = pd.array(grp, dtype="Int64")
    frame["P1"] = pd.array(np.clip(grp + rng.integers(0, 3, size=n), 1, 5), dtype="Int64")
    return frame


def test_dunn_follows_a_significant_kruskal_wallis(codebook):
    cohort = make_cohort(codebook, {"pat": _effect_frame(), "exp": expert_frame()})
    res = item_comparisons(cohort, "by_grp")
    row = _test(res, "by_grp", "P1")
    assert row["p"] < 0.05
    post = res.posthoc[res.posthoc["outcome"] == "P1"]
    frame = cohort.responses["pat"]
    long = pd.DataFrame({"v": frame["P1"].astype(float), "g": frame["grp"].astype(int)})
    expected = scikit_posthocs.posthoc_dunn(long, val_col="v", group_col="g", p_adjust="holm")
    assert len(post) == 3
    for pair in post.itertuples():
        assert pair.p_adj == pytest.approx(expected.loc[int(pair.group1), int(pair.group2)], rel=1e-9)
    unadjusted = scikit_posthocs.posthoc_dunn(long, val_col="v", group_col="g")
    assert post["p"].tolist() == pytest.approx([unadjusted.loc[1, 2], unadjusted.loc[1, 3], unadjusted.loc[2, 3]],
                                               rel=1e-9)
    # No post-hoc rows for non-significant Kruskal-Wallis tests.
    insignificant = res.tests[(res.tests["test"] == "kruskal-wallis") & (res.tests["p"] >= 0.05)]["outcome"]
    assert not set(insignificant) & set(res.posthoc["outcome"])


def test_empty_group_is_dropped_with_a_reason_and_two_groups_left_use_mann_whitney(codebook):
    frame = patient_frame()
    frame.loc[frame["grp"] == 3, "grp"] = 1
    cohort = make_cohort(codebook, {"pat": frame, "exp": expert_frame()})
    res = compare_groups(cohort)
    row = _test(res, "by_grp", "neg")
    assert row["test"] == "mann-whitney" and row["n_groups"] == 2 and row["dropped_groups"] == "3"
    dropped = res.groups[(res.groups["comparison"] == "by_grp") & (res.groups["group"] == "3")]
    assert (~dropped["included"]).all() and (dropped["n"] == 0).all()
    assert dropped["reason"].str.contains("no respondents").all()


def test_a_single_group_gives_nan_and_a_reason_without_warnings(codebook):
    frame = patient_frame()
    frame["grp"] = pd.array([1] * len(frame), dtype="Int64")
    cohort = make_cohort(codebook, {"pat": frame, "exp": expert_frame()})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = compare_groups(cohort)
    row = _test(res, "by_grp", "pos")
    assert np.isnan(row["p"]) and np.isnan(row["statistic"]) and np.isnan(row["effect"])
    assert row["reason"] == "1 group(s) with respondents; at least 2 needed"


def test_a_group_with_one_respondent_is_still_tested(codebook):
    frame = patient_frame()
    scored = _pos_scores(frame).notna().to_numpy()
    frame["had"] = pd.array(np.where(np.arange(len(frame)) == np.flatnonzero(scored)[0], 2, 1), dtype="Int64")
    cohort = make_cohort(codebook, {"pat": frame, "exp": expert_frame()})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = _test(compare_groups(cohort), "by_had", "pos")
    scores = _pos_scores(frame)
    expected = stats.mannwhitneyu(_values(scores[frame["had"] == 1]), _values(scores[frame["had"] == 2]))
    assert row["n_groups"] == 2 and np.isfinite(row["statistic"]) and np.isfinite(row["effect"])
    assert row["p"] == pytest.approx(expected.pvalue, rel=REL)
    # DeLong's variance needs two observations per group: the effect's CI is withheld, and says why.
    assert np.isnan(row["effect_ci_low"]) and row["reason"] == "CI undefined: a group has fewer than 2 observations"


def test_constant_item_gives_nan_and_a_reason_without_warnings(codebook):
    pat, exp = patient_frame(), expert_frame()
    pat["N1"] = pd.array([3] * len(pat), dtype="Int64")
    exp["N1"] = pd.array([3] * len(exp), dtype="Int64")
    cohort = make_cohort(codebook, {"pat": pat, "exp": exp})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = _test(compare_groups(cohort), "pat_vs_exp", "N1")
    assert np.isnan(row["p"]) and "identical" in row["reason"]


def test_family_adjustment_matches_pingouin(cohort):
    res = compare_groups(cohort, p_adjust="holm")
    p = res.tests["p"].to_numpy(dtype=float)
    ok = ~np.isnan(p)
    _, expected = pingouin.multicomp(p[ok], method="holm")
    np.testing.assert_allclose(res.tests["p_adj"].to_numpy(dtype=float)[ok], expected, rtol=REL)
    assert "p_adj" not in compare_groups(cohort).tests.columns
    bh = compare_groups(cohort, p_adjust="fdr_bh").tests["p_adj"].to_numpy(dtype=float)[ok]
    np.testing.assert_allclose(bh, pingouin.multicomp(p[ok], method="fdr_bh")[1], rtol=REL)


def test_item_comparisons_cover_every_common_item(cohort):
    res = item_comparisons(cohort, "pat_vs_exp")
    assert res.tests["outcome"].tolist() == ["good", "P1", "P2", "P3", "N1", "N2"]
    row = _test(res, "pat_vs_exp", "N2")
    expected = stats.mannwhitneyu(_values(cohort.responses["pat"]["N2"]), _values(cohort.responses["exp"]["N2"]))
    assert row["p"] == pytest.approx(expected.pvalue, rel=REL)


def test_exact_p_when_small_and_untied(codebook):
    pat = patient_frame(5, seed=3)
    pat["had"] = pd.array([1, 1, 1, 2, 2], dtype="Int64")
    pat["P1"] = pd.array([1, 3, 2, 5, 4], dtype="Int64")
    pat["P2"] = pat["P1"].copy()
    pat["P3"] = pd.array([None] * 5, dtype="Int64")
    cohort = make_cohort(codebook, {"pat": pat, "exp": expert_frame()})
    row = _test(compare_groups(cohort), "by_had", "pos")
    expected = stats.mannwhitneyu([1.0, 3, 2], [5.0, 4], method="exact")
    assert row["p_method"] == "exact" and row["n"] == 5
    assert row["p"] == pytest.approx(expected.pvalue, rel=REL)
    assert row["higher_group"] == "2"


def test_unknown_comparison_and_bad_adjustment_are_user_errors(cohort):
    with pytest.raises(AnalysisError, match="unknown comparison 'nope'"):
        item_comparisons(cohort, "nope")
    with pytest.raises(AnalysisError, match="p_adjust: expected one of"):
        compare_groups(cohort, p_adjust="sidak")


def test_theme_scores_in_comparisons_equal_theme_scores(cohort):
    scores = theme_scores(cohort, "pat").query("theme == 'neg'").set_index("respondent")["score"]
    res = compare_groups(cohort)
    groups = res.groups[(res.groups["comparison"] == "by_grp") & (res.groups["outcome"] == "neg")]
    frame = cohort.responses["pat"]
    for g in groups.itertuples():
        mine = scores[(frame["grp"] == int(g.group)).to_numpy()].dropna()
        assert g.n == len(mine) and g.mean == pytest.approx(mine.mean(), rel=REL)


def test_deterministic_across_runs(cohort):
    a, b = compare_groups(cohort), compare_groups(cohort)
    pd.testing.assert_frame_equal(a.tests, b.tests)


def test_input_data_not_modified(cohort):
    before = {q: f.copy(deep=True) for q, f in cohort.responses.items()}
    compare_groups(cohort, p_adjust="holm")
    for q, f in cohort.responses.items():
        pd.testing.assert_frame_equal(f, before[q])
