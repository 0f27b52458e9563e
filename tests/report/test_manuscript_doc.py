"""docs/manuscript.md's worked example renders: a new survey's manuscript written with prose and calls only."""

from __future__ import annotations

import re
import shutil

from report.reportdocs import REPO, SECOND_SURVEY

from imgshare.analysis import analyse
from imgshare.cohort import build_cohort
from imgshare.codebook import load_codebook
from imgshare.report import render_report

DOC = REPO / "docs" / "manuscript.md"


def example() -> tuple[str, str]:
    """(_quarto.yml, report.qmd) as the document shows them."""
    text = DOC.read_text(encoding="utf-8")
    config = re.search(r"this `_quarto.yml`:\n\n```yaml\n(.*?)```", text, re.S)[1]
    body = re.search(r"<!-- example-start -->\n````markdown\n(.*?)````\n<!-- example-end -->", text, re.S)[1]
    return config, body


def test_the_worked_example_renders_with_computed_numbers(tmp_path):
    config, body = example()
    project = tmp_path / "wellbeing"
    shutil.copytree(SECOND_SURVEY.parent, project / "data")
    shutil.copytree(REPO / "_extensions", project / "_extensions")
    (project / "_quarto.yml").write_text(config, encoding="utf-8")
    (project / "report.qmd").write_text(body, encoding="utf-8")
    result = render_report(project, formats=("html",), quiet=True, use_cache=False)
    html = " ".join(result.outputs["html"].read_text(encoding="utf-8").split())

    cohort = build_cohort(load_codebook(project / "data" / "codebook.yml"))
    flow = cohort.flow
    staff = flow[flow["questionnaire"] == "staff"].groupby("stage")["n"].sum()
    assert (f"Of {staff['received']} staff who answered, {staff['excluded']} were excluded and "
            f"{staff['analysed']} analysed") in html
    tests = analyse(cohort).comparisons
    row = tests[(tests["comparison"] == "staff_vs_managers") & (tests["outcome"] == "autonomy")].iloc[0]
    higher = "staff" if row["higher_group"] == "staff" else "managers"
    assert f"On autonomy, {higher} ranked higher (U = " in html
    assert 'id="fig-flow"' in html and "Mann-Whitney U test" in html
