"""The third example survey, a labelled SPSS file as researchers have them (user-missing codes, a
"Don't know" code, a frequency scale, numbers), goes through every command: `codebook --from`
drafts the codebook, a researcher adds only themes and comparisons, then validate, analyse,
figures, check and report.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
import yaml
from scipy import stats

from imgshare.cli import main

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "third_survey"
SAV = FIXTURE / "carers.sav"


@pytest.fixture()
def run(capsys):
    def _run(*args):
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err
    return _run


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The draft written by `imgshare codebook --from carers.sav -o survey/codebook.yml`, then the
    researcher's themes and comparisons (additions.yml) and nothing else."""
    folder = tmp_path_factory.mktemp("third") / "survey"
    folder.mkdir()
    draft = folder / "draft.yml"
    assert main(["codebook", "--from", str(SAV), "-o", str(draft)]) == 0
    doc = yaml.safe_load(draft.read_text(encoding="utf-8"))
    doc.update(yaml.safe_load((FIXTURE / "additions.yml").read_text(encoding="utf-8")))
    path = folder / "codebook.yml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return {"draft": yaml.safe_load(draft.read_text(encoding="utf-8")), "codebook": path, "folder": folder}


@pytest.fixture(scope="module")
def raw():
    """The file as pyreadstat reads it with its user-missing codes kept (independent of imgshare)."""
    df, _ = pyreadstat.read_sav(str(SAV), user_missing=True)
    return df


def analysed(raw: pd.DataFrame) -> pd.DataFrame:
    """Respondents kept by the drafted rule: a blank (not a code) on any item excludes."""
    items = [c for c in raw.columns if c[0] in "CS" and c[1:].isdigit()]
    return raw[raw[items].notna().all(axis=1)]


def _make_data():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_third", FIXTURE / "make_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_data_file_is_made_by_the_committed_script(tmp_path):
    assert _make_data().write(tmp_path / "carers.sav").read_bytes() == SAV.read_bytes()


def test_the_committed_codebook_is_the_draft_plus_themes_and_comparisons(third_codebook_path):
    assert third_codebook_path.read_text(encoding="utf-8") == _make_data().codebook_text()


def test_the_draft_sets_dont_know_and_user_missing_codes_apart(project):
    draft = project["draft"]
    freq = draft["scales"]["never_4"]
    assert freq["kind"] == "frequency" and freq["levels"] == {1: "Never", 2: "Sometimes", 3: "Often", 4: "Always"}
    assert freq["missing"] == {8: "Don't know", 9: "No answer"}           # not agree: [4, 9]
    assert freq["disagree"] == [1, 2] and freq["agree"] == [3, 4]
    variables = draft["questionnaires"]["carers"]["variables"]
    assert variables["age"] == {"type": "number", "question": "How old are you? (years)",
                                "missing": {-99: "Refused"}, "required": False}
    assert variables["sex"]["missing"] == {9: "Prefer not to say"} and 9 not in variables["sex"]["levels"]
    assert all(v["required"] is False for v in variables.values())       # no exclusion on demographics
    assert not draft["questionnaires"]["carers"]["file"].startswith("/")  # relative to the draft (-o)
    assert (project["folder"] / draft["questionnaires"]["carers"]["file"]).resolve() == SAV.resolve()
    shorts = [i["short"] for i in draft["items"].values()]
    assert all(len(s) <= 40 and not s.endswith(" ") for s in shorts)
    assert "Do you feel tired because of the care…" in shorts              # shared "How often" dropped


def test_validate_accepts_the_draft(run, project, raw):
    code, out, err = run("validate", "-c", project["codebook"])
    assert code == 0, err
    kept = len(analysed(raw))
    assert f"carers.sav: {len(raw)} received, {len(raw) - kept} excluded, {kept} analysed" in out
    assert "value label" not in err


