"""`imgshare codebook --from`: drafts from SPSS, Stata and a REDCap data dictionary that validate,
with non-substantive codes set apart, no exclusion on demographics, word-boundary short labels
and the data path relative to where the draft is written."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyreadstat
import pytest
import yaml

from imgshare.cli import main
from imgshare.codebook import load_codebook
from imgshare.cohort import build_cohort
from imgshare.draft import draft_codebook, short_label, split_missing
from imgshare.errors import DataError

REDCAP = '''"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max",Identifier?,"Branching Logic (Show field only if...)","Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name","Matrix Ranking?","Field Annotation"
record_id,intake,,text,"Record ID",,,,,,,,,,,,,
age,intake,,text,"Age in years",,,integer,18,110,,,,,,,,
smoker,intake,,radio,"<b>Do you smoke?</b>","1, Yes | 2, No | 3, Used to",,,,,,,,,,,,
cigs,intake,,text,"Cigarettes a day",,,number,,,,"[smoker] = '1' or [smoker] = '3'",,,,,,
consent,intake,,yesno,"Do you consent?",,,,,,,,y,,,,,
why,intake,,notes,"Anything else?",,,,,,,"[age] > 65",,,,,,
f1,survey,,radio,"How often do you feel anxious?","1, Never | 2, Sometimes | 3, Often | 4, Always | 99, Don't know",,,,,,,,,,freq,,
f2,survey,,radio,"How often do you feel low?","1, Never | 2, Sometimes | 3, Often | 4, Always | 99, Don't know",,,,,,,,,,freq,,
f3,survey,,radio,"How often do you sleep badly?","1, Never | 2, Sometimes | 3, Often | 4, Always | 99, Don't know",,,,,,,,,,freq,,
help,survey,,checkbox,"Who helps you?","1, Family | 2, Friends | 3, Nobody",,,,,,,,,,,,
note,survey,,descriptive,"Thank you",,,,,,,,,,,,,
'''


def test_short_labels_cut_at_a_word_boundary():
    assert short_label("Seeing their images would help patients to remember health information") == \
        "Seeing their images would help patients…"
    assert short_label("x" * 50, 10) == "xxxxxxxxx…"
    assert short_label("  spaced   out  ") == "spaced out"


def test_dont_know_codes_at_the_end_of_the_range_are_not_levels():
    levels, missing = split_missing([(-9, "Refused"), (1, "Yes"), (2, "No"), (3, "Unsure")])
    assert levels == [(1, "Yes"), (2, "No"), (3, "Unsure")] and missing == [(-9, "Refused")]
    # a "not sure" inside the range stays a level; declared codes are missing whatever their label
    assert split_missing([(1, "Agree"), (2, "Not sure"), (3, "Disagree")], {3})[1] == [(3, "Disagree")]


@pytest.fixture()
def redcap(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    path = folder / "Study_DataDictionary_2024-05-01.csv"
    path.write_text(REDCAP, encoding="utf-8")
    return path


def test_redcap_dictionary_drafts_scales_checkboxes_and_branching_logic(redcap, tmp_path):
    out = tmp_path / "drafts" / "codebook.yml"
    text = draft_codebook(redcap, out)
    doc = yaml.safe_load(text)
    scale = doc["scales"]["never_4"]
    assert scale["kind"] == "frequency" and scale["missing"] == {99: "Don't know"}
    assert scale["levels"] == {1: "Never", 2: "Sometimes", 3: "Often", 4: "Always"}
    q = doc["questionnaires"]["study"]
    assert q["id"] == "record_id" and q["items"] == ["f1", "f2", "f3"] and q["answers"] == "codes"
    assert q["file"] == "../project/Study_DATA.csv"
    v = q["variables"]
    assert v["smoker"]["question"] == "Do you smoke?" and v["smoker"]["levels"] == {1: "Yes", 2: "No", 3: "Used to"}
    assert v["cigs"] == {"type": "number", "question": "Cigarettes a day", "required": False,
                         "asked_if": {"smoker": [1, 3]}}
    assert v["consent"]["levels"] == {1: "Yes", 0: "No"}
    assert v["help___2"]["question"] == "Who helps you?: Friends" and v["help___2"]["levels"] == {0: "Unchecked",
                                                                                                 1: "Checked"}
    assert v["why"]["note"] == "REDCap branching logic not drafted: [age] > 65"
    assert "note" not in v and all(var["required"] is False for var in v.values())


def test_a_redcap_draft_validates_against_its_data_export(redcap, tmp_path):
    out = redcap.parent / "codebook.yml"
    assert main(["codebook", "--from", str(redcap), "-o", str(out)]) == 0
    rng = np.random.default_rng(3)
    n = 30
    smoker = rng.choice([1, 2, 3], size=n)
    data = pd.DataFrame({
        "record_id": range(1, n + 1), "age": rng.integers(18, 90, n), "smoker": smoker,
        "cigs": np.where(smoker == 2, "", rng.integers(1, 30, n).astype(str)), "consent": rng.choice([0, 1], n),
        "why": "", **{f: rng.choice([1, 2, 3, 4, 99], n) for f in ("f1", "f2", "f3")},
        **{f"help___{k}": rng.choice([0, 1], n) for k in (1, 2, 3)},
        "intake_complete": 2, "survey_complete": 2})
    data.to_csv(redcap.parent / "Study_DATA.csv", index=False)
    cohort = build_cohort(load_codebook(out))
    assert len(cohort.responses["study"]) == n
    assert int(cohort.nonsubstantive["study"]["f1"].eq(99).sum()) == int((data["f1"] == 99).sum())
    assert any("2 column(s) not in the codebook were ignored" in w for w in cohort.warnings)


def test_stata_file_is_drafted_with_its_refused_code_apart(tmp_path):
    df = pd.DataFrame({"id": [1.0, 2.0, 3.0], "q1": [1.0, 4.0, 2.0], "q2": [2.0, 3.0, 1.0], "age": [30.0, -99.0, 41.0],
                       "town": ["a", "b", "c"]})
    labels = {1: "Strongly disagree", 2: "Disagree", 3: "Agree", 4: "Strongly agree"}
    pyreadstat.write_dta(df, str(tmp_path / "s.dta"), column_labels={"q1": "First", "q2": "Second", "age": "Age"},
                         variable_value_labels={"q1": labels, "q2": labels, "age": {-99: "Refused"}})
    doc = yaml.safe_load(draft_codebook(tmp_path / "s.dta"))
    assert doc["scales"]["strongly_disagree_4"]["agree"] == [3, 4]
    v = doc["questionnaires"]["s"]["variables"]
    assert v["age"]["type"] == "number" and v["age"]["missing"] == {-99: "Refused"}
    assert v["town"]["type"] == "text"
    path = tmp_path / "codebook.yml"
    path.write_text(draft_codebook(tmp_path / "s.dta", path))
    assert len(build_cohort(load_codebook(path)).responses["s"]) == 3


def test_the_data_path_of_a_draft_is_relative_to_the_output(tmp_path):
    (tmp_path / "study").mkdir()
    df = pd.DataFrame({"id": [1.0], "a": [1.0], "b": [2.0]})
    labels = {1: "Never", 2: "Rarely", 3: "Often", 4: "Always"}
    pyreadstat.write_sav(df, str(tmp_path / "study" / "x.sav"), variable_value_labels={"a": labels, "b": labels})
    doc = yaml.safe_load(draft_codebook(tmp_path / "study" / "x.sav", tmp_path / "sub" / "draft.yml"))
    assert doc["questionnaires"]["x"]["file"] == "../study/x.sav"


def test_an_unknown_source_is_refused_in_one_line(tmp_path):
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(DataError, match="cannot draft from a '.json' file"):
        draft_codebook(tmp_path / "x.json")
    bad = tmp_path / "dict.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="no column"):
        draft_codebook(bad)
