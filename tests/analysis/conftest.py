"""Fixtures of the analysis tests: hand-built cohorts (see analysis_helpers)."""

from __future__ import annotations

import pytest

from analysis.analysis_helpers import expert_frame, make_codebook, make_cohort, patient_frame


@pytest.fixture
def codebook():
    return make_codebook()


@pytest.fixture
def cohort(codebook):
    return make_cohort(codebook, {"pat": patient_frame(), "exp": expert_frame()})
