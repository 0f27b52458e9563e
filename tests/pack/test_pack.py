"""The export pack: every figure as PNG (300 dpi) and SVG, every table as HTML, CSV and Typst,
named by label, byte-identical across runs, for the study and for the second survey."""

import hashlib
import struct

import pytest
import typst

from imgshare.cli import main


def run_pack(codebook, out):
    assert main(["figures", "-c", str(codebook), "--out", str(out)]) == 0
    return {p.name: p for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def study_pack(tmp_path_factory, study_codebook_path):
    return run_pack(study_codebook_path, tmp_path_factory.mktemp("study"))


@pytest.fixture(scope="module")
def second_pack(tmp_path_factory, second_codebook_path):
    return run_pack(second_codebook_path, tmp_path_factory.mktemp("second"))


def labels(pack):
    return {name.rsplit(".", 1)[0] for name in pack}


def test_study_pack_has_every_paper_exhibit(study_pack):
    expected = {
        "tbl-participant-flow", "tbl-patients-age-group", "tbl-patients-expert-patient", "tbl-patients-had-imaging",
        "tbl-patients-saw-images", "tbl-patients-want-to-see", "tbl-experts-role", "tbl-experts-experience",
        "tbl-patients-items", "tbl-experts-items", "tbl-theme-correlations", "tbl-reliability", "tbl-item-agreement",
        "tbl-compare-patients-vs-experts", "tbl-compare-age-group", "tbl-compare-had-imaging",
        "tbl-compare-saw-images", "tbl-compare-expert-patient", "tbl-compare-role", "tbl-compare-experience",
        "tbl-posthoc-age-group",  # Dunn's tests after the one Kruskal-Wallis test with p < 0.05
        "fig-patients-benefits", "fig-experts-benefits", "fig-patients-risks", "fig-experts-risks",
        "fig-domain-agreement", "fig-participant-flow", "fig-paired-patients-vs-experts-benefits",
        "fig-paired-patients-vs-experts-risks",
        # theme scores (issue 13): overall, and by group in every comparison that tests themes
        "tbl-theme-scores", "tbl-scores-patients-vs-experts", "tbl-scores-age-group", "tbl-scores-had-imaging",
        "tbl-scores-saw-images", "tbl-scores-expert-patient", "tbl-scores-role", "tbl-scores-experience",
    }
    assert labels(study_pack) == expected


def test_every_table_in_three_formats_and_every_figure_in_two(study_pack, second_pack):
    for pack in (study_pack, second_pack):
        for label in labels(pack):
            formats = ("html", "csv", "typ") if label.startswith("tbl-") else ("png", "svg")
            assert {f"{label}.{f}" for f in formats} <= set(pack), label


def _png_size_and_dpi(path):
    data = path.read_bytes()
    width, height = struct.unpack(">II", data[16:24])
    i = data.index(b"pHYs")
    ppm_x = struct.unpack(">I", data[i + 4:i + 8])[0]
    return width, height, round(ppm_x * 0.0254)


def test_figures_are_300_dpi(study_pack):
    for name, path in study_pack.items():
        if name.endswith(".png"):
            width, _, dpi = _png_size_and_dpi(path)
            assert dpi == 300
            assert width == int(175 / 25.4 * 300)


def test_table_one_holds_the_papers_counts(study_pack):
    csv = study_pack["tbl-patients-age-group.csv"].read_text()
    for cell in ("9 (3.2%)", "86 (30.5%)", "108 (38.3%)", "27 (9.6%)", "51 (18.1%)", "1 (0.4%)"):
        assert cell in csv
    assert "Synthetic data" in csv


def test_typst_tables_compile(study_pack, tmp_path):
    for name, path in study_pack.items():
        if name.endswith(".typ"):
            doc = tmp_path / name
            doc.write_text('#set page(paper: "a4", margin: 2.5cm)\n' + path.read_text())
            assert typst.compile(str(doc), format="pdf")[:4] == b"%PDF"


def test_second_survey_pack_splits_mixed_scale_domains(second_pack):
    assert {"fig-staff-strain-agree6", "fig-staff-strain-freq4", "tbl-staff-items-agree6",
            "tbl-managers-items-freq4", "tbl-compare-department"} <= labels(second_pack)


def test_pack_is_byte_identical_on_a_second_run(study_pack, tmp_path, study_codebook_path):
    again = run_pack(study_codebook_path, tmp_path / "again")
    assert set(again) == set(study_pack)
    differ = [n for n in study_pack
              if hashlib.sha256(study_pack[n].read_bytes()).digest() != hashlib.sha256(again[n].read_bytes()).digest()]
    assert differ == []


def test_pack_drawn_in_worker_processes_equals_the_pack_drawn_in_one_process(study_pack, tmp_path, monkeypatch,
                                                                              study_codebook_path):
    monkeypatch.setenv("IMGSHARE_JOBS", "1")  # everything in this process, one after another
    serial = run_pack(study_codebook_path, tmp_path / "serial")
    assert set(serial) == set(study_pack)
    assert [n for n in serial if serial[n].read_bytes() != study_pack[n].read_bytes()] == []


def test_figures_and_report_share_one_analysis_through_the_cache(tmp_path, monkeypatch, study_codebook_path):
    import shutil

    from imgshare.report._analysis_cache import cached_analysis
    from imgshare.report._context import ReportContext

    project = tmp_path / "project"
    shutil.copytree(study_codebook_path.parent, project / "data")
    monkeypatch.chdir(project)
    assert main(["figures", "-q", "--out", str(tmp_path / "pack")]) == 0

    def recompute(*_):
        raise AssertionError("the report recomputed the analysis that figures had stored")

    ctx = ReportContext(project.resolve(), (project / "data" / study_codebook_path.name).resolve(), None, 0)
    results = cached_analysis(ctx, compute=recompute).results
    assert not results.comparisons.empty
