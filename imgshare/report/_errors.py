"""The report engine's user-facing error: one line naming the file and line at fault."""

from __future__ import annotations

from ..errors import ImgshareError

__all__ = ["ReportError"]


class ReportError(ImgshareError):
    """A manuscript source cannot be rendered.

    The message reads ``file:line: reason`` when the defect has a place in a source file,
    otherwise just ``reason``. ``details`` may carry a traceback for ``--verbose`` use; it
    is never part of the message.
    """

    def __init__(self, reason: str, file: str | None = None, line: int | None = None, details: str = ""):
        self.reason = reason
        self.file = file
        self.line = line
        self.details = details
        where = ""
        if file is not None:
            where = f"{file}:{line}: " if line is not None else f"{file}: "
        super().__init__(f"{where}{reason}")
