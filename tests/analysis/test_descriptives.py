from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from imgshare.analysis import AnalysisError, categorical_table, descriptive_tables
from imgshare.errors import ImgshareError

REL = 1e-9


def test_counts_match_value_counts_of_raw_rows(cohort):
    frame = cohort.responses["pat"]
    table = categorical_table(cohort, "pat", "grp")
    expected = frame["grp"].value_counts(dropna=True)
    assert table["level"].tolist() == [1, 2, 3, 9]
    for _, row in table.iterrows():
        assert row["n"] == expected.get(row["level"], 0)
        assert row["denominator"] == frame["grp"].notna().sum()
        assert row["pct"] == pytest.approx(100 * expected.get(row["level"], 0) / frame["grp"].notna().sum(), rel=REL)


def test_missing_levels_stay_in_the_denominator_and_are_flagged(cohort):
    table = categorical_table(cohort, "pat", "grp")
    assert table.loc[table["level"] == 9, "missing_level"].item()
    assert not table.loc[table["level"] != 9, "missing_level"].any()
    assert table["pct"].sum() == pytest.approx(100.0, rel=REL)


def test_denominator_is_respondents_asked_and_answering(cohort):
    frame = cohort.responses["pat"]
    table = categorical_table(cohort, "pat", "saw")
    asked = frame["had"] == 1
    answered = asked & frame["saw"].notna()
    assert (table["denominator"] == answered.sum()).all()
    assert (table["missing"] == (asked & frame["saw"].isna()).sum()).all()
    assert (table["not_asked"] == (~asked).sum()).all()
    assert table["missing"].iloc[0] > 0 and table["not_asked"].iloc[0] > 0
    yes = ((frame["saw"] == 1) & asked).sum()
    assert table.loc[table["level"] == 1, "pct"].item() == pytest.approx(100 * yes / answered.sum(), rel=REL)


def test_answer_given_by_someone_not_asked_is_not_counted(codebook, cohort):
    from analysis.analysis_helpers import make_cohort

    frame = cohort.responses["pat"].copy()
    who = frame.index[(frame["had"] == 2).to_numpy()][0]
    frame.loc[who, "saw"] = 1
    altered = make_cohort(codebook, {"pat": frame, "exp": cohort.responses["exp"]})
    before = categorical_table(cohort, "pat", "saw")
    after = categorical_table(altered, "pat", "saw")
    pd.testing.assert_frame_equal(before, after)


def test_likert_item_table_matches_value_counts(cohort):
    frame = cohort.responses["pat"]
    table = categorical_table(cohort, "pat", "S1")
    assert table["level"].tolist() == [0, 1, 2, 3, 4, 5]
    counts = frame["S1"].value_counts()
    assert table["n"].tolist() == [counts.get(c, 0) for c in range(6)]
    assert (table["missing"] == frame["S1"].isna().sum()).all()


def test_weighted_percentages_use_weight_sums(cohort):
    frame = cohort.responses["exp"]
    table = categorical_table(cohort, "exp", "role")
    w = frame["w"].astype(float)
    for _, row in table.iterrows():
        expected = w[frame["role"] == row["level"]].sum()
        assert row["n"] == pytest.approx(expected, rel=REL)
        assert row["pct"] == pytest.approx(100 * expected / w.sum(), rel=REL)
    assert table["pct"].sum() == pytest.approx(100.0, rel=REL)


def test_wilson_interval_matches_formula(cohort):
    table = categorical_table(cohort, "pat", "grp", ci=True)
    z = 1.959963984540054
    for _, row in table.iterrows():
        n, p = row["denominator"], row["n"] / row["denominator"]
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        assert row["ci_low"] == pytest.approx(100 * (centre - half), rel=REL, abs=1e-12)
        assert row["ci_high"] == pytest.approx(100 * (centre + half), rel=REL)


def test_weighted_wilson_uses_kish_effective_n(cohort):
    frame = cohort.responses["exp"]
    table = categorical_table(cohort, "exp", "role", ci=True)
    w = frame["w"].astype(float).to_numpy()
    n_eff = w.sum() ** 2 / (w**2).sum()
    z = 1.959963984540054
    p = table["pct"].iloc[0] / 100
    centre = (p + z * z / (2 * n_eff)) / (1 + z * z / n_eff)
    half = z * np.sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff**2)) / (1 + z * z / n_eff)
    assert table["ci_low"].iloc[0] == pytest.approx(100 * (centre - half), rel=REL)


def test_unknown_variable_raises_a_user_error(cohort):
    with pytest.raises(ImgshareError, match="questionnaire 'pat' has no item or variable 'nope'"):
        categorical_table(cohort, "pat", "nope")
    with pytest.raises(AnalysisError, match="unknown questionnaire 'zzz'"):
        categorical_table(cohort, "zzz", "grp")


def test_text_variable_has_no_levels(cohort):
    with pytest.raises(AnalysisError, match="'why' is text"):
        categorical_table(cohort, "pat", "why")


def test_descriptive_tables_cover_every_categorical_variable(cohort):
    stacked = descriptive_tables(cohort)
    assert sorted(set(zip(stacked["questionnaire"], stacked["variable"]))) == [
        ("exp", "role"), ("pat", "grp"), ("pat", "had"), ("pat", "saw")]


def test_input_data_not_modified(cohort):
    before = {q: f.copy(deep=True) for q, f in cohort.responses.items()}
    categorical_table(cohort, "pat", "saw", ci=True)
    descriptive_tables(cohort, ci=True)
    for q, f in cohort.responses.items():
        pd.testing.assert_frame_equal(f, before[q])
