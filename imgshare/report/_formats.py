"""The multi-format output protocol: one object, each output format in its own form.

An object that can present itself natively in several formats (a table that is a real
HTML table, a real Typst table and a Markdown pipe table) implements::

    def _imgshare_formats_(self) -> dict[str, str]:
        return {"html": "<table>...</table>", "typst": "#table(...)", "markdown": "| a | b |..."}

``typst`` is Typst *markup* (code starts with ``#``). The built-in engine and real Quarto
must show the same thing, so the Markdown that carries all three (:func:`multiformat_markdown`)
is also what such objects should return from ``_repr_markdown_``, the representation
Quarto's Jupyter engine passes through. Each form is fenced off for its format alone:

* the HTML is a raw ``{=html}`` block inside a ``content-visible when-format="html"`` div and
  starts with Quarto's ``<!--| quarto-html-table-processing: none -->`` comment. Quarto would
  otherwise parse a raw HTML table into a native table for EVERY format (PDF and DOCX would show
  each table twice, the copy losing its footnote marks); the comment also keeps Quarto from
  restyling the table in HTML. Projects set ``html-table-processing: none`` as well;
* the Typst is a raw ``{=typst}`` block (only the Typst writer keeps it);
* the Markdown is in a ``content-visible when-format="docx"`` div.

:class:`MultiFormat` does this for three ready strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["MultiFormat", "multiformat_markdown", "formats_of", "FORMAT_KEYS"]

FORMAT_KEYS = ("html", "typst", "markdown")
#: Quarto (>= 1.5) leaves an HTML raw block holding this comment as it is, in every format.
QUARTO_NO_TABLE_PROCESSING = "<!--| quarto-html-table-processing: none -->"


def _fence(body: str) -> str:
    """A backtick fence longer than any backtick run inside ``body``."""
    runs = [len(m) for m in re.findall(r"`+", body)]
    return "`" * max(3, max(runs, default=0) + 1)


def multiformat_markdown(formats: Mapping[str, str]) -> str:
    """Markdown that shows ``formats['html']`` in HTML, ``formats['typst']`` in Typst/PDF and
    ``formats['markdown']`` in DOCX.

    Parameters
    ----------
    formats : Mapping[str, str]
        Must hold the keys ``html``, ``typst`` and ``markdown``.

    Returns
    -------
    str
        Markdown valid for pandoc and Quarto.

    Examples
    --------
    >>> md = multiformat_markdown({"html": "<b>x</b>", "typst": "#strong[x]", "markdown": "**x**"})
    >>> "```{=typst}" in md and 'when-format="docx"' in md and 'when-format="html"' in md
    True
    """
    missing = [k for k in FORMAT_KEYS if k not in formats]
    if missing:
        raise ValueError(f"multi-format output lacks {', '.join(missing)}")
    html = formats["html"].strip("\n")
    html_fence = _fence(html)
    typst = formats["typst"].strip("\n")
    typst_fence = _fence(typst)
    md = formats["markdown"].strip("\n")
    colons = ":" * max(3, max((len(m) for m in re.findall(r"^:{3,}", md, re.M)), default=0) + 1)
    parts = [
        f'::: {{.content-visible when-format="html"}}\n{html_fence}{{=html}}\n{QUARTO_NO_TABLE_PROCESSING}\n'
        f"{html}\n{html_fence}\n:::",
        f"{typst_fence}{{=typst}}\n{typst}\n{typst_fence}",
        f'{colons} {{.content-visible when-format="docx"}}\n{md}\n{colons}',
    ]
    return "\n\n".join(parts) + "\n"


def formats_of(obj: object) -> dict[str, str] | None:
    """The object's ``_imgshare_formats_()`` mapping, or None if it does not implement the protocol."""
    method = getattr(obj, "_imgshare_formats_", None)
    if method is None or not callable(method):
        return None
    formats = method()
    if not isinstance(formats, Mapping) or not all(isinstance(formats.get(k), str) for k in FORMAT_KEYS):
        raise TypeError(f"{type(obj).__name__}._imgshare_formats_() must return str values for "
                        f"{', '.join(FORMAT_KEYS)}")
    return dict(formats)


@dataclass(frozen=True)
class MultiFormat:
    """Three ready renderings of one thing; displays natively under the built-in engine and Quarto."""

    html: str
    typst: str
    markdown: str

    def _imgshare_formats_(self) -> dict[str, str]:
        return {"html": self.html, "typst": self.typst, "markdown": self.markdown}

    def _repr_markdown_(self) -> str:
        return multiformat_markdown(self._imgshare_formats_())
