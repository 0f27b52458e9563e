"""Parsers of the codebook sections that describe what is measured: scales, items, domains
and themes, each with the checks of its references (an item's scale, a domain's or theme's
items, a theme's domain).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._model import WORDINGS, Domain, Item, Scale, Theme
from ._reader import CodebookReader
from ._words import SCALE_KINDS, WORD_KEYS

__all__ = ["parse_scale", "parse_item", "parse_domain", "parse_theme"]


def parse_scale(r: CodebookReader, sid: str, node: Any) -> Scale:
    path = f"scales.{sid}"
    node = r.mapping(node, path)
    r.keys(node, path, {"label", "levels", "agree", "neutral", "disagree", "missing", "kind", "words"},
           {"levels", "agree", "disagree"})
    levels = r.levels(node.get("levels"), f"{path}.levels") if "levels" in node else ()
    codes = {lv.code for lv in levels}
    missing = r.missing_codes(node.get("missing"), f"{path}.missing", levels)
    sets = {}
    for key in ("agree", "neutral", "disagree"):
        sets[key] = frozenset(r.code_list(node.get(key), f"{path}.{key}"))
        for c in sorted(sets[key] - codes) if levels else ():  # no knock-on lines when the levels failed
            hint = " (it is a non-substantive code, under missing)" if c in {lv.code for lv in missing} else ""
            r.fail(f"{path}.{key}", f"code {c} is not a level of the scale{hint}")
    for a, b in (("agree", "disagree"), ("agree", "neutral"), ("neutral", "disagree")):
        overlap = sets[a] & sets[b]
        if overlap:
            r.fail(path, f"{a} and {b} overlap (codes {sorted(overlap)}); each level belongs to one side")
    if levels and len(levels) % 2 == 0 and sets["neutral"]:
        r.fail(f"{path}.neutral", f"an even ({len(levels)}-point) scale has no neutral level")
    if levels and len(levels) < 2:
        r.fail(f"{path}.levels", "a scale needs at least two levels")
    unassigned = codes - sets["agree"] - sets["neutral"] - sets["disagree"]
    if levels and unassigned:
        r.fail(path, f"codes {sorted(unassigned)} are in none of agree, neutral, disagree")
    if levels and sets["agree"] and sets["disagree"]:
        order = [lv.code for lv in levels]
        pos = {c: order.index(c) for c in codes}
        known_d, known_a = sets["disagree"] & codes, sets["agree"] & codes
        if known_d and known_a and max(pos[c] for c in known_d) > min(pos[c] for c in known_a):
            r.fail(path, "disagree levels must come before agree levels in scale order")
    kind = r.choice(node, "kind", path, SCALE_KINDS, "agreement")
    words = _words(r, node.get("words"), f"{path}.words", kind)
    return Scale(sid, r.string(node, "label", path, sid), levels, sets["agree"], sets["neutral"], sets["disagree"],
                 missing, kind, words)


def _words(r: CodebookReader, node: Any, path: str, kind: str) -> tuple[tuple[str, str], ...]:
    words = r.mapping(node, path, required=False)
    r.keys(words, path, set(WORD_KEYS), {"positive", "negative"} if kind == "custom" else set())
    return tuple((str(k), r.string(words, k, path)) for k in WORD_KEYS if k in words)


def parse_item(r: CodebookReader, iid: str, node: Any, scales: Mapping[str, Scale]) -> Item:
    path = f"items.{iid}"
    node = r.mapping(node, path)
    r.keys(node, path, {"text", "short", "scale", "reverse", "required", "wording", "missing"}, {"text", "scale"})
    scale = r.string(node, "scale", path)
    if scale and scale not in scales:
        r.fail(f"{path}.scale", f"unknown scale '{scale}'")
    text = r.string(node, "text", path)
    known = scales.get(scale)
    missing = r.missing_codes(node.get("missing"), f"{path}.missing", known.levels + known.missing if known else ())
    return Item(
        id=iid,
        text=text,
        short=r.string(node, "short", path, text),
        scale=scale,
        reverse=r.boolean(node, "reverse", path, False),
        required=r.boolean(node, "required", path, True),
        wording=r.choice(node, "wording", path, WORDINGS, "published"),
        missing=missing,
    )


def parse_domain(r: CodebookReader, did: str, node: Any, items: Mapping[str, Item]) -> Domain:
    path = f"domains.{did}"
    node = r.mapping(node, path)
    r.keys(node, path, {"label", "items"}, {"items"})
    ditems = r.id_list(node.get("items"), f"{path}.items")
    for i, iid in enumerate(ditems):
        if iid not in items:
            r.fail(f"{path}.items[{i}]", f"unknown item '{iid}'")
    return Domain(did, r.string(node, "label", path, did), ditems)


def parse_theme(r: CodebookReader, tid: str, node: Any, items: Mapping[str, Item],
                domains: Mapping[str, Domain]) -> Theme:
    path = f"themes.{tid}"
    node = r.mapping(node, path)
    r.keys(node, path, {"label", "domain", "items"}, {"items"})
    titems = r.id_list(node.get("items"), f"{path}.items")
    for i, iid in enumerate(titems):
        if iid not in items:
            r.fail(f"{path}.items[{i}]", f"unknown item '{iid}'")
    scale_ids = {items[i].scale for i in titems if i in items}
    if len(scale_ids) > 1:
        r.fail(f"{path}.items", f"items of one theme must share a scale (found {', '.join(sorted(scale_ids))})")
    domain = node.get("domain")
    if domain is not None and str(domain) not in domains:
        r.fail(f"{path}.domain", f"unknown domain '{domain}'")
    return Theme(tid, r.string(node, "label", path, tid), None if domain is None else str(domain), titems)
