"""Unit tests: Quarto detection, the multi-format protocol, context, metadata, AST rewriting."""

from __future__ import annotations

import copy
import json
import os
import stat
from pathlib import Path
from types import SimpleNamespace as NS

import pytest

from imgshare.report import ENV_CODEBOOK, ENV_DATA_DIR, ENV_PROJECT_DIR, MultiFormat, ReportError, Study, context
from imgshare.report._formats import formats_of, multiformat_markdown
from imgshare.report._quarto import find_quarto
from imgshare.report._ast import transform
from imgshare.report._meta import normalise_metadata
from imgshare.report._quarto import parse_version
from imgshare.report._source import read_document

# -- Quarto detection ------------------------------------------------------------------------


def fake_quarto(tmp_path: Path) -> Path:
    exe = tmp_path / "quarto"
    exe.write_text("#!/bin/sh\necho 1.6.40\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return exe


def test_quarto_path_with_recent_version_is_used(tmp_path):
    exe = fake_quarto(tmp_path)
    found = find_quarto({"QUARTO_PATH": str(exe), "PATH": ""}, run=lambda cmd: "1.6.40\n")
    assert found is not None and found.path == exe and found.version == (1, 6, 40)


def test_quarto_older_than_1_5_is_ignored(tmp_path):
    exe = fake_quarto(tmp_path)
    assert find_quarto({"QUARTO_PATH": str(exe), "PATH": ""}, run=lambda cmd: "1.4.557\n") is None


def test_quarto_on_path_is_found_and_really_asked_its_version(tmp_path):
    fake_quarto(tmp_path)
    found = find_quarto({"PATH": str(tmp_path)})
    assert found is not None and found.version == (1, 6, 40)


def test_no_quarto_means_builtin_engine(tmp_path):
    assert find_quarto({"PATH": str(tmp_path)}) is None
    assert find_quarto({"QUARTO_PATH": str(tmp_path / "absent"), "PATH": str(tmp_path)}) is None


def test_broken_quarto_is_ignored(tmp_path):
    exe = fake_quarto(tmp_path)

    def fails(cmd):
        raise OSError("exec format error")

    assert find_quarto({"QUARTO_PATH": str(exe), "PATH": ""}, run=fails) is None


@pytest.mark.parametrize("text, expected", [("1.5.57", (1, 5, 57)), ("Quarto 1.7\n", (1, 7)), ("none", None)])
def test_parse_version(text, expected):
    assert parse_version(text) == expected


# -- multi-format protocol -------------------------------------------------------------------


def test_multiformat_repr_markdown_is_the_multiformat_markdown_of_its_formats():
    mf = MultiFormat(html="<p>h</p>", typst="#strong[t]", markdown="**m**")
    assert mf._repr_markdown_() == multiformat_markdown(formats_of(mf))
    md = mf._repr_markdown_()
    assert ('::: {.content-visible when-format="html"}\n```{=html}\n<!--| quarto-html-table-processing: none -->\n'
            "<p>h</p>\n```\n:::") in md
    assert "```{=typst}\n#strong[t]\n```" in md
    assert '::: {.content-visible when-format="docx"}\n**m**\n:::' in md


def test_multiformat_fences_outgrow_backticks_and_colons_inside():
    md = multiformat_markdown({"html": "<pre>```x```</pre>", "typst": "`a`", "markdown": "::: x\ny\n:::"})
    assert "````{=html}" in md and ":::: {.content-visible" in md


def test_formats_of_rejects_an_incomplete_mapping():
    bad = NS(_imgshare_formats_=lambda: {"html": "x"})
    with pytest.raises(TypeError, match="markdown"):
        formats_of(bad)
    assert formats_of(object()) is None


# -- context ---------------------------------------------------------------------------------


def test_context_reads_environment(tmp_path):
    (tmp_path / "d").mkdir()
    ctx = context({ENV_PROJECT_DIR: str(tmp_path), ENV_CODEBOOK: "cb.yml", ENV_DATA_DIR: "d"})
    assert ctx.codebook_path == tmp_path / "cb.yml" and ctx.data_dir == tmp_path / "d"
    assert context(ctx.env()) == ctx


def test_context_defaults_to_the_enclosing_project(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project: {}\n")
    (tmp_path / "sections").mkdir()
    ctx = context({}, cwd=tmp_path / "sections")
    assert ctx.project_dir == tmp_path.resolve() and ctx.codebook_path == tmp_path.resolve() / "data" / "codebook.yml"
    assert ctx.data_dir is None


def test_context_rejects_a_missing_data_folder(tmp_path):
    with pytest.raises(ReportError, match="data folder not found"):
        context({ENV_PROJECT_DIR: str(tmp_path), ENV_DATA_DIR: "nowhere"})


def synthetic_notice(study):
    return Study(NS(study=study), NS(warnings=()), NS(settings={}, warnings=())).notice()


def test_synthetic_notice_only_for_synthetic_codebooks_with_the_note_escaped():
    notice = synthetic_notice(NS(synthetic=True, data_note="Made by a <b>generator</b>."))
    assert notice.startswith("::: {.callout-warning") and "synthetic cohort" in notice
    assert "Made by a \\<b\\>generator\\</b\\>\\." in notice
    assert synthetic_notice(NS(synthetic=False, data_note="")) == ""


# -- metadata --------------------------------------------------------------------------------


def test_authors_get_affiliation_numbers_in_order_of_first_use():
    meta = {
        "title": "T",
        "author": [{"name": "A", "orcid": "0000-0001", "affiliations": [{"ref": "b"}, {"ref": "a"}]},
                   {"name": "B", "affiliations": [{"ref": "a"}]}],
        "affiliations": [{"id": "a", "name": "Alpha"}, {"id": "b", "name": "Beta"}],
        "execute": {"echo": False},
    }
    frozen = copy.deepcopy(meta)
    out = normalise_metadata(meta)
    assert meta == frozen  # input not modified
    assert [a["marks"] for a in out["by-author"]] == ["1,2", "2"]
    assert [(a["id"], a["number"]) for a in out["by-affiliation"]] == [("b", "1"), ("a", "2")]
    assert out["by-author"][0]["orcid"] == "0000-0001" and "execute" not in out


def test_unknown_affiliation_reference_is_a_user_error():
    with pytest.raises(ReportError, match="unknown affiliation 'zz'"):
        normalise_metadata({"author": [{"name": "A", "affiliations": [{"ref": "zz"}]}]})


# -- AST rewriting ---------------------------------------------------------------------------


def _doc(blocks):
    return {"pandoc-api-version": [1, 23, 1, 1], "meta": {}, "blocks": blocks}


def _div(classes, blocks, ident="", kv=()):
    return {"t": "Div", "c": [[ident, classes, [list(p) for p in kv]], blocks]}


def _para(text):
    return {"t": "Para", "c": [{"t": "Str", "c": text}]}


def test_transform_does_not_modify_its_input():
    doc = _doc([_div(["content-visible"], [_para("x")], kv=[("when-format", "html")])])
    frozen = json.dumps(doc)
    transform(doc, "pdf", {})
    assert json.dumps(doc) == frozen


@pytest.mark.parametrize("fmt, kept", [("html", ["h", "not-pdf"]), ("pdf", ["p", "not-html"]),
                                       ("docx", ["not-html", "not-pdf"])])
def test_conditional_content_per_format(fmt, kept):
    doc = _doc([
        _div(["content-visible"], [_para("h")], kv=[("when-format", "html")]),
        _div(["content-visible"], [_para("p")], kv=[("when-format", "pdf")]),
        _div(["content-visible"], [_para("not-html")], kv=[("unless-format", "html")]),
        _div(["content-hidden"], [_para("not-pdf")], kv=[("when-format", "pdf")]),
    ])
    out = transform(doc, fmt, {})
    assert [b["c"][0]["c"] for b in out["blocks"]] == kept


def test_sections_are_numbered_like_pandoc_and_unnumbered_ones_skipped():
    def header(level, ident, classes=()):
        return {"t": "Header", "c": [level, [ident, list(classes), []], [{"t": "Str", "c": ident}]]}

    cite = {"t": "Cite", "c": [[{"citationId": "sec-b2", "citationPrefix": [], "citationSuffix": [],
                                 "citationMode": {"t": "AuthorInText"}, "citationNoteNum": 1, "citationHash": 0}],
                               [{"t": "Str", "c": "@sec-b2"}]]}
    doc = _doc([header(1, "abs", ["unnumbered"]), header(1, "sec-a"), header(1, "sec-b"), header(2, "sec-b1"),
                header(2, "sec-b2"), {"t": "Para", "c": [cite]}])
    link = transform(doc, "html", {})["blocks"][-1]["c"][0]
    assert link["t"] == "Link" and link["c"][2][0] == "#sec-b2"
    assert [i["c"] for i in link["c"][1] if i["t"] == "Str"] == ["Section", "2.2"]


def test_unknown_conditional_attribute_is_rejected():
    doc = _doc([_div(["content-visible"], [_para("x")], kv=[("when-meta", "draft")])])
    with pytest.raises(ReportError, match="unsupported condition 'when-meta'"):
        transform(doc, "html", {})


# -- source reading --------------------------------------------------------------------------


def test_includes_keep_their_origin_and_front_matter_merges_project_config(tmp_path):
    (tmp_path / "_quarto.yml").write_text("execute:\n  echo: false\ntoc: true\n")
    (tmp_path / "a.qmd").write_text("---\ntitle: T\ntoc: false\n---\nline one\n{{< include b/c.qmd >}}\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "c.qmd").write_text("inner\n```{python}\n#| label: x\n1\n```\n")
    doc = read_document(tmp_path / "a.qmd", tmp_path)
    assert doc.meta["title"] == "T" and doc.meta["toc"] is False and doc.meta["execute"] == {"echo": False}
    text = doc.segments[0]
    assert [(ln.origin.file, ln.origin.line) for ln in text.lines] == [("a.qmd", 5), ("b/c.qmd", 1)]
    (cell,) = doc.cells
    assert cell.label == "x" and cell.code == "1" and cell.code_origin.line == 4


def test_working_directory_and_environment_are_restored_after_execution(project):
    from imgshare.report import render_report

    cwd, env = os.getcwd(), dict(os.environ)
    render_report(project, formats="html", quiet=True)
    assert os.getcwd() == cwd and dict(os.environ) == env
