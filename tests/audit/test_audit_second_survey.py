"""The audit on another survey (6- and 4-point scales, reverse-keyed and optional items, two exclusion
rules, a labelled xlsx): a 'paper' printing the right numbers is reproduced with no code change."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from imgshare.audit import check, parse_published, unresolved
from imgshare.codebook import load_codebook
from imgshare.cohort import build_cohort


@pytest.fixture(scope="module")
def survey(second_codebook_path):
    codebook = load_codebook(second_codebook_path)
    return codebook, build_cohort(codebook)


@pytest.fixture(scope="module")
def paper(survey, second_codebook_path):
    return _paper(survey[1], second_codebook_path.parent / "staff.csv")


def _pct(v: dict, x: float, decimals: int = 2) -> dict:
    shown = f"{x:.{decimals}f}"
    return {**v, "value": float(shown), "decimals": decimals, "percent_sign": True, "printed": f"({shown}%)"}


def _paper(cohort, raw_staff) -> dict:
    """Numbers computed here with plain pandas/scipy from the analysed rows, printed as a paper would."""
    staff, managers = cohort.responses["staff"], cohort.responses["managers"]
    w8 = staff["W8"].dropna()
    part_time = staff[staff["contract"] == 2]
    keyed = staff[["W1", "W2", "W3"]].astype(float).assign(W3=lambda f: 7 - f["W3"])
    rhos = [stats.spearmanr(*keyed[[a, b]].dropna().to_numpy().T).statistic
            for a, b in (("W1", "W2"), ("W1", "W3"), ("W2", "W3"))]
    # W6 is reverse-keyed: a domain mean counts its keyed agreement (disagreement as worded, 1-3).
    strain = [100 * managers[i].dropna().isin([1, 2, 3] if i == "W6" else [4, 5, 6] if i.startswith("W")
                                              else [3, 4]).mean()
              for i in ("W6", "W7", "W8", "F1", "F2")]
    raw = pd.read_csv(raw_staff, skiprows=[1, 2])       # Qualtrics export: two extra header rows
    received, no_consent = len(raw), int((raw["consent"] == 2).sum())
    base = {"source": "Results", "questionnaire": "staff"}
    values = [
        {**base, "id": "staff.received", "kind": "flow", "stage": "received", "value": received,
         "printed": f"{received} staff responded"},
        {**base, "id": "staff.no_consent", "kind": "flow", "stage": "excluded", "exclusion": "no_consent",
         "value": no_consent, "printed": f"{no_consent} did not consent"},
        {**base, "id": "w8.agree.n", "kind": "count", "item": "W8", "levels": "agree",
         "value": int(w8.isin([4, 5, 6]).sum()), "printed": f"{int(w8.isin([4, 5, 6]).sum())} agreed"},
        _pct({**base, "id": "w8.agree.pct", "kind": "percent", "item": "W8", "levels": "agree"},
             100 * w8.isin([4, 5, 6]).mean()),
        _pct({**base, "id": "f1.often.pct", "kind": "percent", "item": "F1", "levels": [3, 4],
              "where": {"contract": [2]}}, 100 * part_time["F1"].isin([3, 4]).mean()),
        _pct({**base, "id": "dept.research.pct", "kind": "percent", "variable": "department", "levels": [4]},
             100 * (staff["department"] == 4).mean(), 1),
        {**base, "id": "autonomy.min", "kind": "spearman_min", "theme": "autonomy", "decimals": 3,
         "value": float(f"{min(rhos):.3f}"), "printed": f"R from {min(rhos):.3f}"},
        {**base, "id": "autonomy.max", "kind": "spearman_max", "theme": "autonomy", "decimals": 3,
         "value": float(f"{max(rhos):.3f}"), "printed": f"to {max(rhos):.3f}"},
        _pct({"source": "Figure 2", "questionnaire": "managers", "id": "strain.mean", "kind": "domain_mean_agree",
              "domain": "strain"}, float(np.mean(strain))),
    ]
    return {"values": values}


def test_a_correct_paper_about_another_survey_is_fully_reproduced(survey, paper):
    codebook, cohort = survey
    published = parse_published(paper)
    assert unresolved(published, codebook).empty
    frame = check(cohort, published)
    assert frame["verdict"].tolist() == ["match"] * len(frame), frame[["id", "note"]].to_string()


def test_the_optional_item_is_out_of_those_answering(survey, paper):
    _, cohort = survey
    staff = cohort.responses["staff"]
    assert staff["W8"].isna().any()      # the fixture does leave W8 unanswered
    frame = check(cohort, parse_published(paper)).set_index("id")
    expected = 100 * staff["W8"].dropna().isin([4, 5, 6]).mean()
    assert math.isclose(frame.at["w8.agree.pct", "computed"], expected, rel_tol=1e-12)


def test_a_wrong_number_about_another_survey_is_caught(survey, paper):
    _, cohort = survey
    paper = {"values": list(paper["values"])}
    paper["values"][3] = {**paper["values"][3], "value": paper["values"][3]["value"] + 1,
                          "printed": f"({paper['values'][3]['value'] + 1:.2f}%)"}
    frame = check(cohort, parse_published(paper)).set_index("id")
    assert frame.at["w8.agree.pct", "verdict"] == "mismatch"
    assert frame["verdict"].eq("match").sum() == len(frame) - 1
