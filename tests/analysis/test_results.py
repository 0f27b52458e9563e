from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.analysis_helpers import expert_frame, make_codebook, make_cohort, patient_frame
from imgshare.report._methods_text import methods_markdown as methods_paragraph
from imgshare.analysis import FRAME_NAMES, analyse, results_to_json, write_results
from imgshare.codebook import load_codebook
from imgshare.cohort import build_cohort


@pytest.fixture(scope="module")
def second_cohort(second_codebook_path):
    return build_cohort(load_codebook(second_codebook_path))


@pytest.fixture(scope="module")
def second_results(second_cohort):
    return analyse(second_cohort, p_adjust="holm")


def test_json_is_byte_identical_across_runs(cohort, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = results_to_json(analyse(cohort))
    second = results_to_json(analyse(cohort))
    assert first == second
    assert "generated" not in json.loads(first)


def test_timestamp_only_from_source_date_epoch(cohort, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1580000000")
    doc = json.loads(results_to_json(analyse(cohort)))
    assert doc["generated"] == "2020-01-26T00:53:20Z"


def test_json_has_every_frame_with_columns_and_null_for_nan(cohort):
    results = analyse(cohort)
    doc = json.loads(results_to_json(results))
    assert list(doc["frames"]) == sorted(FRAME_NAMES)
    for name in FRAME_NAMES:
        frame = getattr(results, name)
        assert doc["columns"][name] == list(frame.columns)
        assert len(doc["frames"][name]) == len(frame)
    six = [r for r in doc["frames"]["comparisons"] if r["outcome"] == "six"][0]
    assert six["p"] is None and six["statistic"] is None and six["reason"]
    neutral = [r for r in doc["frames"]["item_agreement"] if r["item"] == "S1"][0]
    assert neutral["pct_neutral"] is None and neutral["domain"] is None


def test_json_floats_keep_full_precision(cohort):
    results = analyse(cohort)
    doc = json.loads(results_to_json(results))
    row = results.item_agreement.iloc[1]
    assert doc["frames"]["item_agreement"][1]["pct_agree"] == row["pct_agree"]  # exact float round-trip
    pvalues = [r["p"] for r in doc["frames"]["comparisons"]]
    assert pvalues == [None if math.isnan(p) else p for p in results.comparisons["p"]]


def test_study_and_settings_are_recorded(cohort):
    doc = json.loads(results_to_json(analyse(cohort, p_adjust="fdr_bh", min_answered=0.75)))
    assert doc["study"]["synthetic"] is True and doc["study"]["data"] == "synthetic"
    assert doc["settings"]["p_adjust"] == "fdr_bh" and doc["settings"]["min_answered"] == 0.75
    assert doc["schema"] == "imgshare-results/1"


def test_provenance_hashes_the_codebook_and_data_files(second_cohort, second_results, second_codebook_path):
    prov = second_results.provenance
    assert prov["codebook"]["sha256"] == hashlib.sha256(second_codebook_path.read_bytes()).hexdigest()
    for qid, path in second_cohort.files.items():
        assert prov["data"][qid]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert prov["data"][qid]["file"] == path.name
    assert set(prov["software"]) == {"python", "imgshare", "pandas", "numpy", "scipy"}
    assert prov["software"]["scipy"] == __import__("scipy").__version__


def test_hand_built_cohort_without_files_says_why_there_is_no_hash(cohort):
    prov = analyse(cohort).provenance
    assert prov["codebook"]["sha256"] is None and prov["codebook"]["reason"]
    assert prov["data"]["pat"]["sha256"] is None and "not found" in prov["data"]["pat"]["reason"]


def test_write_results_writes_json_and_one_csv_per_frame(cohort, tmp_path):
    results = analyse(cohort)
    written = write_results(results, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(["results.json"] + [f"{n}.csv" for n in FRAME_NAMES])
    assert [p.name for p in written] == ["results.json"] + [f"{n}.csv" for n in FRAME_NAMES]
    assert (tmp_path / "out" / "results.json").read_text(encoding="utf-8") == results_to_json(results)
    back = pd.read_csv(tmp_path / "out" / "item_agreement.csv")
    np.testing.assert_array_equal(back["pct_agree"].to_numpy(), results.item_agreement["pct_agree"].to_numpy())
    again = write_results(results, tmp_path / "out")
    assert len(again) == len(written)
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_second_survey_end_to_end_numbers(second_cohort, second_results):
    staff = second_cohort.responses["staff"]
    agree = second_results.item_agreement.set_index(["questionnaire", "item"])
    answered = staff["W5"].dropna()
    assert agree.loc[("staff", "W5"), "missing"] == staff["W5"].isna().sum() > 0
    assert agree.loc[("staff", "W5"), "pct_agree"] == pytest.approx(100 * answered.isin([4, 5, 6]).mean(), rel=1e-9)
    assert math.isnan(agree.loc[("staff", "W5"), "pct_neutral"])
    corr = second_results.theme_correlations
    row = corr[(corr["questionnaire"] == "staff") & (corr["item1"] == "W1") & (corr["item2"] == "W3")].iloc[0]
    both = staff["W1"].notna() & staff["W3"].notna()
    expected = stats.spearmanr(staff.loc[both, "W1"].astype(float), 7 - staff.loc[both, "W3"].astype(float))
    assert row["rho"] == pytest.approx(expected.statistic, rel=1e-9)
    dept = second_results.comparisons.set_index(["comparison", "outcome"]).loc[("department", "support")]
    assert dept["test"] == "kruskal-wallis" and dept["n_groups"] == 4


def test_constant_item_in_real_fixture_is_nan_with_reason(second_results):
    corr = second_results.theme_correlations
    w5 = corr[(corr["questionnaire"] == "managers") & (corr["item2"] == "W5")].iloc[0]
    assert math.isnan(w5["rho"]) and w5["reason"]


def test_methods_paragraph_describes_what_ran(second_results):
    text = methods_paragraph(second_results)
    tests = second_results.comparisons
    n_mw = int(((tests["test"] == "mann-whitney") & tests["statistic"].notna()).sum())
    n_kw = int(((tests["test"] == "kruskal-wallis") & tests["statistic"].notna()).sum())
    assert f"Mann-Whitney U test ({n_mw} tests)" in text
    assert f"Kruskal-Wallis H test ({n_kw} tests" in text
    assert "Holm" in text and f"adjusted over all {n_mw + n_kw} tests" in text
    assert "reverse-scoring 2 items (“Others control my work” and “Energy left”)" in text
    assert "at least 50% of the theme's items" in text
    assert "Staff by department" in text  # labels come from the codebook
    for key, version in second_results.provenance["software"].items():
        assert version in text
    assert "synthetic" in text


def test_methods_paragraph_omits_what_did_not_run(cohort):
    cb = make_codebook({"comparisons": {"only": {"questionnaire": "pat", "by": "had", "levels": [1, 2],
                                                 "themes": ["neg"]}}, "study": {"id": "r", "data": "real"}})
    real = make_cohort(cb, {"pat": patient_frame(), "exp": expert_frame()})
    text = methods_paragraph(analyse(real))
    assert "Kruskal-Wallis" not in text and "Dunn" not in text and "adjusted over" not in text
    assert "synthetic" not in text
    assert "weighted" in text and "Experts (weight column w)" in text


def test_input_data_not_modified(cohort):
    before = {q: f.copy(deep=True) for q, f in cohort.responses.items()}
    flow = cohort.flow.copy(deep=True)
    results = analyse(cohort)
    results.flow.loc[0, "n"] = -1
    for q, f in cohort.responses.items():
        pd.testing.assert_frame_equal(f, before[q])
    pd.testing.assert_frame_equal(cohort.flow, flow)
