from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from imgshare.analysis import domain_agreement, item_agreement, item_level_counts

REL = 1e-9


def test_level_counts_match_value_counts(cohort):
    counts = item_level_counts(cohort)
    frame = cohort.responses["pat"]
    for item in ["good", "P3", "S2"]:
        mine = counts[(counts["questionnaire"] == "pat") & (counts["item"] == item)]
        raw = frame[item].value_counts()
        assert mine["n"].tolist() == [raw.get(c, 0) for c in mine["level"]]
        assert (mine["item_n"] == frame[item].notna().sum()).all()
        np.testing.assert_allclose(mine["pct"], 100 * mine["n"] / frame[item].notna().sum(), rtol=REL)


def test_level_counts_are_raw_codes_even_for_reverse_keyed_items(cohort):
    counts = item_level_counts(cohort)
    mine = counts[(counts["questionnaire"] == "pat") & (counts["item"] == "P3")].set_index("level")
    assert mine.at[1, "n"] == (cohort.responses["pat"]["P3"] == 1).sum()


def test_one_row_per_questionnaire_item_level(cohort):
    counts = item_level_counts(cohort)
    assert len(counts) == 6 * 5 + 2 * 6 + 6 * 5
    assert list(counts.columns) == ["questionnaire", "item", "level", "label", "category", "n", "item_n", "pct"]
    six = counts[counts["item"] == "S1"]
    assert six["category"].tolist() == ["disagree"] * 3 + ["agree"] * 3


def test_weighted_level_counts_are_weight_sums(cohort):
    counts = item_level_counts(cohort)
    frame = cohort.responses["exp"]
    w = frame["w"].astype(float)
    mine = counts[(counts["questionnaire"] == "exp") & (counts["item"] == "P1")]
    for _, row in mine.iterrows():
        assert row["n"] == pytest.approx(w[frame["P1"] == row["level"]].sum(), rel=REL)
        assert row["item_n"] == pytest.approx(w[frame["P1"].notna()].sum(), rel=REL)


def test_agreement_shares_match_raw_rows(cohort):
    agreement = item_agreement(cohort).set_index(["questionnaire", "item"])
    frame = cohort.responses["pat"]
    answered = frame["N1"].dropna()
    row = agreement.loc[("pat", "N1")]
    assert row["n"] == len(answered)
    assert row["missing"] == frame["N1"].isna().sum()
    assert row["pct_agree"] == pytest.approx(100 * answered.isin([4, 5]).mean(), rel=REL)
    assert row["pct_neutral"] == pytest.approx(100 * (answered == 3).mean(), rel=REL)
    assert row["pct_disagree"] == pytest.approx(100 * answered.isin([1, 2]).mean(), rel=REL)
    assert row["domain"] == "risks"


def test_scale_without_neutral_has_nan_neutral_share(cohort):
    row = item_agreement(cohort).set_index(["questionnaire", "item"]).loc[("pat", "S1")]
    answered = cohort.responses["pat"]["S1"].dropna()
    assert np.isnan(row["pct_neutral"])
    assert row["pct_agree"] == pytest.approx(100 * answered.isin([3, 4, 5]).mean(), rel=REL)
    assert row["pct_agree"] + row["pct_disagree"] == pytest.approx(100.0, rel=REL)
    assert row["domain"] is None


def test_weighted_agreement(cohort):
    row = item_agreement(cohort).set_index(["questionnaire", "item"]).loc[("exp", "N2")]
    frame = cohort.responses["exp"]
    w = frame["w"].astype(float)
    ok = frame["N2"].notna()
    assert row["pct_agree"] == pytest.approx(100 * w[ok & frame["N2"].isin([4, 5])].sum() / w[ok].sum(), rel=REL)
    assert row["n"] == ok.sum()


def test_domain_agreement_is_the_mean_of_keyed_item_shares(cohort):
    # P3 is reverse-keyed: it enters the benefits' mean with its disagreement as worded.
    domains = domain_agreement(cohort).set_index(["questionnaire", "domain"])
    keyed = {"P3": ([1, 2], [4, 5])}
    for qid in ["pat", "exp"]:
        frame = cohort.responses[qid]
        for did, items in [("benefits", ["P1", "P2", "P3"]), ("risks", ["N1", "N2"])]:
            agree = np.mean([100 * frame[i].dropna().isin(keyed.get(i, ([4, 5],))[0]).mean() for i in items]) \
                if qid == "pat" else None
            row = domains.loc[(qid, did)]
            assert row["n_items"] == len(items)
            assert row["items"] == ",".join(items)
            assert row["n_reversed"] == (1 if did == "benefits" else 0)
            if agree is not None:
                assert row["pct_agree"] == pytest.approx(agree, rel=REL)
            table = item_agreement(cohort).set_index(["questionnaire", "item"])
            disagree = [table.loc[(qid, i), "pct_agree" if i in keyed else "pct_disagree"] for i in items]
            assert row["pct_disagree"] == pytest.approx(np.mean(disagree), rel=REL)


def test_domain_counts_only_items_the_questionnaire_asks(codebook):
    from analysis.analysis_helpers import expert_frame, make_cohort, patient_frame

    frame = patient_frame()
    frame["P2"] = pd.array([None] * len(frame), dtype="Int64")
    cohort = make_cohort(codebook, {"pat": frame, "exp": expert_frame()})
    row = domain_agreement(cohort).set_index(["questionnaire", "domain"]).loc[("pat", "benefits")]
    assert row["n_items"] == 2 and row["items"] == "P1,P3"


def test_input_data_not_modified(cohort):
    before = {q: f.copy(deep=True) for q, f in cohort.responses.items()}
    item_level_counts(cohort)
    domain_agreement(cohort)
    for q, f in cohort.responses.items():
        pd.testing.assert_frame_equal(f, before[q])
