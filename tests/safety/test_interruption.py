"""A run that fails or is interrupted leaves the previous outputs intact and no partial files."""

import hashlib
import os
import signal
import subprocess
import sys
import time

import pytest

from imgshare.cli import main


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture()
def previous_outputs(tmp_path, root):
    out = tmp_path / "out"
    assert main(["analyse", "-c", str(root / "data/codebook.yml"), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("delay", [0.8, 1.6, 2.4])
def test_interrupted_run_leaves_previous_outputs_intact(previous_outputs, root, signum, delay):
    before = digest(previous_outputs)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}   # the new run would write different files
    proc = subprocess.Popen([sys.executable, "-m", "imgshare", "analyse", "-c", str(root / "data/codebook.yml"),
                             "--out", str(previous_outputs)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.fail("the run finished before the signal arrived")
    # 130: our handler unwound the run; -signum: the signal came while Python was still
    # importing, before any output was touched. Either way nothing may have changed.
    assert proc.returncode in (130, -signum), err
    if proc.returncode == 130:
        assert b"Traceback" not in err
    assert digest(previous_outputs) == before
    assert not [p for p in previous_outputs.iterdir() if p.name.startswith(".")]


def test_failed_run_leaves_previous_outputs_intact(previous_outputs, tmp_path, root):
    before = digest(previous_outputs)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "codebook.yml").write_text((root / "data/codebook.yml").read_text())
    (bad / "patients.synthetic.csv").write_text("respondent_id\nP1\n")
    (bad / "experts.synthetic.csv").write_text("respondent_id\nE1\n")
    assert main(["analyse", "-c", str(bad / "codebook.yml"), "--out", str(previous_outputs)]) == 2
    assert digest(previous_outputs) == before


def test_interrupt_while_computing_changes_nothing(previous_outputs, root, monkeypatch):
    import imgshare.analysis._serialize as serialize

    before = digest(previous_outputs)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(serialize, "frame_csv", interrupted)
    assert main(["analyse", "-c", str(root / "data/codebook.yml"), "--out", str(previous_outputs)]) == 130
    assert digest(previous_outputs) == before


def test_interrupt_while_writing_a_file_leaves_no_partial_file(tmp_path, monkeypatch):
    from imgshare.io import write_text_atomic

    target = tmp_path / "results.json"
    target.write_text("previous")

    class Exploding(str):
        def encode(self, *args, **kwargs):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, Exploding("new"))
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]
