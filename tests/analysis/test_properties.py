"""Properties that hold for any answers: counts add up, scores stay on the scale, keying mirrors."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.analysis_helpers import expert_frame, make_codebook, make_cohort
from imgshare.analysis import categorical_table, item_agreement, theme_scores

CODEBOOK = make_codebook()
PAT = CODEBOOK.questionnaires["pat"]
EXPERTS = expert_frame(5)

answers5 = st.one_of(st.none(), st.integers(1, 5))
answers6 = st.one_of(st.none(), st.integers(0, 5))


@st.composite
def patients(draw):
    n = draw(st.integers(1, 25))
    cols = {}
    for item in PAT.items:
        strategy = answers6 if CODEBOOK.items[item].scale == "agree6" else answers5
        cols[item] = pd.array(draw(st.lists(strategy, min_size=n, max_size=n)), dtype="Int64")
    cols["grp"] = pd.array(draw(st.lists(st.sampled_from([1, 2, 3, 9, None]), min_size=n, max_size=n)), dtype="Int64")
    had = draw(st.lists(st.sampled_from([1, 2, 3, None]), min_size=n, max_size=n))
    cols["had"] = pd.array(had, dtype="Int64")
    saw = draw(st.lists(st.sampled_from([1, 2, 3, None]), min_size=n, max_size=n))
    cols["saw"] = pd.array([s if h == 1 else None for s, h in zip(saw, had)], dtype="Int64")
    cols["why"] = pd.array([None] * n, dtype="string")
    return pd.DataFrame(cols, index=pd.Index([f"r{i}" for i in range(n)], name="rid"))


def _cohort(frame):
    return make_cohort(CODEBOOK, {"pat": frame, "exp": EXPERTS})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patients())
def test_level_counts_add_up_to_the_denominator(frame):
    cohort = _cohort(frame)
    for var in ("grp", "saw", "P1", "S1"):
        table = categorical_table(cohort, "pat", var)
        assert table["n"].sum() == table["denominator"].iloc[0]
        assert table["denominator"].iloc[0] + table["missing"].iloc[0] + table["not_asked"].iloc[0] == len(frame)
        if table["denominator"].iloc[0] > 0:
            assert np.isclose(table["pct"].sum(), 100.0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patients())
def test_agreement_shares_partition_the_answers(frame):
    agreement = item_agreement(_cohort(frame))
    for row in agreement[agreement["questionnaire"] == "pat"].itertuples():
        assert row.n + row.missing == len(frame)
        if row.n:
            total = row.pct_agree + row.pct_disagree + (0 if np.isnan(row.pct_neutral) else row.pct_neutral)
            assert np.isclose(total, 100.0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patients())
def test_scores_stay_on_the_scale_and_follow_the_half_rule(frame):
    scores = theme_scores(_cohort(frame), "pat")
    lows = {"pos": 1, "neg": 1, "six": 0}
    highs = {"pos": 5, "neg": 5, "six": 5}
    for row in scores.itertuples():
        assert np.isnan(row.score) == (row.n_answered < np.ceil(row.n_items / 2))
        if not np.isnan(row.score):
            assert lows[row.theme] <= row.score <= highs[row.theme]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patients())
def test_mirroring_a_reverse_keyed_answer_mirrors_its_contribution(frame):
    only_p3 = frame.copy()
    only_p3["P1"] = pd.array([3] * len(frame), dtype="Int64")
    only_p3["P2"] = pd.array([3] * len(frame), dtype="Int64")
    flipped = only_p3.copy()
    flipped["P3"] = 6 - only_p3["P3"]
    a = theme_scores(_cohort(only_p3), "pat").query("theme == 'pos'")["score"].to_numpy()
    b = theme_scores(_cohort(flipped), "pat").query("theme == 'pos'")["score"].to_numpy()
    # P1 = P2 = 3 (the midpoint): mirroring P3 mirrors the mean around 3.
    np.testing.assert_allclose(a - 3, -(b - 3), rtol=1e-12, atol=1e-12)
