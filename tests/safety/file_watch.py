"""Waiting, without polling, until another process opens a file (Linux inotify through ctypes).

Polling /proc/<pid>/fd misses an open that is closed again between two looks; the kernel
queues an inotify event for every open, so the wait cannot miss it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
from pathlib import Path

IN_OPEN = 0x00000020


@contextlib.contextmanager
def watch_opens(path: Path):
    """Yield ``wait(timeout)``, which returns once ``path`` has been opened after the watch began."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    fd = libc.inotify_init1(os.O_CLOEXEC)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "inotify_init1 failed")
    try:
        if libc.inotify_add_watch(fd, os.fsencode(path), IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), f"inotify_add_watch failed for {path}")

        def wait(timeout: float) -> None:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                raise AssertionError(f"{path.name} was not opened within {timeout:.0f} s")
            os.read(fd, 4096)

        yield wait
    finally:
        os.close(fd)
