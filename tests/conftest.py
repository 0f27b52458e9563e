from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STUDY_CODEBOOK = ROOT / "data" / "codebook.yml"
SECOND_CODEBOOK = ROOT / "tests" / "fixtures" / "second_survey" / "codebook.yml"
THIRD_CODEBOOK = ROOT / "tests" / "fixtures" / "third_survey" / "codebook.yml"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def study_codebook_path() -> Path:
    return STUDY_CODEBOOK


@pytest.fixture(scope="session")
def second_codebook_path() -> Path:
    return SECOND_CODEBOOK


@pytest.fixture(scope="session")
def third_codebook_path() -> Path:
    return THIRD_CODEBOOK
