"""The CHERRIES checklist: items answered from the codebook and the flow, the rest from the project or "Not reported"."""

from __future__ import annotations

import pytest
from report.reportdocs import REPO

from imgshare.analysis import analyse
from imgshare.cohort import build_cohort
from imgshare.codebook import load_codebook
from imgshare.report import ReportError, Study
from imgshare.report._checklist import CHERRIES, KEYS, NOT_REPORTED, cherries_table, project_answers
from imgshare.tables import NumberStyle


@pytest.fixture(scope="module")
def study():
    cohort = build_cohort(load_codebook(REPO / "data" / "codebook.yml"))
    return Study(cohort.codebook, cohort, analyse(cohort), numbers=NumberStyle(percent_decimals=2))


def answers(spec) -> dict[str, str]:
    return dict(zip(spec.data["item"], spec.data["answer"]))


def test_every_checklist_item_appears_once_in_order(study):
    spec = cherries_table(study)
    assert spec.data["item"].tolist() == [item for _, _, item, _ in CHERRIES]


def test_completion_rate_and_exclusions_come_from_the_participant_flow(study):
    got = answers(cherries_table(study))
    assert got["Completion rate"] == ("Patients: 282 (79.44%) of 355 returned questionnaires analysed; Clinical experts: "
                                      "121 (92.37%) of 131 returned questionnaires analysed")
    assert "Item non-response" in got["Handling of incomplete questionnaires"]
    assert got["Adaptive questioning"].startswith("Yes: Patients, 1 question asked depending on an earlier answer")


def test_what_no_source_records_is_not_reported_and_the_project_fills_the_rest(study):
    assert answers(cherries_table(study))["Incentives"] == NOT_REPORTED
    given = project_answers({"incentives": {"answer": "None offered", "section": "Methods"}})
    assert answers(cherries_table(study, given=given))["Incentives"] == "None offered"


def test_a_misspelt_or_malformed_project_answer_is_a_located_error():
    with pytest.raises(ReportError, match=r"imgshare.checklist.incentive: unknown checklist item"):
        project_answers({"incentive": {"answer": "x"}})
    with pytest.raises(ReportError, match=r"imgshare.checklist.dates: expected \{answer: text, section: text\}"):
        project_answers({"dates": "May 2019"})
    assert len(KEYS) == len(set(KEYS)) == len(CHERRIES)
