"""A run that fails or is interrupted leaves the previous outputs intact and no partial files."""

import hashlib
import os
import signal
import subprocess
import sys

import pytest

from imgshare.cli import main
from safety.file_watch import watch_opens


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture()
def previous_outputs(tmp_path, root):
    out = tmp_path / "out"
    assert main(["analyse", "-c", str(root / "data/codebook.yml"), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def big_project(tmp_path_factory):
    """A survey large enough that reading and analysing it takes a while."""
    import copy

    import numpy as np
    import yaml

    from foundation.helpers import HEADER, MINI

    folder = tmp_path_factory.mktemp("big")
    cb = copy.deepcopy(MINI)
    cb["themes"] = {"t": {"items": ["Q1", "Q2", "Q3"]}}
    cb["comparisons"] = {"g": {"questionnaire": "main", "by": "grp", "items": "all", "themes": "all"}}
    (folder / "codebook.yml").write_text(yaml.safe_dump(cb))
    rng = np.random.default_rng(1)
    n = 300_000
    answers, groups = rng.integers(1, 6, (n, 3)), rng.integers(1, 3, n)
    with open(folder / "main.csv", "w") as fh:
        fh.write(HEADER + "\n")
        fh.writelines(f"r{i},{a},{b},{c},{g},{'1' if g == 1 else ''},40,\n"
                      for i, (a, b, c, g) in enumerate(zip(*answers.T, groups)))
    return folder / "codebook.yml"


#: Exit status and message for each stopping signal (128 + the signal number, as shells report).
STOPPED = {signal.SIGINT: (130, "interrupted (Ctrl-C); previous outputs left as they were"),
           signal.SIGTERM: (143, "terminated (SIGTERM); previous outputs left as they were")}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_leaves_previous_outputs_intact(big_project, tmp_path, signum):
    out = tmp_path / "out"
    assert main(["analyse", "-c", str(big_project), "--out", str(out)]) == 0
    before = digest(out)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}   # a finished run would write other bytes
    # The signal goes once the run has opened its data file: the kernel reports the open (no polling).
    with watch_opens(big_project.parent / "main.csv") as wait_until_opened:
        proc = subprocess.Popen([sys.executable, "-m", "imgshare", "analyse", "-c", str(big_project),
                                 "--out", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_until_opened(timeout=120)
        proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    status, message = STOPPED[signum]
    assert proc.returncode == status, err
    assert err.decode().strip().splitlines()[-1] == message
    assert b"Traceback" not in err
    assert digest(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


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
