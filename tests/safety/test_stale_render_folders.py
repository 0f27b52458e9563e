"""A render killed outright (SIGKILL) leaves its ``.render-*`` folder behind; the next render removes it,
but never a folder that a running render holds or one made after the current render began."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from imgshare.report import render_report
from imgshare.report._builddir import open_build_folder, remove_stale_build_folders

from report.test_image_references import tiny_project

HOUR = 3600


def _aged(folder: Path, seconds: float) -> Path:
    folder.mkdir()
    (folder / "report.html").write_text("half a render")
    t = time.time() - seconds
    os.utime(folder, (t, t))
    return folder


def test_folder_left_by_a_dead_render_is_removed_and_a_newer_one_kept(tmp_path):
    dead = _aged(tmp_path / ".render-dead1234", HOUR)
    newer = _aged(tmp_path / ".render-newer123", -HOUR)  # made after the current render began
    not_ours = _aged(tmp_path / "render-notours", HOUR)
    build, release = open_build_folder(tmp_path)
    try:
        assert not dead.exists()
        assert newer.exists() and not_ours.exists() and build.exists()
    finally:
        release()
    assert not build.exists()


def test_folder_held_by_a_running_render_is_kept(tmp_path):
    busy = _aged(tmp_path / ".render-busy1234", HOUR)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR); "
         "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)", str(busy / ".in-use")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t = time.time() - HOUR
        os.utime(busy, (t, t))
        current = tmp_path / ".render-current"
        current.mkdir()
        assert remove_stale_build_folders(tmp_path, current) == []
        assert busy.exists()
    finally:
        holder.kill()
        holder.wait()
    assert remove_stale_build_folders(tmp_path, current) == [busy]  # the holder died: its lock went with it
    assert not busy.exists()


def test_lockless_folder_is_kept_while_it_may_be_a_render_just_starting(tmp_path):
    young = _aged(tmp_path / ".render-young123", 5)
    current = tmp_path / ".render-current"
    current.mkdir()
    assert remove_stale_build_folders(tmp_path, current) == []
    assert young.exists()


def test_symlink_named_like_a_render_folder_is_not_followed(tmp_path):
    target = tmp_path / "precious"
    target.mkdir()
    (target / "keep.txt").write_text("x")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(target, out / ".render-link1234")
    t = time.time() - HOUR
    os.utime(out / ".render-link1234", (t, t), follow_symlinks=False)
    build, release = open_build_folder(out)
    release()
    assert (target / "keep.txt").exists()


def test_render_killed_with_sigkill_leaves_a_folder_that_the_next_render_removes(tmp_path):
    body = "```{python}\nimport time\ntime.sleep(30)\n```\n\nText.\n"
    project = tiny_project(tmp_path, body)
    out = tmp_path / "out"
    out.mkdir()
    code = ("import sys; from imgshare.report import render_report; "
            "render_report(sys.argv[1], out_dir=sys.argv[2], formats=('html',), quiet=True, engine='builtin', "
            "use_cache=False)")
    child = subprocess.Popen([sys.executable, "-c", code, str(project), str(out)])
    deadline = time.monotonic() + 120
    # Kill once the render holds its folder's lock: a folder without one may be a render just
    # starting, which the next render rightly leaves alone (the test above). The folder lives for
    # the whole render (the cell sleeps 30 s), so this cannot be missed.
    while not list(out.glob(".render-*/.in-use")) and time.monotonic() < deadline:
        time.sleep(0.01)
    left = list(out.glob(".render-*"))
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert len(left) == 1 and left[0].exists(), "the killed render's folder should still be there"
    (project / "report.qmd").write_text("---\ntitle: Images\n---\n\nText.\n")
    result = render_report(project, out_dir=out, formats=("html",), quiet=True, engine="builtin", use_cache=False)
    assert result.outputs["html"].is_file()
    assert [p.name for p in out.iterdir()] == ["report.html"]
