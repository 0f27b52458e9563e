"""The printed width of a text estimated from its characters: one rule for Typst and DOCX table layout.

Widths are in em, from character classes (narrow punctuation and letters, wide letters and
capitals, the rest) at sans-serif widths, so a column sized by them fits typical serif and
sans-serif text fonts. A module of its own so the DOCX finishing step can use it without
importing the table stack.
"""

from __future__ import annotations

__all__ = ["text_em"]

_NARROW = set(" \u00a0.,:;()[]'!|/-ijlft")
_WIDE = set("MWmw%@—")


def text_em(text: str) -> float:
    """Estimated printed width of ``text`` in em.

    >>> round(text_em("Mil"), 2), round(text_em("ill"), 2)
    (1.4, 0.9)
    """
    return sum(0.3 if c in _NARROW else 0.8 if c in _WIDE or c.isupper() else 0.5 for c in text)
