"""The one error the statistics core raises for unusable input."""

from __future__ import annotations

from imgshare.errors import ImgshareError

__all__ = ["StatsInputError"]


class StatsInputError(ImgshareError):
    """Input to a statistical function cannot be analysed (wrong type, shape or value).

    Undefined *results* (a constant item, a single group, too few observations) are not
    errors: they come back as NaN with a ``reason``.
    """
