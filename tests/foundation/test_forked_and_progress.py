"""Side work in forked workers, and the progress lines of the commands."""

import io
import os

import pytest

from imgshare._forked import ForkedJobs, default_workers
from imgshare._progress import announce, console_reporter, reporting
from imgshare.cli import main


def _write(path, text):
    path.write_text(text)


def test_forked_jobs_write_their_files_before_the_block_ends(tmp_path):
    with ForkedJobs(workers=2) as jobs:
        assert jobs.forking == hasattr(os, "fork")
        for i in range(5):
            jobs.submit(_write, tmp_path / f"{i}.txt", str(i))
    assert sorted(p.read_text() for p in tmp_path.iterdir()) == ["0", "1", "2", "3", "4"]


def _fail():
    raise ValueError("the figure has no data")


def test_a_failing_worker_raises_with_its_own_message(tmp_path):
    with pytest.raises(RuntimeError, match="ValueError: the figure has no data"):
        with ForkedJobs(workers=2) as jobs:
            jobs.submit(_write, tmp_path / "ok.txt", "ok")
            jobs.submit(_fail)
    assert (tmp_path / "ok.txt").read_text() == "ok"  # the other job still finished


def test_one_worker_runs_jobs_in_this_process(tmp_path):
    seen = []
    with ForkedJobs(workers=1) as jobs:
        jobs.submit(seen.append, "here")
    assert seen == ["here"]


def test_worker_count_follows_the_environment(monkeypatch):
    monkeypatch.setenv("IMGSHARE_JOBS", "3")
    assert default_workers() == 3
    monkeypatch.setenv("IMGSHARE_JOBS", "nonsense")
    assert default_workers() == 1


def test_announce_without_a_reporter_prints_nothing(capsys):
    announce("load", "x.csv")
    assert capsys.readouterr() == ("", "")


def test_plain_lines_when_not_a_terminal_and_none_when_quiet():
    out = io.StringIO()
    with reporting(console_reporter(stream=out)):
        announce("load", "patients.csv")
        announce("analyse")
    lines = out.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == ["imgshare: load: patients.csv", "imgshare: analyse"]
    assert all(line.endswith(" s)") for line in lines)
    assert console_reporter(quiet=True) is None


def test_analyse_prints_a_line_per_stage_and_nothing_with_quiet(tmp_path, capsys, study_codebook_path):
    assert main(["analyse", "-c", str(study_codebook_path), "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    stages = [line.split(":")[1].strip() for line in err.splitlines() if line.startswith("imgshare: ")]
    assert stages == ["load", "load", "analyse", "write"]
    assert main(["analyse", "-q", "-c", str(study_codebook_path), "--out", str(tmp_path / "b")]) == 0
    assert not [line for line in capsys.readouterr().err.splitlines() if line.startswith("imgshare: ")]


def test_analyse_effect_ci_option_is_checked_and_recorded(tmp_path, capsys, study_codebook_path):
    import json

    assert main(["analyse", "-q", "--effect-ci", "bootstrap", "-c", str(study_codebook_path),
                 "--out", str(tmp_path / "a")]) == 0
    settings = json.loads((tmp_path / "a" / "results.json").read_text())["settings"]
    assert settings["effect_ci"] == "bootstrap" and settings["n_boot"] == 2000
    assert main(["analyse", "--effect-ci", "jackknife", "-c", str(study_codebook_path),
                 "--out", str(tmp_path / "b")]) == 2
    assert "--effect-ci: found 'jackknife'; expected analytic, bootstrap or none" in capsys.readouterr().err
