"""What the documents of one render share, owned by that render and dropped when it ends.

``imgshare report`` renders every document of a project (the manuscript and its supplement) in
one process, and each document's setup cell asks for the same study
(``imgshare.report.study()``). Inside :func:`sharing` -- the built-in engine's render --
:func:`shared` builds a value once per key and hands the same object to every later document of
that render; outside it (Quarto's Jupyter kernels, scripts, tests) it simply builds the value.
Nothing outlives the ``with`` block, so two renders never see each other's values.

Only values that no caller changes may be shared (the study's analysis, its exhibits, the
reproduction audit): see :class:`imgshare.report._study_parts.StudyParts`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

__all__ = ["sharing", "shared"]

T = TypeVar("T")

_MEMO: ContextVar[dict[Hashable, Any] | None] = ContextVar("imgshare_render_memo", default=None)


@contextmanager
def sharing() -> Iterator[dict[Hashable, Any]]:
    """A fresh memo for the documents rendered inside the block (nested blocks get their own).

    Examples
    --------
    >>> builds = []
    >>> def build():
    ...     builds.append(1)
    ...     return object()
    >>> with sharing():
    ...     shared("k", build) is shared("k", build)
    True
    >>> shared("k", build) is shared("k", build), len(builds)
    (False, 3)
    """
    token = _MEMO.set({})
    try:
        yield _MEMO.get()
    finally:
        _MEMO.reset(token)


def shared(key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, once per ``key`` inside :func:`sharing`; every call outside builds anew."""
    memo = _MEMO.get()
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    return memo[key]
