"""The render's own temporary folder (``<out>/.render-XXXX``) and the removal of those that
killed runs left behind.

A render works in a fresh ``.render-*`` folder inside the output folder and removes it at the
end; a run killed with SIGKILL (or by a power cut) cannot, so the next render removes such
folders: only ones created before it started and not held by a running render. A running
render holds an exclusive ``flock`` on ``.in-use`` inside its folder for its whole life; the
kernel drops the lock when the process dies, however it dies.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["open_build_folder", "remove_stale_build_folders", "BUILD_PREFIX"]

BUILD_PREFIX = ".render-"
_LOCK_NAME = ".in-use"
#: A folder without a lock file may belong to a render that has just created it: wait this long.
_LOCKLESS_GRACE_S = 60.0


def _hold_lock(folder: Path) -> int | None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: folders are then never judged stale
        return None
    fd = os.open(folder / _LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _in_use(folder: Path, now: float) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        return True
    lock = folder / _LOCK_NAME
    try:
        fd = os.open(lock, os.O_RDWR | os.O_NOFOLLOW)
    except FileNotFoundError:
        return now - folder.stat().st_mtime < _LOCKLESS_GRACE_S
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True  # a running render holds it
    finally:
        os.close(fd)  # closing releases a lock we took
    return False


def remove_stale_build_folders(out: Path, current: Path) -> list[Path]:
    """Remove ``.render-*`` folders in ``out`` older than ``current`` and not in use; return them."""
    started = current.stat().st_mtime
    now = time.time()
    removed = []
    for folder in sorted(out.glob(BUILD_PREFIX + "*")):
        try:
            if folder == current or folder.is_symlink() or not folder.is_dir():
                continue
            if folder.stat().st_mtime >= started or _in_use(folder, now):
                continue
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def open_build_folder(out: Path) -> tuple[Path, Callable[[], None]]:
    """Create and hold this render's folder in ``out``, clear stale ones; return it and its release."""
    build = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=out))
    fd = _hold_lock(build)
    remove_stale_build_folders(out, build)

    def release() -> None:
        if fd is not None:
            os.close(fd)
        shutil.rmtree(build, ignore_errors=True)

    return build, release
