"""Counts of people written in words: warnings and the ``reason`` texts of the result frames.

The frames' counts are protected cell by cell; a sentence that states a count ("group 'Research'
has a single respondent", "1 complete case(s); at least 2 needed", "removes 3 of 9 responses")
would print it again beside the protected cell. Under ``--min-cell K`` each such phrase is
rewritten without its count: a count of 1..K-1 becomes "fewer than K", and a phrase whose
counts could be withheld to protect another (an exclusion rule's share of responses) loses its
numbers. Zero is kept (it reveals no one). The phrases are the ones imgshare itself writes
(:mod:`imgshare.cohort`, :mod:`imgshare.stats`); a text no pattern matches is kept as it is,
so tests run every warning the example studies produce through :func:`protect_text`.
"""

from __future__ import annotations

import re

__all__ = ["protect_text"]

# "removes 25 of 60 responses (42%), more than analysis.max_excluded_share (20%)": the rule's count
# may be withheld to protect a small sibling reason, and received minus it would give one back.
_EXCLUSION_SHARE = re.compile(r"removes \d+ of \d+ responses \(\d+%\), more than")
_SINGLE = re.compile(r"has a single respondent; its mean rank rests on one answer")
_COMPLETE = re.compile(r"\b(\d+) complete (case|pair)\(s\)")


def protect_text(text: str, k: int) -> str:
    """``text`` without a count of people that disclosure control with threshold ``k`` withholds.

    >>> protect_text("comparison c (Staff by role): group 'Research' has a single respondent; "
    ...              "its mean rank rests on one answer", 5)
    "comparison c (Staff by role): group 'Research' has fewer than 5 respondents; its mean rank rests on few answers"
    >>> protect_text("1 complete pair(s); at least 2 needed", 5), protect_text("0 complete case(s)", 5)
    ('fewer than 5 complete pairs; at least 2 needed', '0 complete case(s)')
    """
    if k <= 1 or not text:
        return text
    text = _EXCLUSION_SHARE.sub("removes more than", text)
    text = _SINGLE.sub(f"has fewer than {k} respondents; its mean rank rests on few answers", text)

    def complete(m: re.Match) -> str:
        n = int(m.group(1))
        return m.group(0) if n == 0 or n >= k else f"fewer than {k} complete {m.group(2)}s"

    return _COMPLETE.sub(complete, text)
