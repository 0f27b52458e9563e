"""The committed synthetic cohort reproduces what Cox, Cavenagh & Bello (2020) publish.

Everything is computed here with pandas/scipy straight from the CSV files, independently
of imgshare's loader and analysis code. Published values are typed in from the paper
(/work/shared/paper) and the study poster, not read from data/calibration.yml.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata, spearmanr

DATA = Path(__file__).resolve().parents[2] / "data"
ITEMS = ["good_idea", "K1", "K2", "C1", "C2", "E1", "E2", "E3", "E4", "R1", "R2", "R3", "R4", "R5", "R6"]
BENEFITS = ["K1", "K2", "C1", "C2", "E1", "E2", "E3", "E4"]
RISKS = ["R1", "R2", "R3", "R4", "R5", "R6"]
THEMES = {"knowledge": ["K1", "K2"], "communication": ["C1", "C2"], "engagement": ["E1", "E2", "E3", "E4"],
          "emotion": ["R1", "R2"], "understanding": ["R3", "R4"]}
# required questions in the order asked; saw_images only when had_imaging == 1
REQUIRED = {"patients": ITEMS + ["age_group", "expert_patient", "had_imaging", "saw_images", "want_to_see"],
            "experts": ITEMS + ["role", "experience"]}
FILES = {"patients": "patients.synthetic.csv", "experts": "experts.synthetic.csv"}


def _read(qid: str) -> pd.DataFrame:
    return pd.read_csv(DATA / FILES[qid], dtype={"respondent_id": "string"}, keep_default_na=False,
                       na_values=[""])


def _asked(frame: pd.DataFrame, column: str) -> pd.Series:
    if column == "saw_images":
        return frame["had_imaging"] == 1
    return pd.Series(True, index=frame.index)


def _incomplete(frame: pd.DataFrame, qid: str) -> pd.Series:
    bad = pd.Series(False, index=frame.index)
    for col in REQUIRED[qid]:
        bad |= frame[col].isna() & _asked(frame, col)
    return bad


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    return {qid: _read(qid) for qid in FILES}


@pytest.fixture(scope="module")
def analysed(raw) -> dict[str, pd.DataFrame]:
    return {qid: f[~_incomplete(f, qid)] for qid, f in raw.items()}


def _counts(frame: pd.DataFrame, column: str, codes) -> list[int]:
    vc = frame[column].value_counts()
    return [int(vc.get(c, 0)) for c in codes]


# ---------------------------------------------------------------- participant flow

@pytest.mark.parametrize("qid, received, excluded, kept", [("patients", 355, 73, 282), ("experts", 131, 10, 121)])
def test_participant_flow_matches_paper(raw, qid, received, excluded, kept):
    frame = raw[qid]
    assert len(frame) == received
    assert int(_incomplete(frame, qid).sum()) == excluded
    assert int((~_incomplete(frame, qid)).sum()) == kept


@pytest.mark.parametrize("qid", ["patients", "experts"])
def test_incomplete_rows_answer_a_prefix_then_stop(raw, qid):
    frame = raw[qid]
    for _, row in frame[_incomplete(frame, qid)].iterrows():
        asked = [c for c in REQUIRED[qid] if c != "saw_images" or row["had_imaging"] == 1]
        answered = [not pd.isna(row[c]) for c in asked]
        k = answered.index(False)
        assert k >= 1, "a drop-out answered at least the first question"
        assert not any(answered[k:]), f"{row['respondent_id']} answers again after stopping"
        assert all(pd.isna(row[c]) for c in frame.columns[frame.columns.get_loc(asked[k]):])


@pytest.mark.parametrize("qid, prefix", [("patients", "P"), ("experts", "E")])
def test_ids_are_unique_and_numbered(raw, qid, prefix):
    ids = raw[qid]["respondent_id"]
    assert ids.is_unique
    assert ids.str.fullmatch(prefix + r"\d{4}").all()


@pytest.mark.parametrize("qid", ["patients", "experts"])
def test_excluded_rows_are_interspersed(raw, qid):
    positions = np.flatnonzero(_incomplete(raw[qid], qid).to_numpy())
    n = len(raw[qid])
    assert positions.min() < n / 4 and positions.max() > 3 * n / 4


def test_complete_rows_only_leave_saw_images_blank_when_not_asked(analysed):
    p = analysed["patients"]
    assert p.loc[p["had_imaging"] != 1, "saw_images"].isna().all()
    assert p.loc[p["had_imaging"] == 1, "saw_images"].notna().all()


# ---------------------------------------------------------------- tables 1-7

def test_table1_age(analysed):
    assert _counts(analysed["patients"], "age_group", range(1, 7)) == [9, 86, 108, 27, 51, 1]


def test_table2_patient_experience(analysed):
    p = analysed["patients"]
    assert _counts(p, "expert_patient", [1, 2, 3]) == [75, 174, 33]
    assert _counts(p, "had_imaging", [1, 2, 3]) == [267, 14, 1]
    assert _counts(p[p["had_imaging"] == 1], "saw_images", [1, 2, 3]) == [217, 41, 9]


def test_table3_role(analysed):
    assert _counts(analysed["experts"], "role", [1, 2, 3]) == [93, 3, 25]


def test_table4_experience(analysed):
    assert _counts(analysed["experts"], "experience", range(1, 7)) == [36, 16, 19, 13, 11, 26]


def test_table5_want_to_see(analysed):
    assert _counts(analysed["patients"], "want_to_see", [1, 2, 3]) == [266, 5, 11]


def test_table6_and_7_good_idea(analysed):
    assert _counts(analysed["patients"], "good_idea", range(1, 6)) == [4, 3, 28, 121, 126]
    assert _counts(analysed["experts"], "good_idea", range(1, 6)) == [1, 0, 21, 69, 30]


@pytest.mark.parametrize("item, n_agree", [("K1", 106), ("C1", 92), ("E4", 103), ("E2", 70), ("E3", 65),
                                            ("R4", 45), ("R2", 33)])
def test_poster_expert_agree_counts(analysed, item, n_agree):
    assert int(analysed["experts"][item].isin([4, 5]).sum()) == n_agree


# ---------------------------------------------------------------- figure 5

@pytest.mark.parametrize("qid, items, printed", [("patients", BENEFITS, 78.49), ("patients", RISKS, 5.1),
                                                 ("experts", BENEFITS, 73.35), ("experts", RISKS, 27.76)])
def test_figure5_mean_agreement_is_the_closest_integers_allow(analysed, qid, items, printed):
    frame = analysed[qid]
    n = len(frame)
    mean_pct = np.mean([100 * frame[i].isin([4, 5]).mean() for i in items])
    step = 100 / (n * len(items))  # one more agreeing answer anywhere in the domain
    assert abs(mean_pct - printed) <= step / 2 + 1e-9


# ---------------------------------------------------------------- within-theme Spearman

SPEARMAN = {  # (patients, experts), as printed in the results text
    ("K1", "K2"): ("0.703", "0.652"),
    ("C1", "C2"): ("0.724", "0.371"),
    ("R1", "R2"): ("0.648", "0.512"),
    ("R3", "R4"): ("0.652", "0.468"),
}


def _prints_as(value: float, printed: str) -> bool:
    """True when ``value`` rounds to ``printed`` at its printed decimals: [p - half, p + half)."""
    half = 0.5 * 10.0 ** -len(printed.split(".")[1])
    return float(printed) - half <= value < float(printed) + half


def test_prints_as_is_the_rounding_interval():
    assert _prints_as(0.70249, "0.702") and not _prints_as(0.7025, "0.702") and _prints_as(0.7015, "0.702")
    assert _prints_as(-0.0004, "0.000") and not _prints_as(-0.00051, "0.000")


@pytest.mark.parametrize("pair", list(SPEARMAN))
@pytest.mark.parametrize("qid, k", [("patients", 0), ("experts", 1)])
def test_within_theme_spearman_prints_as_text(analysed, pair, qid, k):
    frame = analysed[qid]
    res = spearmanr(frame[pair[0]], frame[pair[1]])
    assert _prints_as(res.statistic, SPEARMAN[pair][k]), f"{res.statistic:.5f} vs {SPEARMAN[pair][k]}"
    assert res.pvalue < 0.001


@pytest.mark.parametrize("qid, lo, hi", [("patients", "0.525", "0.695"), ("experts", "0.000", "0.592")])
def test_engagement_spearman_range_prints_as_text(analysed, qid, lo, hi):
    frame = analysed[qid]
    items = THEMES["engagement"]
    rs = [spearmanr(frame[a], frame[b]) for i, a in enumerate(items) for b in items[i + 1:]]
    stats = [r.statistic for r in rs]
    assert _prints_as(min(stats), lo) and _prints_as(max(stats), hi), stats
    # every pair but a (published) zero correlation is significant at 0.001
    assert all(r.pvalue < 0.001 for r in rs if abs(r.statistic) > 0.05)


# ---------------------------------------------------------------- group differences

def _theme(frame: pd.DataFrame, theme: str) -> pd.Series:
    return frame[THEMES[theme]].mean(axis=1)


def _mean_ranks(a: pd.Series, b: pd.Series) -> tuple[float, float]:
    ranks = rankdata(np.concatenate([a.to_numpy(float), b.to_numpy(float)]))
    return ranks[: len(a)].mean(), ranks[len(a):].mean()


@pytest.mark.parametrize("measure, patients_higher", [
    ("good_idea", True), ("knowledge", True), ("communication", True), ("emotion", False),
    ("understanding", False), ("R5", False), ("R6", False)])
def test_patients_vs_experts_direction(analysed, measure, patients_higher):
    get = (lambda f: _theme(f, measure)) if measure in THEMES else (lambda f: f[measure])
    p, e = _mean_ranks(get(analysed["patients"]), get(analysed["experts"]))
    assert (p > e) == patients_higher


def test_older_patients_rank_higher_on_knowledge(analysed):
    p = analysed["patients"]
    p = p[p["age_group"].between(1, 5)]
    ranks = pd.Series(rankdata(_theme(p, "knowledge")), index=p.index)
    by_age = ranks.groupby(p["age_group"]).mean()
    assert by_age.is_monotonic_increasing and by_age.iloc[-1] > by_age.iloc[0]


@pytest.mark.parametrize("variable", ["had_imaging", "saw_images"])
def test_patients_answering_no_rank_higher_on_negative_emotion(analysed, variable):
    p = analysed["patients"]
    yes, no = _mean_ranks(_theme(p[p[variable] == 1], "emotion"), _theme(p[p[variable] == 2], "emotion"))
    assert no > yes


# ---------------------------------------------------------------- plausibility (results text)

@pytest.mark.parametrize("item", BENEFITS)
def test_patient_benefit_agreement_outnumbers_all_other_answers(analysed, item):
    col = analysed["patients"][item]
    assert col.isin([4, 5]).sum() > (~col.isin([4, 5])).sum()


@pytest.mark.parametrize("item", RISKS)
def test_patient_risk_disagreement_outnumbers_all_other_answers(analysed, item):
    col = analysed["patients"][item]
    assert col.isin([1, 2]).sum() > (~col.isin([1, 2])).sum()


@pytest.mark.parametrize("item", BENEFITS)
def test_expert_majority_agrees_with_each_benefit(analysed, item):
    assert analysed["experts"][item].isin([4, 5]).mean() > 0.5


@pytest.mark.parametrize("item", RISKS)
def test_expert_majority_disagrees_with_each_risk(analysed, item):
    assert analysed["experts"][item].isin([1, 2]).mean() > 0.5


# ---------------------------------------------------------------- free text

def test_comments_are_few_and_free_of_markup(raw, analysed):
    why = raw["patients"]["why_see"].dropna()
    comments = raw["experts"]["comments"].dropna()
    assert 0 < len(why) <= 0.1 * len(raw["patients"]) and 0 < len(comments) <= 0.1 * len(raw["experts"])
    # Hostile strings belong in the tests' own corpora, not in the study data a reader sees.
    assert not why.str.contains(r"[<>*_`\[\]{}]").any() and not comments.str.contains(r"[<>*_`\[\]{}]").any()
    p = analysed["patients"]
    assert (p.loc[p["why_see"].notna(), "want_to_see"] == 1).all()
