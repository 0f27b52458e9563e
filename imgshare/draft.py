"""Draft a codebook from what a survey file already says about itself.

Sources: an SPSS ``.sav`` or Stata ``.dta`` file (variable labels, value labels and SPSS
missing-value declarations) or a REDCap data dictionary (``.csv``: field names, types, choices,
labels and branching logic). The draft is a starting point for a researcher to edit:

- variables sharing one ordered set of 4-11 value labels become items on a named scale, with
  agree/neutral/disagree guessed from the labels and the scale's kind (agreement, frequency,
  satisfaction, ...) from its words; each scale's items form a domain (one chart each);
- codes that mean no substantive answer (declared missing in the file, or labelled "Don't know",
  "Not applicable", "Refused", "Prefer not to say", "No answer" at the end of the code range)
  are drafted under ``missing``, never as a level;
- other labelled variables become categorical, unlabelled numbers become numbers, strings text;
- demographics are never required (``required: false``), so the drafted exclusion rule
  (``missing_any: required``) only excludes respondents who left a Likert item blank;
- the data file is named relative to where the draft is written.

Everything guessed says so in the YAML header.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import DataError, Problem

__all__ = ["DraftField", "draft_codebook", "draft_from_fields", "short_label", "split_missing"]

_AGREE = re.compile(r"\b(agree|always|often|very likely|likely|satisfied|good|excellent|yes|important|accurate)\b",
                    re.I)
_NEUTRAL = re.compile(r"\b(neither|neutral|undecided|unsure|not sure|nor)\b", re.I)
#: Labels of codes that are answers but not substantive ones.
NONSUBSTANTIVE = re.compile(
    r"\b(don'?t know|do not know|dk|not applicable|n/?a|refused|refuse|prefer not|rather not|no answer|"
    r"not answered|missing|can'?t say|cannot say|don'?t remember|not stated|no opinion)\b", re.I)
_KINDS = [
    ("frequency", re.compile(r"\b(never|rarely|seldom|sometimes|often|always|frequently)\b", re.I)),
    ("satisfaction", re.compile(r"\bsatisf", re.I)),
    ("importance", re.compile(r"\bimportan", re.I)),
    ("likelihood", re.compile(r"\blikel", re.I)),
    ("accuracy", re.compile(r"\baccura", re.I)),
    ("agreement", re.compile(r"\bagree", re.I)),
]
_ID = re.compile(r"(?i)(response_?id|resp_?id|id|respondent(_id)?|record_id|participant_?id|subject_?id)")


@dataclass
class DraftField:
    """One column as a source describes it, before it is drafted as an item or a variable."""

    name: str
    label: str = ""
    kind: str = "number"  # "labelled" | "number" | "text"
    levels: list[tuple[int, str]] = field(default_factory=list)
    missing: list[tuple[int, str]] = field(default_factory=list)
    asked_if: dict[str, list[int]] = field(default_factory=dict)
    note: str = ""


def _slug(text: str) -> str:
    s = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    return s or "scale"


def short_label(text: str, limit: int = 40) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut.

    Examples
    --------
    >>> short_label("How often do you skip breaks to keep up with the work", 30)
    'How often do you skip breaks…'
    >>> short_label("Short enough")
    'Short enough'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit].rsplit(" ", 1)[0] if " " in text[: limit] else text[: limit - 1]
    return cut.rstrip(" ,;:.-–—") + "…"


def split_missing(levels: list[tuple[int, str]], declared: set[int] = frozenset()) -> tuple[list, list]:
    """(substantive levels, non-substantive codes): codes declared missing in the file, and codes
    whose label says "Don't know" (etc.) lying outside the range of the other codes.

    Examples
    --------
    >>> split_missing([(1, "Never"), (2, "Often"), (8, "Don't know"), (9, "no answer")])
    ([(1, 'Never'), (2, 'Often')], [(8, "Don't know"), (9, 'no answer')])
    """
    missing = [(c, lab) for c, lab in levels if c in declared]
    rest = [(c, lab) for c, lab in levels if c not in declared]
    if rest and all(NONSUBSTANTIVE.search(lab) for _, lab in rest):  # only "Refused": a number's code
        return [], sorted(missing + rest)
    changed = True
    while changed and len(rest) > 1:  # peel "Don't know"-like codes off either end of the code range
        changed = False
        for end in (rest[-1], rest[0]):
            if NONSUBSTANTIVE.search(end[1]) and end in rest and len(rest) > 1:
                rest.remove(end)
                missing.append(end)
                changed = True
    return rest, sorted(missing)


def _classify(levels: list[tuple[int, str]]) -> dict[str, list[int]]:
    """Guess the agree/neutral/disagree split: the middle level of an odd scale is neutral when its
    label says so or does not sound like agreement; otherwise the lower half disagrees."""
    n = len(levels)
    codes = [c for c, _ in levels]
    mid = n // 2
    if n % 2 == 1 and (_NEUTRAL.search(levels[mid][1]) or not _AGREE.search(levels[mid][1])):
        return {"disagree": codes[:mid], "neutral": [codes[mid]], "agree": codes[mid + 1:]}
    if n % 2 == 1:
        return {"disagree": codes[:mid], "agree": codes[mid:]}
    return {"disagree": codes[:mid], "agree": codes[mid:]}


def _kind(levels: list[tuple[int, str]]) -> str:
    text = " ".join(lab for _, lab in levels)
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "agreement"


def _short_labels(fields: list[DraftField], scale_of: dict) -> dict[str, str]:
    """Short chart labels of the items: each scale's shared opening words ("How often do you")
    dropped, then cut at a word boundary."""
    out = {}
    for sid in dict.fromkeys(s for s, _ in scale_of.values()):
        members = [f for f in fields if scale_of.get(f.name, ("",))[0] == sid]
        words = [(f.label or f.name).split() for f in members]
        common = 0
        while all(len(w) > common + 2 for w in words) and len({w[common].casefold() for w in words}) == 1:
            common += 1
        for f, w in zip(members, words):
            text = " ".join(w[common:]) if common >= 2 else " ".join(w)
            out[f.name] = short_label(text[:1].upper() + text[1:])
    return out


def _mapping(pairs: list[tuple[int, str]]) -> dict[int, str]:
    return {c: lab for c, lab in pairs}


def draft_from_fields(fields: list[DraftField], *, name: str, data_file: str, header_note: str = "",
                      answers: str | None = None) -> str:
    """The draft codebook (YAML text) for ``fields``, the columns of one questionnaire."""
    signatures: dict[tuple, list[DraftField]] = {}
    for f in fields:
        if f.kind == "labelled" and 4 <= len(f.levels) <= 11:
            signatures.setdefault(tuple(f.levels), []).append(f)
    scales, scale_of = {}, {}
    for sig, members in signatures.items():
        if len(members) < 2:
            continue
        sid = _slug(f"{sig[0][1]}_{len(sig)}")[:30]
        kind = _kind(list(sig))
        scale = {"label": f"{len(sig)}-point {kind}", "levels": _mapping(list(sig)), **_classify(list(sig))}
        if kind != "agreement":
            scale["kind"] = kind
        codes = [dict(m.missing) for m in members]
        shared = [(c, lab) for c, lab in members[0].missing if all(d.get(c) == lab for d in codes)]
        if shared:
            scale["missing"] = _mapping(shared)
        scales[sid] = scale
        for m in members:
            scale_of[m.name] = (sid, [p for p in m.missing if p not in shared])

    id_col = next((f.name for f in fields if _ID.fullmatch(f.name)), fields[0].name if fields else "id")
    shorts = _short_labels(fields, scale_of)
    # One domain per scale, so that the draft has a diverging chart of every scale's items.
    domains = {sid: {"label": f"Items answered {sc['levels'][min(sc['levels'])]} to "
                              f"{sc['levels'][max(sc['levels'])]}",
                     "items": [f.name for f in fields if scale_of.get(f.name, ("",))[0] == sid and f.name != id_col]}
               for sid, sc in scales.items()}
    items, variables = {}, {}
    for f in fields:
        if f.name == id_col:
            continue
        question = f.label or f.name
        if f.name in scale_of:
            sid, own = scale_of[f.name]
            items[f.name] = {"text": question, "short": shorts[f.name], "scale": sid}
            if own:
                items[f.name]["missing"] = _mapping(own)
            continue
        var: dict = {"type": "categorical" if f.kind == "labelled" and f.levels else
                     "text" if f.kind == "text" else "number", "question": question}
        if var["type"] == "categorical":
            var["levels"] = _mapping(f.levels)
        if f.missing and var["type"] != "text":
            var["missing"] = _mapping(f.missing)
        var["required"] = False  # a draft never excludes on demographics
        if f.asked_if:
            var["asked_if"] = f.asked_if
        if f.note:
            var["note"] = f.note
        variables[f.name] = var
    for var in variables.values():  # a condition on a column that is not a categorical variable cannot be kept
        for dep in list(var.get("asked_if", {})):
            if variables.get(dep, {}).get("type") != "categorical":
                del var["asked_if"][dep]
                var["note"] = (var.get("note", "") + f" Asked only if {dep} has a given answer (not drafted).").strip()
        if "asked_if" in var and not var["asked_if"]:
            del var["asked_if"]
    qid = _slug(name)
    questionnaire = {"label": name[:1].upper() + name[1:], "file": data_file, "id": id_col}
    if answers:
        questionnaire["answers"] = answers
    questionnaire.update({"items": list(items), "variables": variables})
    if items:
        questionnaire["exclusions"] = [{"id": "incomplete", "reason": "Item non-response",
                                        "missing_any": "required"}]
    doc = {"format": 1,
           "study": {"id": qid, "title": f"Draft codebook for {name}", "data": "real"},
           "scales": scales, "items": items, "domains": {d: v for d, v in domains.items() if v["items"]},
           "questionnaires": {qid: questionnaire}}
    header = ("# Draft codebook. Check every scale's agree/neutral/disagree split and its kind, the\n"
              "# non-substantive codes under `missing`, add domains, themes and comparisons, and mark\n"
              "# reverse-keyed items with `reverse: true`. See docs/codebook.md.\n" + header_note)
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def draft_codebook(path: Path | str, out: Path | str | None = None) -> str:
    """Return a draft codebook (YAML text) for the survey file at ``path``.

    Parameters
    ----------
    path : path-like
        An SPSS ``.sav``/``.zsav`` or Stata ``.dta`` data file, or a REDCap data dictionary
        (``.csv``).
    out : path-like, optional
        Where the draft will be written: the data file is named relative to its folder.
    """
    from ._draft_sources import fields_from_labelled, fields_from_redcap

    path = Path(path)
    if not path.exists():
        raise DataError(Problem(str(path), None, None, "file not found",
                                "an SPSS .sav, Stata .dta or REDCap data dictionary .csv to draft from"))
    base = Path(out).parent if out is not None else Path(".")
    suffix = path.suffix.lower()
    if suffix in (".sav", ".zsav", ".dta"):
        fields = fields_from_labelled(path)
        data_file = Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
        return draft_from_fields(fields, name=path.stem, data_file=data_file,
                                 header_note=f"# Drafted by `imgshare codebook --from {path.name}`.\n")
    if suffix == ".csv":
        fields, data_name = fields_from_redcap(path)
        data_file = Path(os.path.relpath((path.parent / data_name).resolve(), base.resolve())).as_posix()
        note = (f"# Drafted from the REDCap data dictionary {path.name}. Set questionnaires.*.file to your\n"
                "# REDCap data export (CSV, raw codes), e.g. the one named below.\n")
        return draft_from_fields(fields, name=_redcap_name(path.stem), data_file=data_file, header_note=note,
                                 answers="codes")
    raise DataError(Problem(path.name, None, None, f"cannot draft from a '{suffix}' file",
                            "an SPSS .sav, Stata .dta or REDCap data dictionary .csv"))


def _redcap_name(stem: str) -> str:
    return re.sub(r"(?i)_?data_?dictionary.*$", "", stem) or stem
