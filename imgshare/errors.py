"""Errors that reach the user as precise one-line messages (exit status 2), never tracebacks."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ImgshareError", "CodebookError", "DataError", "Problem", "format_problems"]

#: How many problems are printed before the rest are summarised as a count.
MAX_PROBLEMS = 50


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
        return f"{where}: {self.found}; {self.expected}"


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
        lines = [f"{source}: {path}: {reason}" if path else f"{source}: {reason}" for path, reason in problems]
        super().__init__(format_problems(lines))


class DataError(ImgshareError):
    """A data file cannot be read or does not match the codebook."""

    def __init__(self, problems: list[Problem] | Problem, omitted: int = 0):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.omitted = omitted
        super().__init__(format_problems(self.problems, omitted=omitted))
