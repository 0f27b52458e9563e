"""The manuscripts hold prose and calls only: every computation, escape and disclosure rule is the package's.

Checked on the study manuscript (report.qmd and sections/*.qmd) and on the packaged generic one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from imgshare.report import GENERIC_PROJECT
from imgshare.report._source import INLINE_RE, Cell, Text, read_document

REPO = Path(__file__).resolve().parents[2]
MAX_CELL_LINES = 12

#: Names a document's code may use: the manuscript object, the questionnaire shorthands and the
#: names documents bind from its answers (e.g. ``top = study.largest(...)``).
_PANDAS_ATTRS = {"value_counts", "isin", "idxmax", "groupby", "loc", "iloc", "dropna", "sum", "mean",
                 "query", "merge", "apply", "sort_values", "unique"}


def documents():
    return [pytest.param(read_document(REPO / "report.qmd", REPO), id="study"),
            pytest.param(read_document(GENERIC_PROJECT / "report.qmd", GENERIC_PROJECT), id="generic")]


def code_of(doc):
    """(where, code) for every cell and inline expression of a document."""
    for seg in doc.segments:
        if isinstance(seg, Cell):
            yield f"{seg.origin.file}:{seg.origin.line}", seg.code
        elif isinstance(seg, Text):
            for ln in seg.lines:
                for m in INLINE_RE.finditer(ln.text):
                    yield f"{ln.origin.file}:{ln.origin.line}", m["expr"]


@pytest.mark.parametrize("doc", documents())
def test_no_cell_defines_a_function_a_class_or_a_lambda(doc):
    found = [where for where, code in code_of(doc)
             for node in ast.walk(ast.parse(code))
             if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
    assert found == []


@pytest.mark.parametrize("doc", documents())
def test_no_cell_loops_branches_or_comprehends(doc):
    kinds = (ast.For, ast.While, ast.If, ast.IfExp, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)
    found = [where for where, code in code_of(doc) for node in ast.walk(ast.parse(code)) if isinstance(node, kinds)]
    assert found == []


@pytest.mark.parametrize("doc", documents())
def test_cells_import_only_the_manuscript_object(doc):
    imports = {alias.name for _, code in code_of(doc) for node in ast.walk(ast.parse(code))
               if isinstance(node, (ast.Import, ast.ImportFrom))
               for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])}
    assert imports == {"imgshare.report"}


@pytest.mark.parametrize("doc", documents())
def test_no_pandas_on_responses_or_results_in_the_documents(doc):
    found = [f"{where}: {code.strip()}" for where, code in code_of(doc)
             for node in ast.walk(ast.parse(code))
             if (isinstance(node, ast.Attribute) and node.attr in _PANDAS_ATTRS)
             or (isinstance(node, ast.Name) and node.id in {"responses", "results", "cohort", "codebook", "pd"})]
    assert found == []


@pytest.mark.parametrize("doc", documents())
def test_every_cell_is_short(doc):
    long = [f"{seg.origin.file}:{seg.origin.line}" for seg in doc.segments
            if isinstance(seg, Cell) and len([ln for ln in seg.code.splitlines() if ln.strip()]) > MAX_CELL_LINES]
    assert long == []


@pytest.mark.parametrize("doc", documents())
def test_every_inline_expression_asks_the_manuscript_object(doc):
    inline = [(where, code) for where, code in code_of(doc) if "\n" not in code and not code.startswith("#")]
    strays = [f"{where}: {code}" for where, code in inline
              if not any(isinstance(n, ast.Name) and n.id in {"study", "top"} for n in ast.walk(ast.parse(code)))]
    assert strays == []
