"""Progress lines for the commands: what stage a run is in, and how long it has taken.

A command sets a reporter for the duration of its work (:func:`reporting`); code deep inside a
stage (loading the data for a manuscript cell, drawing its figures) announces itself with
:func:`announce`, which does nothing when no reporter is set (library use, tests, ``--quiet``).
The reporter lives in a :class:`contextvars.ContextVar`, so it is scoped to the run that set it.

On a terminal the lines are coloured by rich; otherwise (logs, CI) they are plain text, one per
stage: ``imgshare: <stage>: <detail> (<seconds> s)``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["Reporter", "announce", "reporting", "console_reporter"]

#: A reporter receives (stage, detail).
Reporter = Callable[[str, str], None]

_ACTIVE: ContextVar[Reporter | None] = ContextVar("imgshare_progress", default=None)


def announce(name: str, detail: str = "") -> None:
    """Announce a stage to the active reporter, if any."""
    reporter = _ACTIVE.get()
    if reporter is not None:
        reporter(name, detail)


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[Reporter | None]:
    """Make ``reporter`` the active one inside the block (None: silence)."""
    token = _ACTIVE.set(reporter)
    try:
        yield reporter
    finally:
        _ACTIVE.reset(token)


def console_reporter(quiet: bool = False, stream=None) -> Reporter | None:
    """A reporter printing one line per stage to stderr (None when ``quiet``).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> say = console_reporter(stream=out)
    >>> say("load", "patients.csv")
    >>> out.getvalue().startswith("imgshare: load: patients.csv (")
    True
    """
    if quiet:
        return None
    stream = stream or sys.stderr
    start = time.perf_counter()
    if not stream.isatty():

        def plain(name: str, detail: str) -> None:
            text = f"imgshare: {name}: {detail}" if detail else f"imgshare: {name}"
            print(f"{text} ({time.perf_counter() - start:.1f} s)", file=stream, flush=True)

        return plain
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=stream, highlight=False)

    def rich_line(name: str, detail: str) -> None:
        console.print(f"[bold cyan]{escape(name):>9}[/] {escape(detail)} [dim]{time.perf_counter() - start:.1f} s[/]")

    return rich_line
