"""report.html carries its figures as data: URIs put in after pandoc wrote the page: the same page,
byte for byte, as pandoc writes from an AST that holds the URIs itself."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from imgshare.report import _pandoc
from imgshare.report._pandoc import embed_images, markdown_to_ast, write_format

WORDS = " ".join(f"word{i}" for i in range(60))


@pytest.fixture
def build(tmp_path: Path) -> Path:
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.svg").write_text("<svg/>")  # a data URI shorter than a line
    (tmp_path / "figures" / "b.png").write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))
    return tmp_path


def _markdown() -> str:
    # images mid-paragraph (where pandoc wraps lines), twice the same one, and in a figure
    return (f"---\ntitle: Embedding\n---\n\n{WORDS} ![a](figures/a.svg) {WORDS} ![again](figures/a.svg)\n\n"
            f"![A figure](figures/b.png){{#fig-b}}\n\n{WORDS}\n")


def _pandoc_with_uris(ast: dict, build: Path, out: Path) -> bytes:
    """The page as pandoc writes it from an AST that holds the data URIs (the former way)."""
    real = _pandoc._write_html
    try:
        _pandoc._write_html = lambda tree, args, target, b: _pandoc._run_pandoc(
            args, _pandoc.json.dumps(embed_images(tree, b)), "writing html", b)
        write_format(ast, "html", out, build, None, None)
    finally:
        _pandoc._write_html = real
    return out.read_bytes()


def test_the_page_equals_the_one_pandoc_writes_from_the_uris(build):
    ast = markdown_to_ast(_markdown(), build)
    page = write_format(ast, "html", build / "new.html", build, None, None).read_bytes()
    assert page == _pandoc_with_uris(ast, build, build / "old.html")
    text = page.decode()
    assert text.count('src="data:image/svg+xml;base64,') == 2 and text.count('src="data:image/png;base64,') == 1
    assert "figures/" not in text


def test_when_a_placeholder_is_not_where_expected_the_page_is_written_from_the_uris(build, monkeypatch):
    ast = markdown_to_ast(_markdown(), build)
    expected = _pandoc_with_uris(ast, build, build / "old.html")
    real = _pandoc._run_pandoc
    calls = []

    def losing_one(args, stdin, what, cwd):  # the first page written loses a placeholder
        out = real(args, stdin, what, cwd)
        calls.append(what)
        if len(calls) == 1:
            page = Path(args[args.index("-o") + 1])
            page.write_text(page.read_text().replace('src="imgshare0-', 'src="elsewhere', 1))
        return out

    monkeypatch.setattr(_pandoc, "_run_pandoc", losing_one)
    assert write_format(ast, "html", build / "new.html", build, None, None).read_bytes() == expected
    assert len(calls) == 2