def test_analyse_counts_dont_know_apart_and_summarises_numbers(run, project, raw, tmp_path):
    code, _, err = run("analyse", "-c", project["codebook"], "--out", tmp_path)
    assert code == 0, err
    frames = json.loads((tmp_path / "results.json").read_text())["frames"]
    kept = analysed(raw)
    dk = {(r["variable"], r["code"]): r for r in frames["nonsubstantive"]}
    assert dk[("C2", 8)]["n"] == int((kept["C2"] == 8).sum()) > 0
    assert dk[("S2", 9)]["n"] == int((kept["S2"] == 9).sum()) > 0
    levels = pd.DataFrame(frames["item_levels"])
    assert set(levels["level"]) <= {1, 2, 3, 4, 5}                      # 8 and 9 are never levels
    c2 = levels[levels["item"] == "C2"]
    assert c2["item_n"].iloc[0] == int(kept["C2"].isin([1, 2, 3, 4]).sum())
    age = {r["variable"]: r for r in frames["numeric_summary"]}["age"]
    values = kept["age"][(kept["age"] != -99) & kept["age"].notna()].to_numpy(float)
    assert age["n"] == values.size and age["nonsubstantive"] == int((kept["age"] == -99).sum())
    assert age["mean"] == pytest.approx(values.mean(), abs=1e-9)
    assert age["sd"] == pytest.approx(values.std(ddof=1), abs=1e-9)
    tests = {(r["comparison"], r["outcome"]): r for r in frames["comparisons"]}
    hours = kept["hours_care"].to_numpy(float)
    groups = [hours[(kept["relation"] == g).to_numpy() & ~np.isnan(hours)] for g in (1, 2, 3, 4)]
    assert tests[("relation", "hours_care")]["statistic"] == pytest.approx(stats.kruskal(*groups).statistic, abs=1e-9)
    ok = ~np.isnan(hours) & (kept["age"] != -99).to_numpy() & kept["age"].notna().to_numpy()
    rho = stats.spearmanr(kept["age"].to_numpy(float)[ok], hours[ok]).statistic
    assert tests[("age", "hours_care")]["effect"] == pytest.approx(rho, abs=1e-9)


def test_figures_write_number_and_score_tables_and_a_dont_know_panel(run, project, tmp_path):
    code, _, err = run("figures", "-c", project["codebook"], "--out", tmp_path)
    assert code == 0, err
    names = {p.name for p in tmp_path.iterdir()}
    for stem in ("tbl-carers-numbers", "tbl-theme-scores", "tbl-scores-relation", "tbl-compare-age",
                 "fig-carers-never-4"):
        assert any(n.startswith(stem + ".") for n in names), stem
    numbers = (tmp_path / "tbl-carers-numbers.csv").read_text()
    assert "Mean (SD)" in numbers and "Refused" in numbers
    import html

    svg = html.unescape((tmp_path / "fig-carers-never-4.svg").read_text())
    assert "Don't know" in svg
    items = (tmp_path / "tbl-carers-items-never-4.csv").read_text()
    assert "Don't know" in items and "No answer" in items


def test_check_finds_published_yml_beside_the_codebook(run, project, raw, monkeypatch, tmp_path):
    kept = analysed(raw)
    published = {"format": 1, "values": [
        {"id": "flow", "source": "Results", "printed": f"{len(kept)} carers were analysed", "value": len(kept),
         "kind": "flow", "questionnaire": "carers", "stage": "analysed"},
        {"id": "partners", "source": "Table 1", "printed": f"Partner {int((kept['relation'] == 1).sum())}",
         "value": int((kept["relation"] == 1).sum()), "kind": "count", "questionnaire": "carers",
         "variable": "relation", "levels": [1]},
    ]}
    (project["folder"] / "published.yml").write_text(yaml.safe_dump(published, sort_keys=False))
    monkeypatch.chdir(tmp_path)                                  # not the codebook's folder
    code, out, err = run("check", "-c", project["codebook"])
    assert code == 0, err
    assert out.strip().splitlines()[-1] == "2 of 2 published values reproduced"
    code, _, err = run("check", "-c", project["codebook"], "--published", "absent.yml")
    assert code == 2
    assert "absent.yml: file not found (looked for absent.yml and" in err and "--published PATH" in err


def test_a_missing_default_codebook_says_how_to_name_one(run, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, _, err = run("validate")
    assert code == 2
    assert "data/codebook.yml: file not found" in err and "-c PATH" in err and "codebook --from" in err


@pytest.fixture(scope="module")
def rendered(project, tmp_path_factory):
    from imgshare.report import render_report

    out = tmp_path_factory.mktemp("third-report")
    return render_report(None, out_dir=out, formats=("html", "pdf", "docx"), codebook_path=project["codebook"],
                         quiet=True, engine="builtin")


def test_report_renders_the_third_survey_in_every_format(rendered):
    from report.reportdocs import docx_xml, pdf_text

    import html as html_module

    html = " ".join(html_module.unescape(rendered.outputs["html"].read_text(encoding="utf-8")).split())
    for text in ("Mean (SD)", "Median (Q1, Q3)", "Theme scores", "Not on the scale", "Don't know",
                 "frequency of items answered never to always – deviation from the midpoint"):
        assert text in html, text
    assert "Mean (SD)" in pdf_text(rendered.outputs["pdf"])
    assert "Mean (SD)" in docx_xml(rendered.outputs["docx"])
