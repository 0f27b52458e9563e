"""The exclusion rules and the participant flow: every received row is accounted for."""

import copy

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgshare.codebook import load_codebook, parse_codebook
from imgshare.cohort import apply_exclusions, build_cohort, flow_table
from imgshare.errors import DataError
from imgshare.loading import LoadedQuestionnaire

from foundation.helpers import GOOD_ROWS, MINI, write_project


def test_incomplete_rows_are_excluded_with_their_reason(tmp_path):
    rows = [*GOOD_ROWS, "r4,1,,3,1,1,20,", "r5,1,2,,2,,,"]
    cohort = build_cohort(load_codebook(write_project(tmp_path, rows)))
    assert list(cohort.responses["main"].index) == ["r1", "r2", "r3", "r5"]
    excluded = cohort.excluded["main"]
    assert list(excluded.index) == ["r4"] and excluded.loc["r4", "reason"] == "Item non-response"
    assert excluded.loc["r4", "row"] == 5


def test_optional_and_not_asked_blanks_do_not_exclude(tmp_path):
    # r2 skipped optional Q3 and was not asked `sub` (grp = 2): both blanks are legitimate.
    cohort = build_cohort(load_codebook(write_project(tmp_path)))
    assert "r2" in cohort.responses["main"].index


def test_asked_question_left_blank_excludes(tmp_path):
    rows = [*GOOD_ROWS, "r4,1,2,3,1,,20,"]
    cohort = build_cohort(load_codebook(write_project(tmp_path, rows)))
    assert "r4" in cohort.excluded["main"].index


def test_first_matching_rule_gives_the_reason(tmp_path):
    cb = copy.deepcopy(MINI)
    cb["questionnaires"]["main"]["exclusions"].insert(
        0, {"id": "no", "reason": "Answered no", "when": {"grp": [2]}})
    rows = [*GOOD_ROWS, "r4,1,,3,2,,20,"]
    cohort = build_cohort(load_codebook(write_project(tmp_path, rows, codebook=cb)))
    assert dict(cohort.excluded["main"]["reason"]) == {"r2": "Answered no", "r4": "Answered no"}
    flow = cohort.flow
    assert flow.loc[flow.reason == "Answered no", "n"].item() == 2
    assert flow.loc[flow.reason == "Item non-response", "n"].item() == 0


def test_every_respondent_excluded_is_an_error(tmp_path):
    rows = ["r1,1,,3,1,1,20,", "r2,,2,3,1,1,20,"]
    with pytest.raises(DataError, match=r"main.csv: every one of the 2 respondents is excluded \(Item non-response: 2\)"):
        build_cohort(load_codebook(write_project(tmp_path, rows)))


def test_cohort_of_second_survey(second_codebook_path):
    cohort = build_cohort(load_codebook(second_codebook_path))
    flow = cohort.flow.set_index(["questionnaire", "stage", "reason"])["n"]
    assert flow[("staff", "received", "")] == 64
    assert flow[("staff", "excluded", "Did not consent")] == 3
    assert flow[("staff", "analysed", "")] + 3 + flow[("staff", "excluded", "Item non-response")] == 64
    assert flow[("managers", "analysed", "")] == 22


def test_input_data_not_modified(tmp_path):
    cb = load_codebook(write_project(tmp_path, [*GOOD_ROWS, "r4,1,,3,1,1,20,"]))
    from imgshare.loading import load_questionnaire

    loaded = load_questionnaire(cb, "main")
    before = loaded.frame.copy()
    apply_exclusions(loaded, cb)
    pd.testing.assert_frame_equal(loaded.frame, before)


# A generated questionnaire: any pattern of blanks and values must be fully accounted for.
answers = st.one_of(st.none(), st.integers(1, 5))
respondent = st.tuples(answers, answers, answers, st.one_of(st.none(), st.integers(1, 2)), st.one_of(st.none(), st.integers(1, 2)))


@settings(max_examples=200, deadline=None)
@given(st.lists(respondent, min_size=1, max_size=40), st.booleans())
def test_flow_accounts_for_every_row(rows, extra_rule):
    data = copy.deepcopy(MINI)
    if extra_rule:
        data["questionnaires"]["main"]["exclusions"].insert(0, {"id": "no", "reason": "No", "when": {"grp": [2]}})
    cb = parse_codebook(data)
    records = []
    for i, (q1, q2, q3, grp, sub) in enumerate(rows):
        sub = sub if grp == 1 else None
        records.append({"Q1": q1, "Q2": q2, "Q3": q3, "grp": grp, "sub": sub, "age": None, "why": None})
    frame = pd.DataFrame(records, index=[f"r{i}" for i in range(len(rows))]).astype(
        {"Q1": "Int64", "Q2": "Int64", "Q3": "Int64", "grp": "Int64", "sub": "Int64", "age": "Float64", "why": "string"})
    import numpy as np

    loaded = LoadedQuestionnaire(cb.questionnaires["main"], None, frame, np.arange(2, len(rows) + 2), ())
    kept, dropped = apply_exclusions(loaded, cb)
    flow = flow_table(cb, {"main": len(rows)}, {"main": dropped}, {"main": len(kept)})
    received = flow.loc[flow.stage == "received", "n"].sum()
    assert received == flow.loc[flow.stage != "received", "n"].sum() == len(rows)
    assert set(kept.index).isdisjoint(dropped.index)
    assert set(kept.index) | set(dropped.index) == set(frame.index)
    # kept respondents answered every required, asked question
    assert kept[["Q1", "Q2", "grp"]].notna().all().all()
    assert (kept.loc[kept.grp == 1, "sub"].notna()).all()
