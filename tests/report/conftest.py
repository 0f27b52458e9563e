"""Fixtures for the report engine tests: a throw-away copy of the fixture project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imgshare.report import render_report

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "mini"


def make_project(dest: Path) -> Path:
    """Copy the fixture project plus the repository's Typst extension and citation style."""
    shutil.copytree(FIXTURE, dest)
    shutil.copytree(REPO / "_extensions", dest / "_extensions")
    shutil.copy(REPO / "bmj.csl", dest / "bmj.csl")
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """The fixture project rendered once to all three formats (shared by read-only tests)."""
    proj = make_project(tmp_path_factory.mktemp("rendered") / "project")
    result = render_report(proj, formats=("html", "pdf", "docx"), quiet=True)
    return {**result.outputs, "project": proj}
