"""check(): every verdict, computed values against direct computation, exit status, renderers."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from imgshare.audit import (
    check,
    exit_status,
    parse_published,
    render,
    run_check,
    summary_line,
    to_json,
    to_markdown,
    to_text,
)
from imgshare.cohort import Cohort
from imgshare.errors import ImgshareError

EXPECTED_VERDICTS = {
    "flow.received": "match", "flow.excluded": "match", "flow.excluded.pct": "match",
    "flow.analysed.wrong": "mismatch", "a1.agree.n": "match", "a1.agree.pct": "match",
    "a1.agree.pct.truncated": "match (truncated)", "liked.unsure.pct": "match (truncated)",
    "liked.yes.pct": "match", "liked.yes.pct.all": "match", "a2.sa.n": "mismatch", "a3.agree.pct": "match",
    "a3.agree.pct.of_all": "match", "used.yes.pct": "mismatch", "a1.agree.users.n": "match", "rho.t": "match",
    "rho.t.wrong": "mismatch", "rho.t3.min": "match", "rho.t3.max": "match", "rho.t3.a1a3": "match",
    "sig.t.01": "match", "sig.t.001": "mismatch", "mean.d": "match (truncated)", "mean.d.disagree": "match",
    "unknown.item": "not computable", "unknown.variable": "not computable", "text.where": "not computable",
    "neutral.none": "not computable", "expected.na": "not computable",
}


@pytest.fixture
def verdicts(mini_cohort, verdicts_published):
    return check(mini_cohort, verdicts_published).set_index("id")


def test_every_verdict_kind_on_the_mini_survey(verdicts):
    assert verdicts["verdict"].to_dict() == EXPECTED_VERDICTS


def test_not_computable_says_why(verdicts):
    assert verdicts.at["unknown.item", "note"] == "item 'Z9' is not in the codebook"
    assert verdicts.at["neutral.none", "note"] == "the scale of 'A1' has no neutral level"
    assert "variable 'comment' is text" in verdicts.at["text.where", "note"]
    assert np.isnan(verdicts.at["unknown.variable", "computed"])


def test_a_mismatch_says_what_the_computed_value_prints_as(verdicts):
    assert "computed 3, -2 against the printed value" in verdicts.at["a2.sa.n", "note"]
    assert "prints as 0.813" in verdicts.at["rho.t.wrong", "note"]
    assert "rounds to 63.64" in verdicts.at["a1.agree.pct.truncated", "note"]


def test_only_the_files_expectations_are_flagged_expected(verdicts):
    assert set(verdicts.index[verdicts["expected"]]) == {"used.yes.pct", "expected.na"}
    assert "expected: the poster rounded a preliminary count" in verdicts.at["used.yes.pct", "note"]


def test_counts_and_percentages_equal_direct_computation(mini_cohort, verdicts, mini_dir):
    raw = pd.read_csv(mini_dir / "mini.csv").dropna(subset=["A1", "A2", "used"])
    used = raw[raw["used"] == 1]
    assert verdicts.at["a1.agree.n", "computed"] == (raw["A1"] >= 3).sum()
    assert verdicts.at["a1.agree.pct", "computed"] == pytest.approx(100 * (raw["A1"] >= 3).mean(), rel=1e-12)
    assert verdicts.at["liked.unsure.pct", "computed"] == pytest.approx(100 * (used["liked"] == 3).mean())
    assert verdicts.at["liked.yes.pct.all", "computed"] == pytest.approx(100 * (raw["liked"] == 1).sum() / len(raw))
    assert verdicts.at["a3.agree.pct", "computed"] == pytest.approx(100 * (raw["A3"] >= 3).sum() / raw["A3"].notna().sum())
    assert verdicts.at["a1.agree.users.n", "computed"] == (used["A1"] >= 3).sum()


def test_correlations_are_spearman_of_keyed_codes(verdicts, mini_dir):
    raw = pd.read_csv(mini_dir / "mini.csv").dropna(subset=["A1", "A2", "used"])
    assert verdicts.at["rho.t", "computed"] == pytest.approx(stats.spearmanr(raw["A1"], raw["A2"]).statistic)
    pair = raw.dropna(subset=["A3"])
    keyed_a3 = 5 - pair["A3"]
    assert verdicts.at["rho.t3.a1a3", "computed"] == pytest.approx(stats.spearmanr(pair["A1"], keyed_a3).statistic)
    assert verdicts.at["sig.t.001", "computed"] == pytest.approx(stats.spearmanr(raw["A1"], raw["A2"]).pvalue)


def test_domain_mean_is_the_mean_of_keyed_item_percentages(verdicts, mini_dir):
    raw = pd.read_csv(mini_dir / "mini.csv").dropna(subset=["A1", "A2", "used"])
    # A3 is reverse-keyed: its keyed agreement is its disagreement as worded (codes 1-2).
    per_item = [100 * (raw[c].dropna() >= 3).mean() for c in ("A1", "A2")] + [100 * (raw["A3"].dropna() <= 2).mean()]
    assert verdicts.at["mean.d", "computed"] == pytest.approx(np.mean(per_item), rel=1e-12)


def test_exit_status_is_zero_only_when_every_mismatch_is_expected(verdicts):
    frame = verdicts.reset_index()
    assert exit_status(frame) == 1
    only_expected = frame[(frame["verdict"] != "mismatch") | frame["expected"]]
    assert exit_status(only_expected) == 0
    assert exit_status(frame[frame["verdict"] == "not computable"]) == 0


def test_summary_line_counts_truncated_matches(verdicts):
    n = int(verdicts["verdict"].isin(["match", "match (truncated)"]).sum())
    assert summary_line(verdicts) == f"{n} of {len(verdicts)} published values reproduced"
    assert n == 19


def test_input_cohort_not_modified(mini_cohort, verdicts_published):
    before = {q: f.copy(deep=True) for q, f in mini_cohort.responses.items()}
    flow = mini_cohort.flow.copy(deep=True)
    check(mini_cohort, verdicts_published)
    for q, f in before.items():
        pd.testing.assert_frame_equal(mini_cohort.responses[q], f)
    pd.testing.assert_frame_equal(mini_cohort.flow, flow)


def _weighted_cohort(mini_codebook):
    q = mini_codebook.questionnaires["people"]
    codebook = dataclasses.replace(mini_codebook, questionnaires={"people": dataclasses.replace(q, weight="w")})
    frame = pd.DataFrame({"A1": [4, 3, 1, pd.NA], "A2": [1, 2, 3, 4], "A3": [1, 1, 1, 1], "used": [1, 1, 2, 2],
                          "liked": [1, 2, pd.NA, pd.NA]}, dtype="Int64",
                         index=pd.Index(["a", "b", "c", "d"], name="rid"))
    frame["comment"] = pd.array([pd.NA] * 4, dtype="string")
    frame["w"] = pd.array([2.0, 1.0, 1.0, 5.0], dtype="Float64")
    flow = pd.DataFrame({"questionnaire": ["people"] * 2, "stage": ["received", "analysed"], "reason": ["", ""],
                         "n": [4, 4]})
    return Cohort(codebook, {"people": frame}, {"people": frame.iloc[:0]}, flow, {}, ())


def test_a_weighted_questionnaire_gives_weighted_counts_unless_told_otherwise(mini_codebook):
    cohort = _weighted_cohort(mini_codebook)
    pub = parse_published({"values": [
        {"id": "w.n", "source": "T", "printed": "3 agreed", "value": 3, "kind": "count", "questionnaire": "people",
         "item": "A1", "levels": "agree"},
        {"id": "u.n", "source": "T", "printed": "2 agreed", "value": 2, "kind": "count", "questionnaire": "people",
         "item": "A1", "levels": "agree", "weighted": False},
        {"id": "w.pct", "source": "T", "printed": "75%", "value": 75, "percent_sign": True, "kind": "percent",
         "questionnaire": "people", "item": "A1", "levels": "agree"},
    ]})
    frame = check(cohort, pub).set_index("id")
    assert frame.loc["w.n", "computed"] == 3.0     # weights 2 + 1
    assert frame.loc["u.n", "computed"] == 2.0
    assert frame.loc["w.pct", "computed"] == pytest.approx(75.0)   # 3 of weight 4 answering (d is unanswered)


def test_a_questionnaire_missing_from_the_cohort_is_not_computable(mini_cohort, verdicts_published):
    empty = Cohort(mini_cohort.codebook, {}, {}, mini_cohort.flow.iloc[:0], {}, ())
    frame = check(empty, verdicts_published).set_index("id")
    assert (frame["verdict"] == "not computable").all()
    assert frame.at["a1.agree.n", "note"] == "the cohort has no responses for 'people'"
    assert frame.at["flow.received", "note"] == "the participant flow has no rows for 'people'"


def test_text_rendering_ends_with_the_summary_and_labels_synthetic_data(verdicts):
    frame = verdicts.reset_index()
    frame.attrs["study_data"] = "synthetic"
    text = to_text(frame)
    assert text.rstrip().splitlines()[-1] == summary_line(frame)
    assert "SYNTHETIC" in text.splitlines()[0] + text.splitlines()[1]
    assert "63.63%" in text and "63.6364%" in text and "match (truncated)" in text
    assert "mismatch (expected)" in text


def test_json_rendering_is_parseable_and_counts_verdicts(verdicts):
    frame = verdicts.reset_index()
    doc = json.loads(to_json(frame))
    assert doc["total"] == len(frame) and doc["reproduced"] == 19
    assert doc["counts"] == frame["verdict"].value_counts().to_dict()
    assert doc["values"][24]["computed"] is None
    assert doc["summary"] == summary_line(frame)


def test_markdown_rendering_has_one_row_per_value_and_escapes_pipes(mini_cohort):
    pub = parse_published({"values": [
        {"id": "p", "source": "Poster | panel 2", "printed": "7 | agreed", "value": 7, "kind": "count",
         "questionnaire": "people", "item": "A1", "levels": "agree"}]})
    md = to_markdown(check(mini_cohort, pub))
    rows = [line for line in md.splitlines() if line.startswith("| p ")]
    assert rows == ["| p | Poster \\| panel 2 | 7 | 7 | match |  |"]
    assert md.rstrip().endswith("1 of 1 published values reproduced")


def test_rendering_is_deterministic(mini_cohort, verdicts_published):
    a = check(mini_cohort, verdicts_published)
    b = check(mini_cohort, verdicts_published)
    for fmt in ("text", "json", "md"):
        assert render(a, fmt) == render(b, fmt)


def test_run_check_loads_renders_and_returns_the_exit_status(mini_dir):
    text, status = run_check(mini_dir / "codebook.yml", None, mini_dir / "published_verdicts.yml", "md")
    assert status == 1
    assert text.rstrip().endswith("19 of 29 published values reproduced")


def test_run_check_rejects_an_unknown_format(mini_dir):
    with pytest.raises(ImgshareError, match="unknown format 'html'"):
        run_check(mini_dir / "codebook.yml", None, mini_dir / "published_verdicts.yml", "html")
