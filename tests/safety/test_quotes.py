"""Quoted free text never carries contact details or identifying numbers, and is escaped."""

from imgshare.codebook import load_codebook
from imgshare.cohort import build_cohort
from imgshare.analysis import analyse
from imgshare.report import Study

from foundation.helpers import write_project


def test_identifying_answers_are_never_quoted(tmp_path):
    rows = [
        "r1,1,2,3,1,1,34,Email me at jo.bloggs@example.org",
        "r2,4,5,,2,,51,My number is 07700 900123",
        "r3,4,1,5,1,2,,It helped me understand",
        "r4,4,1,5,1,2,,Seen at www.example.org",
        "r5,4,1,5,1,2,,<script>alert(1)</script>",
    ]
    cohort = build_cohort(load_codebook(write_project(tmp_path, rows)))
    text = Study(cohort.codebook, cohort, analyse(cohort)).quotes()
    assert "It helped me understand" in text
    assert "example.org" not in text and "07700" not in text
    assert "<script>" not in text and r"\<script\>" in text
