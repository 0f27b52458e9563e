"""Formatting numbers and text for manuscript prose (inline code): presentation only, no computing."""

from __future__ import annotations

import math

__all__ = ["fmt_int", "fmt_pct", "fmt_n_pct", "fmt_r", "md_escape", "is_small"]


def is_small(n: float, min_cell: int = 0) -> bool:
    """Whether a count is withheld under disclosure control: 1 <= n < ``min_cell``.

    Zero is shown (it reveals no one), as in :mod:`imgshare.disclosure`.

    Examples
    --------
    >>> is_small(3, 5), is_small(0, 5), is_small(3, 0)
    (True, False, False)
    """
    return min_cell > 1 and 0 < n < min_cell


def fmt_int(n: float, min_cell: int = 0) -> str:
    """A count as text, with thousands separators; ``"<K"`` for a count 1..K-1 when ``min_cell=K``.

    Examples
    --------
    >>> fmt_int(1234), fmt_int(3, min_cell=5), fmt_int(0, min_cell=5)
    ('1,234', '<5', '0')
    """
    if is_small(n, min_cell):
        return f"<{min_cell}"
    return f"{int(round(n)):,}"


def fmt_pct(value: float, digits: int = 1) -> str:
    """A percentage (already 0-100) rounded half away from zero, with a % sign; NaN -> 'n/a'.

    Examples
    --------
    >>> fmt_pct(81.8181), fmt_pct(2.25, 1), fmt_pct(float("nan"))
    ('81.8%', '2.3%', 'n/a')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    scale = 10 ** digits
    rounded = math.floor(abs(value) * scale + 0.5) / scale
    return f"{math.copysign(rounded, value) if value else 0.0:.{digits}f}%"


def fmt_n_pct(n: float, total: float, digits: int = 1, min_cell: int = 0) -> str:
    """``"n (x.x%)"`` of a total; the percentage is 'n/a' when the total is zero.

    Under disclosure control (``min_cell=K``) a count 1..K-1 prints as ``"<K"`` with no
    percentage, since the percentage and the total would give the count back.

    Examples
    --------
    >>> fmt_n_pct(99, 121), fmt_n_pct(3, 121, min_cell=5)
    ('99 (81.8%)', '<5')
    """
    if is_small(n, min_cell):
        return f"<{min_cell}"
    pct = 100.0 * n / total if total else float("nan")
    return f"{fmt_int(n)} ({fmt_pct(pct, digits)})"


def fmt_r(value: float, digits: int = 2) -> str:
    """A correlation coefficient without a leading zero, as journals print it ('.70', '-.12').

    Examples
    --------
    >>> fmt_r(0.7031), fmt_r(-0.1234), fmt_r(-0.00003)
    ('.70', '-.12', '.00')
    """
    if value is None or math.isnan(value):
        return "n/a"
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"  # never "-.00"
    return text.replace("0.", ".", 1) if abs(value) < 1 else text


def md_escape(text: object) -> str:
    """Any text (a respondent's comment, a codebook label) as literal pandoc Markdown on one line.

    Every ASCII punctuation character that Markdown could read as markup is backslash-escaped,
    so ``<script>`` stays text and pandoc escapes it for HTML, Typst and DOCX alike.

    Examples
    --------
    >>> md_escape("<b>hi</b> *now*")
    '\\\\<b\\\\>hi\\\\</b\\\\> \\\\*now\\\\*'
    """
    from ..tables import markdown_escape

    return markdown_escape(str(text))
