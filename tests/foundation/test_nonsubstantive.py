"""Non-substantive answers ("Don't know", SPSS user-missing codes), scale kinds, the analysis
section and the codebook messages of issue 13: declared in the codebook, read from the files,
never a level, counted apart, usable by exclusion rules."""

import copy

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from imgshare.codebook import load_codebook, parse_codebook, scale_words
from imgshare.cohort import build_cohort
from imgshare.errors import CodebookError, DataError
from imgshare.loading import load_questionnaire

from foundation.helpers import MINI, write_project


def with_dk(**extra) -> dict:
    cb = copy.deepcopy(MINI)
    cb["scales"]["a5"]["missing"] = {8: "Don't know", 9: "No answer"}
    cb["questionnaires"]["main"]["variables"]["age"]["missing"] = {-99: "Refused"}
    cb["questionnaires"]["main"]["variables"]["grp"]["missing"] = {7: "Prefer not to say"}
    cb.update(extra)
    return cb


def rejection(data) -> str:
    with pytest.raises(CodebookError) as info:
        parse_codebook(data, source="cb.yml")
    return str(info.value)


ROWS = [
    "r1,1,2,8,1,1,34,fine",
    "r2,4,don't know,,2,,-99,",
    "r3,9,5,5,7,,40,",
    "r4,2,2,2,1,2,,",
]


def test_non_substantive_codes_are_missing_answers_kept_apart(tmp_path):
    loaded = load_questionnaire(load_codebook(write_project(tmp_path, ROWS, codebook=with_dk())), "main")
    frame, codes = loaded.frame, loaded.nonsubstantive
    assert frame["Q1"].isna().tolist() == [False, False, True, False]      # 9 is not an answer on the scale
    assert codes["Q1"].tolist()[2] == 9 and codes["Q2"].tolist()[1] == 8  # "don't know" read by its label
    assert codes["Q3"].tolist()[0] == 8 and pd.isna(codes["Q3"].tolist()[1])  # a blank is not a code
    assert pd.isna(frame.loc["r2", "age"]) and codes.loc["r2", "age"] == -99
    assert pd.isna(frame.loc["r3", "grp"]) and codes.loc["r3", "grp"] == 7


def test_an_undeclared_code_names_the_non_substantive_codes_in_the_message(tmp_path):
    with pytest.raises(DataError) as info:
        load_questionnaire(load_codebook(write_project(tmp_path, ["r1,6,2,3,1,1,34,"], codebook=with_dk())), "main")
    assert ("main.csv:2:Q1: found '6'; expected a code or label of scale a5 (1 = Strongly disagree; 2 = Disagree; "
            "3 = Neutral; 4 = Agree; 5 = Strongly agree), a non-substantive answer (8 = Don't know; 9 = No answer) "
            "or blank") in str(info.value)


def test_exclusion_counts_blanks_only_unless_the_rule_lists_codes(tmp_path):
    cb = with_dk()
    cohort = build_cohort(load_codebook(write_project(tmp_path, ROWS, codebook=cb)))
    assert list(cohort.responses["main"].index) == ["r1", "r2", "r3", "r4"]   # a "don't know" is an answer
    assert cohort.nonsubstantive["main"].loc["r3", "Q1"] == 9
    cb["questionnaires"]["main"]["exclusions"][0]["codes"] = [9]
    cohort = build_cohort(load_codebook(write_project(tmp_path, ROWS, codebook=cb)))
    assert list(cohort.responses["main"].index) == ["r1", "r2", "r4"]        # 9 "No answer" counts as missing
    assert list(cohort.nonsubstantive["main"].index) == ["r1", "r2", "r4"]
    cb["questionnaires"]["main"]["exclusions"][0]["codes"] = "all"
    cohort = build_cohort(load_codebook(write_project(tmp_path, ROWS, codebook=cb)))
    assert list(cohort.responses["main"].index) == ["r1", "r4"]


def test_exclusion_when_names_a_non_substantive_code_of_an_item(tmp_path):
    cb = with_dk()
    cb["questionnaires"]["main"]["exclusions"] = [{"id": "dk", "reason": "Did not know Q2", "when": {"Q2": [8]}}]
    cohort = build_cohort(load_codebook(write_project(tmp_path, ROWS, codebook=cb)))
    assert list(cohort.excluded["main"].index) == ["r2"]


def test_an_exclusion_removing_more_than_the_stated_share_is_warned_about(tmp_path):
    cb = with_dk(analysis={"max_excluded_share": 0.2})
    cb["questionnaires"]["main"]["exclusions"][0]["codes"] = "all"
    cohort = build_cohort(load_codebook(write_project(tmp_path, ROWS, codebook=cb)))
    assert any("exclusion rule 'incomplete' (Item non-response) removes 2 of 4 responses (50%), more than "
               "analysis.max_excluded_share (20%)" in w for w in cohort.warnings)
    cb["analysis"]["max_excluded_share"] = 0.5
    cohort = build_cohort(load_codebook(write_project(tmp_path, ROWS, codebook=cb)))
    assert not any("max_excluded_share" in w for w in cohort.warnings)


