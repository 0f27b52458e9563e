"""Errors that reach the user as precise one-line messages (exit status 2), never tracebacks."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ImgshareError", "CodebookError", "DataError", "Problem", "format_problems", "bounded"]

#: How many problems are printed before the rest are summarised as a count.
MAX_PROBLEMS = 50
#: Longest problem line printed: an input can hold megabytes in one cell or key, a message cannot.
LINE_LIMIT = 600
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def bounded(text: str, limit: int = LINE_LIMIT) -> str:
    """``text`` as one line of at most about ``limit`` characters.

    Line breaks and other control characters are shown as escapes; an overlong text loses its
    middle (where echoed input sits), keeping the place at the start and what was expected at
    the end.

    >>> print(bounded("a" + chr(10) + "b"))
    a\\nb
    >>> bounded("where: found " + "x" * 100 + "; expected y", limit=40)
    'where: found xxxxxxx … [92 characters cut] … x; expected y'
    """
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    if len(text) <= limit:
        return text
    head, tail = limit // 2, limit // 3
    return f"{text[:head]} … [{len(text) - head - tail:,} characters cut] … {text[-tail:]}"


@dataclass(frozen=True)
class Problem:
    """One defect in an input file: where it is, what was found, what was expected.

    ``row`` is the row number a spreadsheet user sees (the header is row 1); ``None`` when
    the problem concerns the whole file or a whole column.
    """

    file: str
    row: int | None
    column: str | None
    found: str
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column is not None:
            where += f":{self.column}"
        return bounded(f"{where}: {self.found}; {self.expected}")


def format_problems(problems: list, limit: int = MAX_PROBLEMS, omitted: int = 0) -> str:
    lines = [str(p) for p in problems[:limit]]
    rest = max(0, len(problems) - limit) + omitted
    if rest:
        lines.append(f"... and {rest} more problem{'s' if rest != 1 else ''}")
    return "\n".join(lines)


class ImgshareError(Exception):
    """Base class: the message is shown to the user as is; the CLI exits with status 2."""

    exit_code = 2


class CodebookError(ImgshareError):
    """The codebook is invalid. Each line is ``file: key.path: reason``."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = [bounded(f"{source}: {path}: {reason}" if path else f"{source}: {reason}") for path, reason in problems]
        super().__init__(format_problems(lines))


class DataError(ImgshareError):
    """A data file cannot be read or does not match the codebook."""

    def __init__(self, problems: list[Problem] | Problem, omitted: int = 0):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.omitted = omitted
        super().__init__(format_problems(self.problems, omitted=omitted))
