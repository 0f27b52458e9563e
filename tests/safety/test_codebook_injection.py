"""Codebook text is never markup: hostile labels render as text in the study and the generic manuscript.

Every kind of codebook string the manuscripts print (the data note, questionnaire labels, questions,
level labels, scale level labels, statements, domain, theme and comparison labels, exclusion
reasons) carries one of the payloads below. The rendered files themselves are checked: no element,
attribute, link or image in the HTML came from the codebook, the DOCX has no link or image it did
not make, and the PDF prints the payloads as written.
"""

from __future__ import annotations

import itertools
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from report.reportdocs import REPO, pdf_text

from imgshare.report import render_report

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[click](javascript:alert(3))",
    "`<b>bold</b>`{=html}",
    "![leak](/etc/hostname)",
    "{{< include /etc/hostname >}}",
    "`#panic(\"x\")`{=typst}",
    "@sec-methods [@cox2020] <x@y.z>",
)
#: Labels the study manuscript looks levels up by (its prose asks for "Yes", "Clinical", ...).
LOOKED_UP = {"had_imaging", "saw_images", "want_to_see", "role", "expert_patient"}


def hostile_codebook(source: Path) -> dict:
    cb = yaml.safe_load(source.read_text(encoding="utf-8"))
    payload = itertools.cycle(PAYLOADS)
    cb["study"]["data_note"] = " ".join(PAYLOADS)
    for scale in cb["scales"].values():
        scale["levels"] = {code: f"{label} {next(payload)}" for code, label in scale["levels"].items()}
    for item in cb["items"].values():
        item["text"] = f"{item['text']} {next(payload)}"
        item["short"] = f"{item['short']} {next(payload)}"
    for section in ("domains", "themes", "comparisons"):
        for entry in cb[section].values():
            entry["label"] = f"{entry['label']} {next(payload)}"
    for q in cb["questionnaires"].values():
        q["label"] = f"{q['label']} {next(payload)}"
        for ex in q.get("exclusions", []):
            ex["reason"] = f"{ex['reason']} {next(payload)}"
        for vid, var in q["variables"].items():
            var["question"] = f"{var['question']} {next(payload)}"
            if var.get("levels") and vid not in LOOKED_UP:
                var["levels"] = {code: f"{label} {next(payload)}" for code, label in var["levels"].items()}
    return cb


@pytest.fixture(scope="module")
def renders(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """The study manuscript (a copy of the project with a hostile codebook) and the generic one."""
    root = tmp_path_factory.mktemp("injection")
    project = root / "study"
    project.mkdir()
    for name in ("_quarto.yml", "report.qmd", "supplement.qmd", "references.bib", "bmj.csl"):
        shutil.copy(REPO / name, project / name)
    for folder in ("sections", "_extensions", "data"):
        shutil.copytree(REPO / folder, project / folder)
    codebook = project / "data" / "codebook.yml"
    codebook.write_text(yaml.safe_dump(hostile_codebook(REPO / "data" / "codebook.yml"), allow_unicode=True,
                                       sort_keys=False), encoding="utf-8")
    study = render_report(project, quiet=True, use_cache=False)
    generic = render_report(None, root / "generic-out", codebook_path=codebook, quiet=True)
    return {"study": dict(study.outputs), "supplement": dict(study.documents["supplement"]),
            "generic": dict(generic.outputs)}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


DOCUMENTS = ("study", "supplement", "generic")
BIBLIOGRAPHY = (REPO / "references.bib").read_text(encoding="utf-8")


def made_by_the_manuscript(url: str) -> bool:
    """Links the manuscript makes itself: internal anchors, embedded figures, the authors' ORCID iDs
    and e-mail, and the references' URLs and DOIs (from references.bib)."""
    if url.startswith(("#", "data:image/", "https://orcid.org/", "mailto:w.cox15@")):
        return True
    doi = url.removeprefix("https://doi.org/")
    return url in BIBLIOGRAPHY or (doi != url and doi.lower() in BIBLIOGRAPHY.lower())


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_no_element_attribute_or_url_in_the_html_comes_from_the_codebook(renders, doc):
    page = renders[doc]["html"].read_text(encoding="utf-8")
    parser = _Elements()
    parser.feed(page)
    tags = parser.tags
    assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed", "b")]
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    urls = [v for _, a in tags for k, v in a.items() if k in ("href", "src") and v]
    assert not [u for u in urls if re.match(r"\s*javascript:", u, re.I)]
    assert [u for u in urls if not made_by_the_manuscript(u)] == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_the_docx_has_no_link_or_image_it_did_not_make(renders, doc):
    with zipfile.ZipFile(renders[doc]["docx"]) as z:
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        xml = z.read("word/document.xml").decode("utf-8")
    assert "javascript:" not in rels and "/etc/hostname" not in rels
    external = re.findall(r'Target="([^"]+)"[^>]*TargetMode="External"', rels)
    assert [t for t in external if not made_by_the_manuscript(t)] == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_the_pdf_prints_the_payloads_as_written(renders, doc):
    text = pdf_text(renders[doc]["pdf"])
    for payload in ("<script>alert(1)</script>", "{{< include /etc/hostname >}}", "[click](javascript:alert(3))"):
        assert payload in text, payload
