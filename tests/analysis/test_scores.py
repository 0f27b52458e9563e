from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.analysis_helpers import make_cohort
from imgshare.analysis import AnalysisError, theme_scores

REL = 1e-9


def test_reverse_keyed_item_is_mirrored_before_averaging(cohort):
    frame = cohort.responses["pat"]
    scores = theme_scores(cohort, "pat")
    pos = scores[scores["theme"] == "pos"].set_index("respondent")
    for rid, row in frame.iterrows():
        values = [row["P1"], row["P2"], None if pd.isna(row["P3"]) else 6 - row["P3"]]
        answered = [float(v) for v in values if v is not None and not pd.isna(v)]
        expected = np.mean(answered) if len(answered) >= 2 else np.nan
        got = pos.at[rid, "score"]
        assert (np.isnan(expected) and np.isnan(got)) or got == pytest.approx(expected, rel=REL)


def test_reverse_keying_on_a_zero_based_six_point_scale(cohort):
    frame = cohort.responses["pat"]
    scores = theme_scores(cohort, "pat")
    six = scores[scores["theme"] == "six"].set_index("respondent")
    both = frame["S1"].notna() & frame["S2"].notna()
    rid = frame.index[both.to_numpy()][0]
    expected = (frame.at[rid, "S1"] + (5 - frame.at[rid, "S2"])) / 2
    assert six.at[rid, "score"] == pytest.approx(float(expected), rel=REL)


def test_half_rule_scores_one_of_two_items_but_not_none(codebook):
    frame = pd.DataFrame(
        {"N1": pd.array([4, 4, None], dtype="Int64"), "N2": pd.array([2, None, None], dtype="Int64")},
        index=pd.Index(["a", "b", "c"]),
    )
    cb = codebook
    cohort = make_cohort(cb, {"pat": _pad(frame, cb)})
    neg = theme_scores(cohort, "pat").query("theme == 'neg'").set_index("respondent")
    assert neg.at["a", "score"] == 3.0
    assert neg.at["b", "score"] == 4.0 and neg.at["b", "n_answered"] == 1
    assert np.isnan(neg.at["c", "score"])


def test_threshold_is_a_parameter(codebook):
    frame = pd.DataFrame(
        {"P1": pd.array([4, 4], dtype="Int64"), "P2": pd.array([2, None], dtype="Int64"),
         "P3": pd.array([None, None], dtype="Int64")},
        index=pd.Index(["a", "b"]),
    )
    cohort = make_cohort(codebook, {"pat": _pad(frame, codebook)})
    half = theme_scores(cohort, "pat").query("theme == 'pos'").set_index("respondent")["score"]
    strict = theme_scores(cohort, "pat", min_answered=1.0).query("theme == 'pos'").set_index("respondent")["score"]
    assert half["a"] == 3.0 and np.isnan(half["b"])  # 2 of 3 >= 1.5; 1 of 3 < 1.5
    assert np.isnan(strict["a"])
    lenient = theme_scores(cohort, "pat", min_answered=0.3).query("theme == 'pos'").set_index("respondent")
    assert lenient.at["b", "score"] == 4.0


def test_bad_threshold_is_a_user_error(cohort):
    with pytest.raises(AnalysisError, match=r"min_answered must be in \(0, 1\]"):
        theme_scores(cohort, "pat", min_answered=0)


def test_themes_not_asked_are_omitted(cohort):
    themes = set(theme_scores(cohort, "exp")["theme"])
    assert themes == {"pos", "neg"}


def test_one_row_per_respondent_and_theme(cohort):
    scores = theme_scores(cohort, "pat")
    assert len(scores) == 3 * len(cohort.responses["pat"])
    assert list(scores.columns) == ["questionnaire", "respondent", "theme", "n_items", "n_answered", "score"]


def test_input_data_not_modified(cohort):
    before = cohort.responses["pat"].copy(deep=True)
    theme_scores(cohort, "pat")
    pd.testing.assert_frame_equal(cohort.responses["pat"], before)


def _pad(frame: pd.DataFrame, codebook) -> pd.DataFrame:
    """Complete a partial frame with every column of questionnaire 'pat' (empty answers)."""
    q = codebook.questionnaires["pat"]
    out = pd.DataFrame(index=frame.index)
    for col in [*q.items, *q.variables]:
        if col in frame:
            out[col] = frame[col]
        elif q.variables.get(col) is not None and q.variables[col].type == "text":
            out[col] = pd.array([None] * len(frame), dtype="string")
        else:
            out[col] = pd.array([None] * len(frame), dtype="Int64")
    return out
