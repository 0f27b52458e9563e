"""Where a command writes is checked before it computes: an existing file, a path through a file or a
read-only folder is one located line and exit 2 at once; a disk that fills up during the writing is
one located line and exit 2 with the previous outputs intact and no partial file."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from imgshare.cli import main

from foundation.helpers import without_progress, write_project


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), without_progress(err.getvalue())


@pytest.fixture()
def broken_data(tmp_path):
    """A codebook whose data file is invalid: a command that read it would report the data instead."""
    return write_project(tmp_path, raw=b"\x00\x01binary")


COMMANDS = {
    "analyse": lambda cb, out: ("analyse", "-c", str(cb), "--out", str(out)),
    "figures": lambda cb, out: ("figures", "-c", str(cb), "--out", str(out)),
    "report": lambda cb, out: ("report", "-c", str(cb), "--out", str(out), "--to", "html", "--quiet"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_out_naming_an_existing_file_is_refused_before_any_input_is_read(command, broken_data, tmp_path):
    target = tmp_path / "results.txt"
    target.write_text("keep me")
    code, _, err = run(*COMMANDS[command](broken_data, target))
    assert code == 2
    assert err.strip() == (f"--out {target}: an existing file; expected a folder (new or existing) to write "
                           "the outputs in")
    assert target.read_text() == "keep me"


def test_out_through_a_file_is_refused(broken_data, tmp_path):
    (tmp_path / "afile").write_text("x")
    target = tmp_path / "afile" / "out"
    code, _, err = run(*COMMANDS["analyse"](broken_data, target))
    assert code == 2
    assert err.strip() == f"--out {target}: {tmp_path / 'afile'} is a file; expected a path through folders"


def test_codebook_draft_out_naming_a_folder_is_refused_before_reading(tmp_path):
    code, _, err = run("codebook", "--from", str(tmp_path / "absent.sav"), "--out", str(tmp_path))
    assert code == 2
    assert err.strip() == f"--out {tmp_path}: an existing folder; expected a file name"


def test_synth_out_naming_a_file_is_refused(tmp_path, root):
    target = tmp_path / "cohort.csv"
    target.write_text("")
    code, _, err = run("synth", "-c", str(root / "data/codebook.yml"), "--out", str(target))
    assert code == 2
    assert err.strip().startswith(f"--out {target}: an existing file")


@contextlib.contextmanager
def read_only_folder(folder: Path):
    """A folder nobody can write in: mode 0555, and for root (who ignores modes) the immutable flag."""
    folder.mkdir()
    os.chmod(folder, 0o555)
    immutable = os.geteuid() == 0 and shutil.which("chattr") is not None
    if immutable:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        probe = folder / "probe"
        with contextlib.suppress(OSError):
            probe.write_text("x")
        assert not probe.exists(), "could not make a read-only folder on this machine"
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        os.chmod(folder, 0o755)


@pytest.mark.parametrize("nested", [False, True])
def test_read_only_location_is_refused_before_any_input_is_read(broken_data, tmp_path, nested):
    with read_only_folder(tmp_path / "locked") as locked:
        target = locked / "out" if nested else locked
        code, _, err = run(*COMMANDS["analyse"](broken_data, target))
        assert code == 2
        reason = "Operation not permitted" if os.geteuid() == 0 else "Permission denied"
        assert err.strip() == (f"--out {target}: cannot write in {locked} ({reason}); expected a folder you can "
                               "write to")
        assert list(locked.iterdir()) == []


def test_disk_full_while_writing_is_a_located_error_and_leaves_previous_outputs(tmp_path, root, monkeypatch):
    """ENOSPC in the middle of writing: exit 2, one line naming the file, no partial file, old outputs kept."""
    import imgshare.io as io_module

    out = tmp_path / "out"
    assert main(["analyse", "-c", str(root / "data/codebook.yml"), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_write_bytes = Path.write_bytes
    writes = []

    def filling_up(self, data):
        writes.append(self)
        if len(writes) == 3:  # the third file finds the disk full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write_bytes(self, data)

    monkeypatch.setattr(io_module.Path, "write_bytes", filling_up)
    code, _, err = run("analyse", "-c", str(root / "data/codebook.yml"), "--out", str(out))
    assert code == 2
    assert err.strip() == (f"{_target_of(writes[2])}: No space left on device; expected a file or folder imgshare can read or "
                           "write (and room on the disk)")
    assert "Traceback" not in err
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert {p.name for p in out.iterdir()} == set(before)


def test_too_little_free_space_is_refused_before_computing(broken_data, tmp_path, monkeypatch):
    import imgshare._outputs as outputs

    real = os.statvfs

    class Full:
        def __init__(self, st):
            self.f_frsize, self.f_bavail = st.f_frsize, 3

    monkeypatch.setattr(outputs.os, "statvfs", lambda p: Full(real(p)))
    code, _, err = run(*COMMANDS["analyse"](broken_data, tmp_path / "out"))
    free = 3 * real(tmp_path).f_frsize
    assert code == 2
    assert err.strip() == (f"--out {tmp_path / 'out'}: only {free:,} bytes free on its disk; expected at least "
                           f"{outputs.MIN_FREE_BYTES:,} bytes free")


def _target_of(part: Path) -> Path:
    """The file a temporary '.<name>.XXXX.part' stands in for."""
    return part.parent / part.name[1:].rsplit(".", 2)[0]