def _sav(tmp_path, cb, q1_missing=(9,)):
    cb = copy.deepcopy(cb)
    cb["questionnaires"]["main"]["file"] = "main.sav"
    write_project(tmp_path, codebook=cb)
    df = pd.DataFrame({"rid": ["a", "b", "c"], "Q1": [1.0, 9.0, 5.0], "Q2": [2.0, 4.0, 8.0], "Q3": [3.0, np.nan, 1.0],
                       "grp": [1.0, 2.0, 2.0], "sub": [1.0, np.nan, np.nan], "age": [40.0, -99.0, 50.0],
                       "why": ["", "x", ""]})
    pyreadstat.write_sav(df, str(tmp_path / "main.sav"),
                         variable_value_labels={"Q1": {1: "Strongly disagree", 5: "Strongly agree", 9: "no answer"},
                                                "age": {-99: "Refused"}},
                         missing_ranges={"Q1": list(q1_missing), "Q2": [8], "age": [-99]})
    return tmp_path / "codebook.yml"


def test_spss_user_missing_codes_are_read_as_codes_not_blanks(tmp_path):
    loaded = load_questionnaire(load_codebook(_sav(tmp_path, with_dk())), "main")
    assert loaded.nonsubstantive.loc["b", "Q1"] == 9 and loaded.nonsubstantive.loc["c", "Q2"] == 8
    assert loaded.nonsubstantive.loc["b", "age"] == -99
    assert pd.isna(loaded.frame.loc["b", "Q1"]) and loaded.frame.loc["c", "Q1"] == 5


def test_spss_missing_declaration_absent_from_the_codebook_says_where_to_declare_it(tmp_path):
    with pytest.raises(DataError) as info:
        load_questionnaire(load_codebook(_sav(tmp_path, MINI)), "main")
    message = str(info.value)
    assert ("main.sav:Q1: code(s) 9 ('no answer') in 1 row(s), declared missing in the file, are not in the codebook; "
            "expected them declared under scales.a5.missing (or items.Q1.missing) (e.g. missing: {9: no answer})"
            ) in message
    assert "main.sav:age: found '-99'" not in message or "questionnaires.main.variables.age" in message


def test_stata_file_is_read_and_extended_missing_values_are_noted(tmp_path):
    cb = copy.deepcopy(MINI)
    cb["questionnaires"]["main"]["file"] = "main.dta"
    write_project(tmp_path, codebook=cb)
    df = pd.DataFrame({"rid": ["a", "b"], "Q1": [1.0, "a"], "Q2": [2.0, 4.0], "Q3": [3.0, np.nan],
                       "grp": [1.0, 2.0], "sub": [1.0, np.nan], "age": [40.0, 50.0], "why": ["", "x"]})
    pyreadstat.write_dta(df, str(tmp_path / "main.dta"), missing_user_values={"Q1": ["a"]})
    loaded = load_questionnaire(load_codebook(tmp_path / "codebook.yml"), "main")
    assert loaded.frame.loc["a", "Q1"] == 1 and pd.isna(loaded.frame.loc["b", "Q1"])
    assert any("main.dta: column Q1: Stata extended missing value(s) .a (1 rows) read as blank" in w
               for w in loaded.warnings)


def test_qualtrics_export_without_header_rows_gets_one_suggestion(tmp_path):
    rows = ["Response ID,One,Two,Three,Group,Sub,Age,Why",
            ",".join(['"{""ImportId"":""QID%d""}"' % i for i in range(8)]), "r1,1,2,3,1,1,34,fine"]
    with pytest.raises(DataError) as info:
        load_questionnaire(load_codebook(write_project(tmp_path, rows)), "main")
    lines = str(info.value).splitlines()
    assert lines == ["main.csv: rows 2 and 3 look like a Qualtrics export's extra header rows (question texts, then "
                     f"ImportId cells); expected header_rows: 3 under questionnaires.main in {tmp_path / 'codebook.yml'}"
                     ", so that they are skipped"]


def test_non_substantive_code_may_not_be_a_level():
    cb = with_dk()
    cb["scales"]["a5"]["missing"] = {5: "Don't know"}
    assert "scales.a5.missing.5: code 5 is also a level; a non-substantive code is never a level" in rejection(cb)


