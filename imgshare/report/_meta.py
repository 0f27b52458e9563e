"""Front matter -> the metadata the templates read.

Quarto normalises ``author`` / ``affiliations`` into ``by-author`` / ``by-affiliation``; the
Typst partials in ``_extensions/`` read those, so the built-in engine builds the same shape
(plus ``marks`` and ``number`` for affiliation superscripts, which the HTML template uses).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._errors import ReportError

__all__ = ["normalise_metadata", "DROP_KEYS"]

#: Quarto/project keys that mean nothing to pandoc's writers (options the engine applies itself).
DROP_KEYS = ("format", "execute", "project", "author", "affiliations", "bibliography", "csl",
             "number-sections", "toc", "toc-depth", "jupyter", "engine", "filters", "crossref", "imgshare",
             "html-table-processing")


def _affiliations(meta: Mapping, source: str) -> list[dict]:
    raw = meta.get("affiliations") or []
    if not isinstance(raw, list):
        raise ReportError("front matter 'affiliations' must be a list", source)
    out = []
    for i, a in enumerate(raw):
        if isinstance(a, str):
            a = {"name": a}
        if not isinstance(a, Mapping) or "name" not in a:
            raise ReportError(f"front matter affiliations[{i}] needs a name", source)
        entry = {k: str(v) for k, v in a.items() if v is not None}
        entry.setdefault("id", f"aff-{i + 1}")
        out.append(entry)
    return out


def normalise_metadata(meta: Mapping[str, Any], source: str = "report.qmd") -> dict:
    """Return pandoc metadata with ``by-author``/``by-affiliation`` built from Quarto's author schema.

    Authors may be plain strings or mappings with ``name``, ``orcid``, ``email``,
    ``corresponding`` and ``affiliations`` (a list of ``ref: id`` or inline affiliations).
    """
    affs = _affiliations(meta, source)
    by_id = {a["id"]: a for a in affs}
    authors_raw = meta.get("author") or []
    if isinstance(authors_raw, (str, Mapping)):
        authors_raw = [authors_raw]
    used: list[str] = []
    authors = []
    for i, a in enumerate(authors_raw):
        if isinstance(a, str):
            a = {"name": a}
        if not isinstance(a, Mapping) or "name" not in a:
            raise ReportError(f"front matter author[{i}] needs a name", source)
        name = a["name"]
        literal = name.get("literal") if isinstance(name, Mapping) else str(name)
        own = []
        for j, ref in enumerate(a.get("affiliations") or []):
            if isinstance(ref, Mapping) and "ref" in ref:
                if ref["ref"] not in by_id:
                    raise ReportError(f"author '{literal}' refers to unknown affiliation '{ref['ref']}'", source)
                own.append(by_id[ref["ref"]])
            else:
                inline = ({"name": str(ref)} if isinstance(ref, str)
                          else {k: str(v) for k, v in ref.items()})
                inline.setdefault("id", f"aff-{len(affs) + 1}")
                affs.append(inline)
                by_id[inline["id"]] = inline
                own.append(inline)
        for aff in own:
            if aff["id"] not in used:
                used.append(aff["id"])
        entry = {"name": {"literal": literal}, "affiliations": own}
        for key in ("orcid", "email", "url"):
            if a.get(key):
                entry[key] = str(a[key])
        if a.get("corresponding"):
            entry["attributes"] = {"corresponding": True}
        authors.append(entry)
    numbers = {aid: n + 1 for n, aid in enumerate(used)}
    by_affiliation = []
    for aid in used:
        aff = dict(by_id[aid], number=str(numbers[aid]))
        by_affiliation.append(aff)
    for entry in authors:
        entry["marks"] = ",".join(str(numbers[a["id"]]) for a in entry["affiliations"])
        entry["affiliations"] = [dict(a, number=str(numbers[a["id"]])) for a in entry["affiliations"]]
    out = {k: v for k, v in meta.items() if k not in DROP_KEYS}
    if authors:
        out["by-author"] = authors
        out["by-affiliation"] = by_affiliation
    return out
