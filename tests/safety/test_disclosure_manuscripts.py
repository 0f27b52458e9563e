"""The rendered manuscripts under --min-cell 5 print no count that results.json withholds.

:mod:`test_disclosure_attack` attacks what ``imgshare analyse`` and ``imgshare figures`` publish
and checks the manuscript object's prose helpers one by one. This file checks the finished
documents a reader gets: the study manuscript and the generic manuscript of the second and third
surveys, rendered to HTML by ``imgshare report --min-cell 5`` (the PDF and DOCX are made from
the same assembled text). Every table cell's numbers must be published numbers (at the printed
decimals), and every count the prose prints ("n = X", "X respondents", "X (y%)", "reason: X")
must be published and not 1..K-1. Codebook wording (which may hold digits, "18–24") is
removed before the prose is read.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import attack  # noqa: E402
import surface  # noqa: E402
from test_disclosure_attack import DATASETS, _codebook_texts  # noqa: E402

K = 5
ROOT = Path(__file__).resolve().parents[2]


_CONFIDENCE = re.compile(r"95% (?:CI|confidence)")


# A count of 1 written in words (warnings in the data notes, reasons of tests that did not run).
_WORDS = re.compile(r"\b(?:a single|one|only one) (?:respondent|answer|response|case|pair)s?\b|\b1 complete", re.I)


class _Visible(HTMLParser):
    """Table cells and the running text outside tables, without scripts, styles and SVG."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.text: list[str] = []
        self._skip = 0
        self._tables = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self._skip += 1
        elif tag == "table":
            self._tables += 1
        elif tag in ("td", "th") and self._tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self._skip -= 1
        elif tag == "table":
            self._tables -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif not self._tables:
            self.text.append(data)


def manuscript_problems(html: str, allowed: set[str], codebook, k: int) -> list[str]:
    """What a rendered manuscript prints that the protected results do not publish."""
    seen = _Visible()
    seen.feed(html)
    problems = []
    for cell in seen.cells:
        cell = _CONFIDENCE.sub("", cell)
        for n, marker, _ in surface.numbers(cell):
            if marker:
                if n != str(k) and "." not in n:  # "<0.001" is a p-value
                    problems.append(f"cell '{cell}' marks a small count with {n}")
            elif n not in allowed:
                problems.append(f"cell '{cell}': {n} is not published")
    text = " ".join(" ".join(seen.text).split())
    for label in _codebook_texts(codebook):
        text = text.replace(" ".join(label.split()), " ")
    problems += [f"prose: '{m.group(0)}' states a count below {k} in words" for m in _WORDS.finditer(text)]
    return problems + surface.prose_problems("prose", text, allowed, k)


@pytest.fixture(scope="module", params=list(DATASETS))
def rendered(request, tmp_path_factory):
    from imgshare.cli import main
    from imgshare.codebook import load_codebook
    from imgshare.report import render_report

    path = DATASETS[request.param]
    out = tmp_path_factory.mktemp(f"{request.param}_manuscript")
    assert main(["analyse", "--codebook", str(path), "--min-cell", str(K), "--out", str(out / "analysis")]) == 0
    project = ROOT if request.param == "study" else None
    result = render_report(project, out_dir=out / "report", formats=("html",), quiet=True, engine="builtin",
                           use_cache=False, min_cell=K, codebook_path=None if project else path)
    return {"name": request.param, "html": result.outputs["html"].read_text(encoding="utf-8"),
            "allowed": surface.allowed(attack.load_frames(out / "analysis" / "results.json")),
            "codebook": load_codebook(path)}


def test_rendered_manuscript_prints_only_published_numbers_and_no_small_count(rendered):
    problems = manuscript_problems(rendered["html"], rendered["allowed"], rendered["codebook"], K)
    assert problems == [], f"{rendered['name']}:\n" + "\n".join(problems[:30])


def test_rendered_manuscript_marks_what_it_withholds(rendered):
    text = " ".join(rendered["html"].split())
    assert f"&lt;{K}" in text or "–" in text


def test_the_check_finds_the_counts_of_an_unprotected_manuscript(tmp_path):
    # The same check on the second survey's manuscript rendered without --min-cell finds what it prints.
    from imgshare.cli import main
    from imgshare.codebook import load_codebook
    from imgshare.report import render_report

    path = DATASETS["second_survey"]
    assert main(["analyse", "--codebook", str(path), "--min-cell", str(K), "--out", str(tmp_path / "analysis")]) == 0
    allowed = surface.allowed(attack.load_frames(tmp_path / "analysis" / "results.json"))
    result = render_report(None, out_dir=tmp_path / "report", formats=("html",), quiet=True, engine="builtin",
                           use_cache=False, codebook_path=path)
    problems = manuscript_problems(result.outputs["html"].read_text(encoding="utf-8"), allowed,
                                   load_codebook(path), K)
    assert any(p.startswith("prose") for p in problems) and any(p.startswith("cell") for p in problems), problems[:10]