def test_levels_given_as_a_list_get_one_message():
    cb = copy.deepcopy(MINI)
    cb["scales"]["a5"]["levels"] = ["Never", "Sometimes", "Often"]
    lines = rejection(cb).splitlines()
    assert lines == ["cb.yml: scales.a5.levels: found a list of 3 labels; expected levels as 'code: label' pairs in "
                     "order, e.g. {1: 'Never', 2: 'Sometimes', ...}"]


def test_enumerated_values_are_validated():
    cb = copy.deepcopy(MINI)
    cb["items"]["Q1"]["wording"] = "paraphrased"
    cb["scales"]["a5"]["kind"] = "agreeableness"
    message = rejection(cb)
    assert "items.Q1.wording: unknown value 'paraphrased' (expected one of: published, reconstructed)" in message
    assert "scales.a5.kind: unknown value 'agreeableness' (expected one of: agreement, frequency" in message


def test_custom_scale_needs_its_pole_words():
    cb = copy.deepcopy(MINI)
    cb["scales"]["a5"]["kind"] = "custom"
    assert "scales.a5.words: required key is missing" not in rejection(cb)  # words may be absent altogether...
    cb["scales"]["a5"]["words"] = {"positive": "Helpful"}
    assert "scales.a5.words.negative: required key is missing" in rejection(cb)


def test_scale_words_follow_the_declared_kind_and_neutral_level():
    cb = copy.deepcopy(MINI)
    cb["scales"]["f4"] = {"kind": "frequency", "levels": {1: "Never", 2: "Sometimes", 3: "Often", 4: "Always"},
                          "disagree": [1, 2], "agree": [3, 4]}
    parsed = parse_codebook(cb)
    words = scale_words(parsed.scales["f4"])
    assert (words.positive, words.noun, words.deviation) == ("Often", "frequency", "deviation from the midpoint")
    assert scale_words(parsed.scales["a5"]).deviation == "deviation from neutral"
    cb["scales"]["f4"]["words"] = {"positive": "Frequently"}
    assert scale_words(parse_codebook(cb).scales["f4"]).column("agree") == "Frequently (%)"


def test_analysis_section_sets_the_theme_score_rule():
    cb = copy.deepcopy(MINI)
    assert parse_codebook(cb).analysis.min_answered == 0.5
    cb["analysis"] = {"min_answered": 0.75}
    assert parse_codebook(cb).analysis.min_answered == 0.75
    cb["analysis"] = {"min_answered": 0}
    assert "analysis.min_answered: expected a share above 0 to 1 (e.g. 0.5), found 0" in rejection(cb)


def test_mann_whitney_on_a_grouping_with_more_than_two_levels_is_rejected():
    cb = copy.deepcopy(MINI)
    cb["questionnaires"]["main"]["variables"]["grp"]["levels"] = {1: "A", 2: "B", 3: "C"}
    cb["comparisons"] = {"g": {"questionnaire": "main", "by": "grp", "items": ["Q1"], "test": "mann-whitney"}}
    assert ("comparisons.g.test: Mann-Whitney U compares two groups, this comparison has 3 levels of 'grp'"
            in rejection(cb))
    cb["comparisons"]["g"]["levels"] = [1, 3]
    assert parse_codebook(cb).comparisons["g"].test == "mann-whitney"


def test_a_comparison_by_a_number_is_a_spearman_correlation():
    cb = copy.deepcopy(MINI)
    cb["comparisons"] = {"age": {"questionnaire": "main", "by": "age", "items": ["Q1"]},
                         "grp": {"questionnaire": "main", "by": "grp", "variables": ["age"]}}
    parsed = parse_codebook(cb)
    assert parsed.comparisons["age"].test == "spearman" and parsed.comparisons["age"].correlational
    assert parsed.comparisons["grp"].variables == ("age",)
    cb["comparisons"]["grp"]["variables"] = ["why"]
    assert "comparisons.grp.variables[0]: 'why' is text; only number variables are compared" in rejection(cb)


def test_the_docs_example_of_a_survey_as_researchers_have_it_is_a_valid_codebook(root):
    import re

    import yaml

    text = (root / "docs" / "codebook.md").read_text(encoding="utf-8")
    example = re.findall(r"```yaml\n(.*?)```", text, re.S)[1]
    cb = parse_codebook(yaml.safe_load(example))
    assert cb.analysis.min_answered == 0.75
    assert cb.scales["freq4"].missing_codes == (8, 9) and cb.items["C3"].missing[0].label == "Not applicable"
    assert scale_words(cb.scales["help5"]).heading("each service") == "Helpfulness: answers to each service"
    assert cb.questionnaires["carers"].variables["age"].missing_codes == (-99,)
    assert cb.questionnaires["carers"].exclusions[1].codes == (9,)
    assert cb.comparisons["age"].correlational and cb.comparisons["relation"].variables == ("hours_care", "age")
