import os
import struct
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from figures.figdata import study_counts

from imgshare.codebook import load_codebook
from imgshare.errors import ImgshareError
from imgshare.figures import diverging_likert, save_figure

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def plot(study_cb):
    return diverging_likert(study_counts(study_cb), study_cb, "experts", ["R1", "R2", "R3"])


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        chunks.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return chunks


def test_saving_twice_gives_byte_identical_png_and_svg(plot, tmp_path):
    first = save_figure(plot, tmp_path / "a", 85, 60)
    second = save_figure(plot, tmp_path / "b", 85, 60)
    for fmt in ("png", "svg"):
        assert first[fmt].read_bytes() == second[fmt].read_bytes()


def test_saving_in_another_process_gives_the_same_bytes(plot, tmp_path):
    here = save_figure(plot, tmp_path / "here", 85, 60)
    script = (
        "import sys; sys.path.insert(0, sys.argv[2])\n"
        "from figures.figdata import study_counts\n"
        "from imgshare.codebook import load_codebook\n"
        "from imgshare.figures import diverging_likert, save_figure\n"
        "cb = load_codebook(sys.argv[3])\n"
        "save_figure(diverging_likert(study_counts(cb), cb, 'experts', ['R1', 'R2', 'R3']), sys.argv[1], 85, 60)\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "there"), str(ROOT / "tests"),
                    str(ROOT / "data" / "codebook.yml")], check=True, env=env, cwd=tmp_path)
    for fmt in ("png", "svg"):
        assert here[fmt].read_bytes() == (tmp_path / f"there.{fmt}").read_bytes()


def test_png_has_the_print_size_at_the_dpi_and_no_timestamp(plot, tmp_path):
    png = save_figure(plot, tmp_path / "f", 85, 60, dpi=300, formats=("png",))["png"].read_bytes()
    chunks = _png_chunks(png)
    width, height = struct.unpack(">II", chunks[0][1][:8])
    # matplotlib truncates the pixel size: 85 mm at 300 dpi is 1003.9 px.
    assert (width, height) == (int(85 / 25.4 * 300), int(60 / 25.4 * 300))
    kinds = [k for k, _ in chunks]
    assert b"tIME" not in kinds
    texts = [v for k, v in chunks if k in (b"tEXt", b"iTXt", b"zTXt")]
    assert texts == [b"Software\x00imgshare"]
    assert round(struct.unpack(">I", dict(chunks)[b"pHYs"][:4])[0] * 0.0254) == 300


def test_svg_has_no_date_and_a_fixed_creator(plot, tmp_path):
    svg = save_figure(plot, tmp_path / "f", 85, 60, formats=("svg",))["svg"].read_text()
    assert "<dc:date>" not in svg
    assert "imgshare" in svg
    assert 'width="240.944882pt"' in svg  # 85 mm


def test_saving_leaves_matplotlib_settings_as_they_were(plot, tmp_path):
    before = {k: matplotlib.rcParams[k] for k in ("svg.hashsalt", "svg.fonttype", "font.sans-serif",
                                                    "text.parse_math")}
    save_figure(plot, tmp_path / "f", 85, 60)
    assert {k: matplotlib.rcParams[k] for k in before} == before


def test_saving_does_not_modify_the_plot(plot, tmp_path):
    size_before = plot.theme.getp("figure_size")
    save_figure(plot, tmp_path / "f", 85, 60)
    assert plot.theme.getp("figure_size") == size_before


def test_files_are_replaced_atomically_and_no_temporary_files_remain(plot, tmp_path, monkeypatch):
    save_figure(plot, tmp_path / "f", 85, 60)
    old = (tmp_path / "f.png").read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("imgshare.figures._export.os.replace", fail)
    with pytest.raises(OSError, match="disk full"):
        save_figure(plot, tmp_path / "f", 120, 60)
    assert (tmp_path / "f.png").read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png", "f.svg"]


@pytest.mark.parametrize(("args", "message"), [
    ({"plot": "not a plot"}, "needs a plotnine ggplot, found str"),
    ({"width_mm": 0}, "figure size must be positive"),
    ({"formats": ("pdf",)}, "unknown figure format 'pdf'"),
    ({"dpi": 300.5}, "dpi must be a positive whole number"),
    ({"path_stem": "no/such/folder/fig"}, "folder 'no/such/folder' does not exist"),
])
def test_bad_save_arguments_are_user_errors(plot, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    call = {"plot": plot, "path_stem": tmp_path / "f", "width_mm": 85, "height_mm": 60} | args
    with pytest.raises(ImgshareError, match=message):
        save_figure(**call)


def test_codebook_fixture_is_the_study(study_cb):
    assert load_codebook(ROOT / "data" / "codebook.yml").study == study_cb.study
