"""Rendered HTML and Typst of three representative tables, compared with reviewed snapshots.

Regenerate on purpose with IMGSHARE_UPDATE_SNAPSHOTS=1 (then review the diff before committing).
"""

from __future__ import annotations

import pytest

from imgshare.tables import tbl_categorical, tbl_comparisons, tbl_likert_item, to_html, to_typst


@pytest.fixture
def specs(age_frame, good_idea_counts, mw_tests, codebook):
    tests, ranks = mw_tests
    return {
        "patient_age": tbl_categorical(age_frame, "age_group", codebook, "tbl-patient-age", title="Patient age"),
        "expert_good_idea": tbl_likert_item(
            good_idea_counts, codebook, "tbl-expert-good-idea", questionnaire="experts",
            title="Clinical expert agreement that image sharing is a good idea",
            stubhead="Sharing radiological images with patients is:"),
        "patients_vs_experts": tbl_comparisons(tests, ranks, codebook, "tbl-patients-vs-experts",
                                               comparison="patients_vs_experts"),
    }


@pytest.mark.parametrize("name", ["patient_age", "expert_good_idea", "patients_vs_experts"])
def test_html_matches_snapshot(specs, snapshot, name):
    snapshot(f"{name}.html", to_html(specs[name]))


@pytest.mark.parametrize("name", ["patient_age", "expert_good_idea", "patients_vs_experts"])
def test_typst_matches_snapshot(specs, snapshot, name):
    snapshot(f"{name}.typ", to_typst(specs[name]))


def test_snapshot_check_fails_on_a_difference(snapshot, specs):
    with pytest.raises(AssertionError, match="differs from its snapshot"):
        snapshot("patient_age.typ", to_typst(specs["patient_age"]) + "// changed\n")
