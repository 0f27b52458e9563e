"""Two runs on the same inputs give byte-identical outputs; timestamps come only from SOURCE_DATE_EPOCH."""

import hashlib

import pytest

from imgshare.cli import main


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("codebook", ["data/codebook.yml", "tests/fixtures/second_survey/codebook.yml",
                                      "tests/fixtures/third_survey/codebook.yml"])
def test_analysis_outputs_are_byte_identical_across_runs(root, tmp_path, codebook, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["analyse", "-c", str(root / codebook), "--out", str(first)]) == 0
    assert main(["analyse", "-c", str(root / codebook), "--out", str(second)]) == 0
    assert digests(first) == digests(second)
    from imgshare.analysis import FRAME_NAMES

    assert len(digests(first)) == len(FRAME_NAMES) + 1     # results.json and a CSV per frame
