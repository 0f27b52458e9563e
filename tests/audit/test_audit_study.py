"""The audit of the study's paper on the shipped synthetic cohort (data/*.synthetic.csv)."""

from __future__ import annotations

import pytest

from imgshare.audit import audit_tables, check, consistency, exit_status
from imgshare.cohort import build_cohort

CORRELATION_KINDS = {"spearman", "spearman_min", "spearman_max"}


@pytest.fixture(scope="module")
def study_check(study_codebook, study_published):
    return check(build_cohort(study_codebook), study_published)


def test_every_published_count_matches_on_the_synthetic_cohort(study_check):
    counts = study_check[study_check["kind"].isin(["count", "flow"])]
    assert len(counts) >= 65
    wrong = counts[(counts["verdict"] != "match") & ~counts["expected"]]
    assert wrong[["id", "published", "computed", "note"]].to_dict("records") == []


def test_only_the_posters_good_idea_count_differs_and_it_is_the_papers_99(study_check):
    counts = study_check[study_check["kind"].isin(["count", "flow"])].set_index("id")
    differing = counts[counts["verdict"] != "match"]
    assert set(differing.index) == {"poster.good_idea.n", "txt.role.other_radiographer.n"}
    assert counts.at["poster.good_idea.n", "computed"] == 99


def test_every_percentage_of_a_count_reproduces_unless_the_paper_contradicts_itself(study_check):
    pcts = study_check[study_check["kind"].isin(["percent", "flow_percent"])]
    wrong = pcts[~pcts["verdict"].isin(["match", "match (truncated)"]) & ~pcts["expected"]]
    assert wrong["id"].tolist() == []


def test_unexpected_mismatches_are_only_correlations_within_the_synthetic_calibration(study_check):
    unexpected = study_check[(study_check["verdict"] == "mismatch") & ~study_check["expected"]]
    assert set(unexpected["kind"]) <= CORRELATION_KINDS
    assert ((unexpected["computed"] - unexpected["published"]).abs() <= 0.05).all()
    assert exit_status(study_check) == int(len(unexpected) > 0)


def test_the_study_audit_is_labelled_synthetic(study_check, study_published, study_codebook):
    assert study_check.attrs["study_data"] == "synthetic"
    summary = audit_tables(study_check, consistency(study_published, study_codebook)).summary
    assert "SYNTHETIC cohort" in summary and "not the study's data" in summary
