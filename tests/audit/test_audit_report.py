"""audit_tables(): frames per source kind and a summary paragraph counted from the results."""

from __future__ import annotations

import re

import pytest

from imgshare.audit import audit_tables, check, consistency


@pytest.fixture
def tables(mini_cohort, verdicts_published, problems_published, mini_codebook):
    frame = check(mini_cohort, verdicts_published)
    return frame, consistency(problems_published, mini_codebook), audit_tables(
        frame, consistency(problems_published, mini_codebook))


def test_groups_come_tables_first_then_text_then_secondary_documents(tables):
    frame, _, result = tables
    assert list(result.groups) == ["table", "text", "poster"]
    assert sum(len(g) for g in result.groups.values()) == len(frame)
    assert list(result.groups["poster"]["id"]) == ["used.yes.pct"]


def test_groups_keep_unrounded_numbers(tables):
    _, _, result = tables
    text = result.groups["text"].set_index("id")
    assert text.at["rho.t", "computed"] != round(text.at["rho.t", "computed"], 3)


def test_flagged_holds_only_notes_and_problems(tables):
    _, findings, result = tables
    assert set(result.flagged["severity"]) == {"note", "problem"}
    assert len(result.flagged) == int((findings["severity"] != "ok").sum())


def test_summary_counts_come_from_the_frames(tables):
    frame, findings, result = tables
    verdicts = frame["verdict"].value_counts()
    reproduced = verdicts["match"] + verdicts["match (truncated)"]
    assert result.summary.startswith(f"Of {len(frame)} published values, {reproduced} were reproduced")
    assert f"{verdicts['match (truncated)']} only when the printed value is read as truncated" in result.summary
    assert f"{verdicts['not computable']} could not be computed" in result.summary
    n_problems = int((findings["severity"] == "problem").sum())
    assert f"show {n_problems} problems" in result.summary
    assert "1 block of counts not adding up to its total" in result.summary
    assert "truncated in Table B" in result.summary


def test_summary_says_the_cohort_is_synthetic_only_when_it_is(tables):
    frame, findings, result = tables
    assert "SYNTHETIC cohort" in result.summary and "not the study's data" in result.summary
    frame = frame.copy()
    frame.attrs["study_data"] = "real"
    real = audit_tables(frame, findings).summary
    assert "synthetic" not in real.lower() and "from the study data" in real


def test_summary_is_one_paragraph(tables):
    _, _, result = tables
    assert "\n" not in result.summary
    assert re.search(r"\d+ of \d+ from the tables", result.summary)
