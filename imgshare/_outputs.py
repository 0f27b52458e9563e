"""Checking where a command will write before it computes anything.

A run that computes for half a minute and then finds that ``--out`` names an existing file, a
read-only folder or a full disk wastes the user's time and says so late. Each command that
writes calls one of these first; the check writes and removes a probe file, so it answers for
the actual permissions (a read-only mount, an immutable folder, root or not), not for the mode
bits alone.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import ImgshareError

__all__ = ["check_output_folder", "check_output_file", "MIN_FREE_BYTES", "os_error_message"]

#: Free space below which a run is refused before it starts (its outputs need a few MB).
MIN_FREE_BYTES = 1 << 20
#: OS errors that describe the user's files or disk, not a defect in imgshare.
USER_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EEXIST,
                         errno.ENOTDIR, errno.EISDIR, errno.EFBIG, errno.ENAMETOOLONG, errno.ENOENT,
                         errno.ELOOP})


def _existing_ancestor(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path(".")


def _probe(folder: Path, option: str, shown: Path) -> None:
    try:
        fd, probe = tempfile.mkstemp(prefix=".imgshare-probe-", dir=folder)
    except OSError as exc:
        raise ImgshareError(f"{option} {shown}: cannot write in {folder} ({exc.strerror}); expected a folder "
                            "you can write to") from None
    os.close(fd)
    os.unlink(probe)
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):  # statvfs is POSIX only
        return
    free = st.f_bavail * st.f_frsize
    if free < MIN_FREE_BYTES:
        raise ImgshareError(f"{option} {shown}: only {free:,} bytes free on its disk; expected at least "
                            f"{MIN_FREE_BYTES:,} bytes free")


def check_output_folder(path: Path | str, option: str = "--out") -> None:
    """Raise :class:`ImgshareError` unless ``path`` is, or can be made, a folder we can write in.

    Nothing is created: a missing folder is checked through its nearest existing parent.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ImgshareError(f"{option} {path}: an existing file; expected a folder (new or existing) to write "
                            "the outputs in")
    base = _existing_ancestor(path.absolute())
    if not base.is_dir():
        raise ImgshareError(f"{option} {path}: {base} is a file; expected a path through folders")
    _probe(base, option, path)


def check_output_file(path: Path | str, option: str = "--out") -> None:
    """Raise :class:`ImgshareError` unless ``path`` can be written as a file (new or replaced)."""
    path = Path(path)
    if path.is_dir():
        raise ImgshareError(f"{option} {path}: an existing folder; expected a file name")
    check_output_folder(path.absolute().parent, option)


def os_error_message(exc: OSError) -> str | None:
    """One line for an OS error about the user's files (disk full, permission), else None."""
    if exc.errno not in USER_ERRNOS:
        return None
    where = exc.filename if exc.filename is not None else "an output file"
    return f"{where}: {exc.strerror or 'operating system error'}; expected a file or folder imgshare can " \
           "read or write (and room on the disk)"
