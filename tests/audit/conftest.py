"""Fixtures of the audit tests: the study's published values and a made-up mini survey."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgshare.audit import load_published
from imgshare.codebook import load_codebook
from imgshare.cohort import build_cohort

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MINI = HERE / "fixtures" / "mini"
PAPER = Path("/work/shared/paper")


@pytest.fixture(scope="session")
def paper_dir() -> Path:
    """The paper's text and the poster's values (read-only, shared by the project)."""
    return PAPER


@pytest.fixture(scope="session")
def study_published():
    return load_published(ROOT / "data" / "published.yml")


@pytest.fixture(scope="session")
def study_codebook():
    return load_codebook(ROOT / "data" / "codebook.yml")


@pytest.fixture(scope="session")
def mini_dir() -> Path:
    return MINI


@pytest.fixture(scope="session")
def mini_codebook():
    return load_codebook(MINI / "codebook.yml")


@pytest.fixture
def mini_cohort(mini_codebook):
    return build_cohort(mini_codebook)


@pytest.fixture(scope="session")
def verdicts_published():
    return load_published(MINI / "published_verdicts.yml")


@pytest.fixture(scope="session")
def problems_published():
    return load_published(MINI / "published_problems.yml")
