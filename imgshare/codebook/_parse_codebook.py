"""Assembling a :class:`Codebook` from a parsed YAML mapping: the root keys, the ``study``
metadata, each section in dependency order (scales, items, domains, themes, questionnaires,
comparisons) and the checks across questionnaires; every problem is collected before raising.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._keypath import describe
from ..errors import CodebookError
from ._model import DEFAULT_MAX_EXCLUDED_SHARE, DEFAULT_MIN_ANSWERED, Analysis, Codebook, Study
from ._parse_comparisons import parse_comparison
from ._parse_measures import parse_domain, parse_item, parse_scale, parse_theme
from ._parse_questionnaires import parse_questionnaire
from ._reader import CodebookReader
from ._rules import check_ids, check_required_texts

__all__ = ["parse_codebook"]


def parse_codebook(data: Any, source: str = "codebook.yml", base_dir: Path | str = ".") -> Codebook:
    """Build a :class:`Codebook` from a parsed YAML mapping, or raise :class:`CodebookError`."""
    r = CodebookReader()
    root = r.mapping(data, "")
    if r.problems:
        raise CodebookError(source, r.problems)
    r.keys(root, "", {"format", "study", "scales", "items", "domains", "themes", "questionnaires", "comparisons",
                      "analysis"},
           {"scales", "items", "questionnaires"})
    check_ids(r, root)
    check_required_texts(r, root)
    if root.get("format", 1) != 1:
        r.fail("format", f"unsupported codebook format {describe(root.get('format'))} (this imgshare reads format 1)")

    snode = r.mapping(root.get("study"), "study", required=False)
    r.keys(snode, "study", {"id", "title", "citation", "data", "data_note", "registration"})
    data_kind = r.string(snode, "data", "study", "real")
    if data_kind not in ("real", "synthetic"):
        r.fail("study.data", f"expected 'real' or 'synthetic', found '{data_kind}'")
    study = Study(
        id=r.string(snode, "id", "study", "study"),
        title=r.string(snode, "title", "study", "Untitled study"),
        citation=r.string(snode, "citation", "study", ""),
        data=data_kind,
        data_note=r.string(snode, "data_note", "study", ""),
        registration=r.string(snode, "registration", "study", ""),
    )

    anode = r.mapping(root.get("analysis"), "analysis", required=False)
    r.keys(anode, "analysis", {"min_answered", "max_excluded_share"})
    analysis = Analysis(min_answered=r.share(anode, "min_answered", "analysis", DEFAULT_MIN_ANSWERED),
                        max_excluded_share=r.share(anode, "max_excluded_share", "analysis",
                                                   DEFAULT_MAX_EXCLUDED_SHARE, zero=True))

    scales = {str(k): parse_scale(r, str(k), v) for k, v in r.mapping(root.get("scales"), "scales").items()}
    items = {str(k): parse_item(r, str(k), v, scales) for k, v in r.mapping(root.get("items"), "items").items()}

    domains = {
        str(k): parse_domain(r, str(k), v, items)
        for k, v in r.mapping(root.get("domains"), "domains", required=False).items()
    }
    themes = {
        str(k): parse_theme(r, str(k), v, items, domains)
        for k, v in r.mapping(root.get("themes"), "themes", required=False).items()
    }

    questionnaires = {
        str(k): parse_questionnaire(r, str(k), v, items)
        for k, v in r.mapping(root.get("questionnaires"), "questionnaires").items()
    }
    if not questionnaires and "questionnaires" in root:
        r.fail("questionnaires", "at least one questionnaire is required")
    files = [q.file for q in questionnaires.values()]
    for qid, q in questionnaires.items():
        if q.file and files.count(q.file) > 1:
            r.fail(f"questionnaires.{qid}.file", f"file '{q.file}' is used by more than one questionnaire")

    cb = {"questionnaires": questionnaires, "items": items, "themes": themes}
    comparisons = {
        str(k): parse_comparison(r, str(k), v, cb)
        for k, v in r.mapping(root.get("comparisons"), "comparisons", required=False).items()
    }
    if r.problems:
        raise CodebookError(source, r.problems)
    return Codebook(study, scales, items, domains, themes, questionnaires, comparisons, source, Path(base_dir),
                    analysis)
