"""Markdown that imgshare wrote, kept apart from plain text that came from a codebook or data.

A manuscript's inline values and cell outputs follow Quarto's rule for Jupyter: a value with a
``text/markdown`` representation (``_repr_markdown_``) is inserted as Markdown, anything else
(a plain ``str``, a number) as literal text. :class:`Markdown` is the one type imgshare returns
for prose: its text was assembled from numbers, fixed words and codebook or data strings passed
through :func:`plain`, which escapes them with :func:`imgshare.escape.markdown` -- the only place
codebook and data text becomes Markdown.

Examples
--------
>>> plain("<b>Yes</b>")
Markdown('\\\\<b\\\\>Yes\\\\</b\\\\>')
>>> join_words([plain("a"), plain("b*"), plain("c")])
Markdown('a, b\\\\* and c')
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import escape

__all__ = ["Markdown", "plain", "join_words", "lower_first", "sentence_case", "plural"]


class Markdown(str):
    """Pandoc Markdown written by imgshare: shown as Markdown by Quarto and the built-in engine."""

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"Markdown({str.__repr__(self)})"


def plain(text: object) -> Markdown:
    """Codebook or data text as Markdown that prints it literally (never markup)."""
    return text if isinstance(text, Markdown) else Markdown(escape.markdown(text))


def join_words(parts: Iterable[object], conjunction: str = "and") -> Markdown:
    """``a, b and c``; parts that are not :class:`Markdown` are escaped first.

    >>> join_words(["x"]), join_words(["x", "y"], "or")
    (Markdown('x'), Markdown('x or y'))
    """
    items = [plain(p) for p in parts]
    if len(items) <= 1:
        return Markdown("".join(items))
    return Markdown(", ".join(items[:-1]) + f" {conjunction} " + items[-1])


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ('Clinical experts' ->
    'clinical experts', 'NHS staff' stays). Works on plain text and on escaped Markdown alike.

    >>> lower_first("Clinical experts"), lower_first("NHS staff")
    ('clinical experts', 'NHS staff')
    """
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return text
    out = text[:1].lower() + text[1:]
    return Markdown(out) if isinstance(text, Markdown) else out


def sentence_case(text: str) -> str:
    """Upper-case the first letter (the start of a sentence).

    >>> sentence_case(Markdown("patients agreed"))
    Markdown('Patients agreed')
    """
    out = text[:1].upper() + text[1:]
    return Markdown(out) if isinstance(text, Markdown) else out


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 statement"``, ``"3 statements"``.

    >>> plural(1, "theme"), plural(2, "theme"), plural(2, "analysis", "analyses")
    ('1 theme', '2 themes', '2 analyses')
    """
    return f"{n} {word if n == 1 else many or word + 's'}"
