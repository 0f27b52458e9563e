"""Fixtures for the report tests: the mini fixture project, and renders shared by a session.

Rendering is the slow part, so each manuscript is rendered once per session and read by many
tests: the study manuscript from the committed data, the generic manuscript on the second
example survey (with --min-cell 5), and the generic manuscript on a copy of the study data whose
free-text answers are hostile HTML.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imgshare.report import render_report

from report.reportdocs import HOSTILE, REPO, SECOND_SURVEY

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


@pytest.fixture(scope="session")
def study(tmp_path_factory):
    """The study manuscript rendered from the committed data by the built-in engine, no cache."""
    out = tmp_path_factory.mktemp("study")
    return render_report(REPO, out_dir=out, formats=("html", "pdf", "docx"), quiet=True, engine="builtin",
                         use_cache=False)


@pytest.fixture(scope="session")
def second_survey(tmp_path_factory):
    """The second example survey through the generic manuscript, with --min-cell 5; progress kept."""
    out = tmp_path_factory.mktemp("second")
    seen: list[tuple[str, str]] = []
    result = render_report(None, out_dir=out, formats=("html", "pdf", "docx"), codebook_path=SECOND_SURVEY,
                           progress=lambda stage, detail: seen.append((stage, detail)), engine="builtin",
                           min_cell=5)
    return result, seen


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    """A copy of the study data whose first two experts' comments are HTML/script injections,
    rendered through the generic manuscript (the copied codebook is not the project's)."""
    import pandas as pd

    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort

    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(REPO / "data", data)
    cohort = build_cohort(load_codebook(data / "codebook.yml"))
    analysed = list(cohort.responses["experts"].index[:2])
    path = data / "experts.synthetic.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for rid, text in zip(analysed, HOSTILE):
        frame.loc[frame["respondent_id"] == rid, "comments"] = text
    frame.to_csv(path, index=False)
    result = render_report(None, out_dir=data.parent / "out", formats=("html", "pdf", "docx"),
                           codebook_path=data / "codebook.yml", quiet=True, engine="builtin")
    return result
