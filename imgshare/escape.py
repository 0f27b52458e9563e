"""Codebook and data text as literal text in each output format: the one place it is escaped.

Every string that comes from a codebook or a data file (labels, questions, item wordings,
free-text answers, exclusion reasons, a study's data note) is *plain text*: it must print as
written and never become markup, a link, an image, a raw block, a reference or a shortcode.
Each output format has exactly one function here, and every writer in imgshare calls it:

* :func:`markdown` -- pandoc Markdown (the manuscript's prose; pandoc then writes HTML, Typst
  and DOCX, escaping for each of them);
* :func:`typst_string` / :func:`typst_markup` -- Typst tables and templates;
* :func:`html` -- HTML written by imgshare itself (great-tables escapes its own cells).

DOCX is written by pandoc from the Markdown, so :func:`markdown` covers it.

Examples
--------
>>> markdown("[x](javascript:alert(1)) <b>")
'\\\\[x\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\) \\\\<b\\\\>'
>>> html('<img src=x onerror="a()">')
'&lt;img src=x onerror=&quot;a()&quot;&gt;'
"""

from __future__ import annotations

import html as _html

__all__ = ["markdown", "typst_string", "typst_markup", "html", "one_line"]

# ASCII punctuation that is inert in pandoc inline Markdown; everything else gets a backslash.
_MD_SAFE = set(",;?/")  # "%" starts a title block at the top of a document, so it is escaped too
_MD_SPECIAL = {chr(c) for c in range(33, 127) if not chr(c).isalnum()} - _MD_SAFE

_TYPST_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Characters with a meaning in Typst markup; a backslash makes each literal.
_TYPST_MARKUP_SPECIAL = set("\\#$*_@<>[]`~/'\"=-+.:;,!?()%{}&|^")


def one_line(text: object) -> str:
    """Whitespace runs (newlines included) as one space: a label never breaks a line or a block.

    >>> one_line(" a\\n\\n b\\t c ")
    'a b c'
    """
    return " ".join(str(text).split())


def markdown(text: object) -> str:
    """``text`` as literal pandoc Markdown inline text, on one line.

    Every ASCII punctuation character that Markdown could read as markup gets a backslash,
    so ``<script>``, ``![x](file)``, `` `x`{=typst} ``, ``@ref``, ``[@key]`` and
    ``{{< include >}}`` all print as written.

    Examples
    --------
    >>> markdown("a*b* $x$ | <i>")
    'a\\\\*b\\\\* \\\\$x\\\\$ \\\\| \\\\<i\\\\>'
    >>> markdown("{{< include x.qmd >}}")
    '\\\\{\\\\{\\\\< include x\\\\.qmd \\\\>\\\\}\\\\}'
    """
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in one_line(text))


def typst_string(text: object) -> str:
    """``text`` as a Typst string literal, safe to place in code mode.

    Examples
    --------
    >>> typst_string('say "hi" #set')
    '"say \\\\"hi\\\\" #set"'
    >>> print(typst_string("{{< env HOME >}} <0.001"))
    "{{\\u{3c} env HOME >}} <0.001"
    """
    out = []
    for ch in str(text):
        if ch in _TYPST_STRING_ESCAPES:
            out.append(_TYPST_STRING_ESCAPES[ch])
        elif ch == "\u00a0":
            out.append("\\u{a0}")
        elif ch == "<" and out[-2:] == ["{", "{"]:  # never '{{<': Quarto expands shortcodes in raw Typst blocks
            out.append("\\u{3c}")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def typst_markup(text: object) -> str:
    """``text`` escaped for Typst *markup* (inside ``[...]``): each special character gets a backslash.

    Examples
    --------
    >>> typst_markup("#set $x$")
    '\\\\#set \\\\$x\\\\$'
    """
    return "".join("\\" + ch if ch in _TYPST_MARKUP_SPECIAL else ch for ch in one_line(text))


def html(text: object) -> str:
    """``text`` as HTML character data or a quoted attribute value.

    >>> html("a & <b>")
    'a &amp; &lt;b&gt;'
    """
    return _html.escape(str(text), quote=True)

