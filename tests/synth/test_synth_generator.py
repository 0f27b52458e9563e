"""The synthetic-cohort generator: determinism, the committed files, other survey shapes, errors."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from imgshare.codebook import load_codebook, parse_codebook
from imgshare.errors import ImgshareError
from imgshare.synth import (
    CalibrationError,
    SynthesisError,
    load_calibration,
    parse_calibration,
    synthesize,
    to_csv_text,
    write_synthetic,
)

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def study():
    return load_codebook(DATA / "codebook.yml"), load_calibration(DATA / "calibration.yml")


def test_same_seed_gives_identical_bytes(study, tmp_path):
    codebook, calibration = study
    first = write_synthetic(synthesize(codebook, calibration, 7), codebook, tmp_path / "a")
    second = write_synthetic(synthesize(codebook, calibration, 7), codebook, tmp_path / "b")
    for qid in first:
        assert first[qid].read_bytes() == second[qid].read_bytes()


def test_committed_files_are_the_seed_2020_output(study, tmp_path):
    codebook, calibration = study
    start = time.perf_counter()
    frames = synthesize(codebook, calibration, 2020)
    elapsed = time.perf_counter() - start
    written = write_synthetic(frames, codebook, tmp_path)
    for qid, path in written.items():
        assert path.read_bytes() == (DATA / codebook.questionnaires[qid].file).read_bytes(), qid
    assert elapsed < 10


def test_other_seed_changes_rows_not_counts(study):
    codebook, calibration = study
    a = synthesize(codebook, calibration, 2020)["experts"]
    b = synthesize(codebook, calibration, 2021)["experts"]
    assert not a.equals(b)
    complete_a, complete_b = a.dropna(subset=["experience"]), b.dropna(subset=["experience"])
    for col in ["K1", "R4", "role", "experience"]:
        assert complete_a[col].value_counts().sort_index().equals(complete_b[col].value_counts().sort_index())


def test_frames_follow_the_cohort_column_contract(study):
    codebook, calibration = study
    frame = synthesize(codebook, calibration, 3)["patients"]
    q = codebook.questionnaires["patients"]
    assert tuple(frame.columns) == q.columns
    assert frame["respondent_id"].dtype == "string"
    assert all(frame[c].dtype == "Int64" for c in [*q.items, "age_group", "saw_images"])
    assert frame["why_see"].dtype == "string"


def test_inputs_not_modified(study):
    codebook, calibration = study
    before = copy.deepcopy((codebook, calibration))
    synthesize(codebook, calibration, 11)
    assert (codebook, calibration) == before


# ---------------------------------------------------------------- a different survey

OTHER_CODEBOOK = {
    "study": {"id": "other", "title": "Other", "data": "synthetic"},
    "scales": {
        "four": {"levels": {1: "SD", 2: "D", 3: "A", 4: "SA"}, "disagree": [1, 2], "agree": [3, 4]},
        "seven": {"levels": {i: f"L{i}" for i in range(1, 8)}, "disagree": [1, 2, 3], "neutral": [4],
                  "agree": [5, 6, 7]},
    },
    "items": {
        "A": {"text": "a", "scale": "four"},
        "B": {"text": "b", "scale": "four", "reverse": True},
        "C": {"text": "c", "scale": "seven"},
        "D": {"text": "d", "scale": "seven", "required": False},
    },
    "domains": {"main": {"items": ["A", "B", "C", "D"]}},
    "themes": {"t": {"items": ["A", "B"]}},
    "questionnaires": {"s": {
        "file": "s.synthetic.csv", "id": "pid", "items": ["A", "B", "C", "D"], "weight": "w",
        "variables": {
            "group": {"type": "categorical", "levels": {1: "x", 2: "y"}},
            "follow": {"type": "categorical", "levels": {1: "yes", 2: "no"}, "asked_if": {"group": [2]}},
            "age": {"type": "number", "required": True},
            "note": {"type": "text"},
        },
        "exclusions": [{"reason": "incomplete", "missing_any": "required"}],
    }},
}

OTHER_CALIBRATION = {"study": "other", "questionnaires": {"s": {
    "id_prefix": "S", "received": 230, "analysed": 200, "dropout_hazard": 0.3,
    "items": {
        "A": {1: 20, 2: 50, 3: 90, 4: 40},
        "B": {1: 60, 2: 80, 3: 40, 4: 20},
        "C": {1: 5, 2: 10, 3: 25, 4: 40, 5: 60, 6: 40, 7: 20},
        "D": {1: 10, 2: 20, 3: 30, 4: 40, 5: 40, 6: 20, 7: 10},  # 170 of 200: 30 skipped
    },
    "variables": {
        "group": {1: 120, 2: 80},
        "follow": {1: 50, 2: 30},
        "age": {"mean": 45, "sd": 12, "min": 18, "max": 90},
        "note": {"comments": ["fine", "too long, honestly"]},
    },
    "spearman": [{"items": ["A", "B"], "r": -0.45}, {"items": ["C", "D"], "r": 0.3}],
    "latent": {"same_domain": 0.2},
    "effects": [{"variable": "group", "items": ["C"], "shift": {2: 0.8}}],
}}}


@pytest.fixture(scope="module")
def other():
    codebook = parse_codebook(OTHER_CODEBOOK)
    calibration = parse_calibration(OTHER_CALIBRATION)
    frame = synthesize(codebook, calibration, 5)["s"]
    required = ["A", "B", "C", "group", "age"]
    incomplete = frame[required].isna().any(axis=1) | (frame["follow"].isna() & (frame["group"] == 2))
    return frame, frame[~incomplete]


def test_other_survey_has_exact_counts_on_complete_rows(other):
    frame, complete = other
    assert len(frame) == 230 and len(complete) == 200
    expected = OTHER_CALIBRATION["questionnaires"]["s"]["items"]
    for item, counts in expected.items():
        assert complete[item].value_counts().to_dict() == counts
    assert int(complete["D"].isna().sum()) == 30


def test_other_survey_asked_if_counts_among_those_asked(other):
    _, complete = other
    assert complete.loc[complete["group"] == 1, "follow"].isna().all()
    assert complete.loc[complete["group"] == 2, "follow"].value_counts().to_dict() == {1: 50, 2: 30}


def test_other_survey_spearman_targets_met_on_raw_codes(other):
    _, complete = other
    # the calibration's default tolerance, 0.005: strictly inside it
    assert abs(spearmanr(complete["A"], complete["B"]).statistic + 0.45) < 0.005
    both = complete.dropna(subset=["D"])
    assert abs(spearmanr(both["C"], both["D"]).statistic - 0.3) < 0.005


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_meet_every_target_at_printed_precision(study, seed):
    codebook, calibration = study
    assert calibration.tolerance == 0.0005
    frames = synthesize(codebook, calibration, seed)
    for qid, qc in calibration.questionnaires.items():
        q, frame = codebook.questionnaires[qid], frames[qid]
        incomplete = frame[list(q.items)].isna().any(axis=1)
        for var in q.variables.values():
            if var.required:
                asked = np.logical_and.reduce([frame[d].isin(c).to_numpy(bool) for d, c in var.asked_if.items()],
                                              initial=True)
                incomplete |= frame[var.id].isna() & asked
        complete = frame[~incomplete]
        assert len(complete) == qc.analysed
        for t in qc.spearman:
            rho = spearmanr(complete[t.a], complete[t.b]).statistic
            assert abs(rho - t.r) < 0.0005, (qid, t.a, t.b, rho)


def test_other_survey_effect_direction_holds(other):
    _, complete = other
    c = complete["C"].astype(float)
    assert c[complete["group"] == 2].mean() > c[complete["group"] == 1].mean()


def test_other_survey_numbers_text_and_weights(other):
    frame, complete = other
    assert complete["age"].between(18, 90).all() and complete["age"].dtype == "Float64"
    assert sorted(complete["note"].dropna()) == ["fine", "too long, honestly"]
    assert (frame["w"] == 1.0).all()
    assert to_csv_text(frame).splitlines()[0] == "pid,A,B,C,D,group,follow,age,note,w"


def test_other_survey_csv_round_trips(other, tmp_path):
    frame, _ = other
    codebook = parse_codebook(OTHER_CODEBOOK)
    path = write_synthetic({"s": frame}, codebook, tmp_path)["s"]
    back = pd.read_csv(path, keep_default_na=False, na_values=[""])
    assert back["note"].dropna().tolist() == frame["note"].dropna().tolist()
    assert back["A"].isna().sum() == frame["A"].isna().sum()


# ---------------------------------------------------------------- errors

def _calibration(**changes):
    data = copy.deepcopy(OTHER_CALIBRATION)
    data["questionnaires"]["s"].update(changes)
    return parse_calibration(data)


def test_counts_not_summing_to_analysed_raise_with_key_path():
    items = copy.deepcopy(OTHER_CALIBRATION["questionnaires"]["s"]["items"])
    items["A"] = {1: 20, 2: 50, 3: 90, 4: 39}
    with pytest.raises(CalibrationError, match=r"questionnaires\.s\.items\.A: counts sum to 199, expected 200"):
        synthesize(parse_codebook(OTHER_CODEBOOK), _calibration(items=items), 1)


def test_unknown_code_and_missing_item_are_both_reported():
    items = copy.deepcopy(OTHER_CALIBRATION["questionnaires"]["s"]["items"])
    items["A"] = {1: 20, 2: 50, 3: 90, 5: 40}
    del items["C"]
    with pytest.raises(CalibrationError) as err:
        synthesize(parse_codebook(OTHER_CODEBOOK), _calibration(items=items), 1)
    assert "items.A.5: code 5 is not a level" in str(err.value)
    assert "items.C: missing" in str(err.value)


def test_unreachable_spearman_target_raises_synthesis_error():
    cal = _calibration(spearman=[{"items": ["A", "C"], "r": 0.999}])
    with pytest.raises(SynthesisError, match=r"s\.spearman: .*A-C reaches"):
        synthesize(parse_codebook(OTHER_CODEBOOK), cal, 1)


@pytest.mark.parametrize("seed", [-1, 1.5, "2020", True])
def test_bad_seed_is_a_user_error(study, seed):
    with pytest.raises(SynthesisError, match="seed must be a whole number"):
        synthesize(*study, seed)


def test_write_refuses_a_file_name_without_synthetic(tmp_path):
    data = copy.deepcopy(OTHER_CODEBOOK)
    data["questionnaires"]["s"]["file"] = "survey.csv"
    codebook = parse_codebook(data)
    frames = synthesize(codebook, parse_calibration(OTHER_CALIBRATION), 1)
    with pytest.raises(SynthesisError, match="does not contain 'synthetic'"):
        write_synthetic(frames, codebook, tmp_path)
    assert not (tmp_path / "survey.csv").exists()


def test_missing_calibration_file_is_a_user_error(tmp_path):
    with pytest.raises(CalibrationError, match="file not found"):
        load_calibration(tmp_path / "nope.yml")


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text("questionnaires:\n  s: [\n", encoding="utf-8")
    with pytest.raises(CalibrationError, match="line 3"):
        load_calibration(path)


def test_shape_errors_are_listed_together():
    with pytest.raises(CalibrationError) as err:
        parse_calibration({"questionnaires": {"s": {"received": 5, "analysed": 9, "items": {"A": {1: -2}},
                                                    "colour": 1}}})
    text = str(err.value)
    assert "questionnaires.s.colour: unknown key" in text
    assert "questionnaires.s.id_prefix: required key is missing" in text
    assert "9 analysed rows but only 5 received" in text
    assert "items.A.1: expected a whole number >= 0" in text
    assert isinstance(err.value, ImgshareError)


def test_calibration_for_another_study_is_rejected(study):
    codebook, _ = study
    with pytest.raises(CalibrationError, match="calibration is for study 'other'"):
        synthesize(codebook, parse_calibration(OTHER_CALIBRATION), 1)


def test_drop_outs_answer_at_least_one_question(other):
    frame, complete = other
    dropped = frame.drop(index=complete.index)
    assert len(dropped) == 30
    assert dropped["A"].notna().all()
    assert np.all(dropped[["A", "B", "C"]].isna().any(axis=1) | dropped[["group", "age"]].isna().any(axis=1))


def test_incomplete_rows_need_a_missing_required_exclusion_rule():
    data = copy.deepcopy(OTHER_CODEBOOK)
    data["questionnaires"]["s"]["exclusions"] = []
    with pytest.raises(CalibrationError, match=r"s\.received: 30 incomplete rows requested"):
        synthesize(parse_codebook(data), parse_calibration(OTHER_CALIBRATION), 1)


@pytest.mark.parametrize("name", ["_calibration", "_copula", "_generate", "_swaps"])
def test_docstring_examples_run(name):
    import doctest
    import importlib

    module = importlib.import_module(f"imgshare.synth.{name}")
    failed, attempted = doctest.testmod(module)
    assert attempted > 0 and failed == 0
