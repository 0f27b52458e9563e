"""Escaped codebook text stays text under pandoc and cannot form a Quarto shortcode.

Quarto finds shortcodes by the literal characters ``{{<`` (and ``{{{<``, ``{{</*``) in the Markdown
source, and again inside the text of code spans, raw blocks, link targets and image sources; it
never looks inside ordinary text (pandoc ``Str``). So escaped Markdown, in which every ``{`` and
``<`` carries a backslash, is inert in prose, and the only place codebook text could form a
shortcode is a raw block: the Typst tables, whose string literals therefore write ``<`` as
``\\u{3c}`` (HTML escapes it as ``&lt;``).
"""

from __future__ import annotations

import doctest
import importlib
import json
import subprocess

import pytest

from imgshare.escape import html, markdown, typst_markup, typst_string
from imgshare.report._pandoc import pandoc_path

PAYLOADS = [
    "{{< include ../../secret.qmd >}}", "{{< env HOME >}}", "{{{< meta title >}}}", "{{</* var x */>}}",
    "`x`{=typst}", "`<b>x</b>`{=html}", "[x](javascript:alert(1))", "![x](/etc/passwd)", "<script>a</script>",
    "@sec-x [@key]", "$x$ $$y$$", "::: {.callout}", "# heading", "<!-- c -->", "[^1] ^[note]", "{#id .cls}",
    "a\\", "http://example.org", "x{=html}", "| a | b |", "1. item", "- item", "> quote",
]


def _kinds(node, out):
    if isinstance(node, dict):
        if "t" in node:
            out.add(node["t"])
        for v in node.values():
            _kinds(v, out)
    elif isinstance(node, list):
        for v in node:
            _kinds(v, out)
    return out


def _pandoc(args, text: str) -> str:
    return subprocess.run([pandoc_path(), *args], input=text.encode(), capture_output=True, check=True).stdout.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_markdown_is_plain_text_to_pandoc(payload):
    md = markdown(payload)
    ast = json.loads(_pandoc(["-f", "markdown", "-t", "json"], md))
    assert _kinds(ast["blocks"], set()) <= {"Para", "Str", "Space"}
    assert _pandoc(["-f", "markdown", "-t", "plain", "--wrap=none"], md).strip() == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_escaped_form_holds_a_shortcode_opening(payload):
    for escaped in (markdown(payload), typst_string(payload), typst_markup(payload), html(payload)):
        assert "{{<" not in escaped and "{{{<" not in escaped


@pytest.mark.parametrize("name", ["imgshare._yaml", "imgshare._keypath", "imgshare.errors", "imgshare._xlsx",
                                  "imgshare.codebook._rules", "imgshare.report._images", "imgshare.escape"])
def test_docstring_examples_of_the_safety_modules_pass(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
