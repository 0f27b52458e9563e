"""Checking a calibration against the codebook it is meant to synthesise."""

from __future__ import annotations

from ..codebook import Codebook, Questionnaire
from ._calibration import Calibration, CalibrationError, QuestionnaireCalibration

__all__ = ["check_against_codebook", "resolve_items"]


def resolve_items(ref: str, codebook: Codebook, questionnaire: Questionnaire) -> tuple[str, ...] | None:
    """The questionnaire's items named by an item, theme or domain id (``None`` if unknown)."""
    asked = questionnaire.items
    if ref in codebook.items:
        return (ref,) if ref in asked else ()
    group = codebook.themes.get(ref) or codebook.domains.get(ref)
    if group is None:
        return None
    return tuple(i for i in group.items if i in asked)


def _check_counts(fail, path: str, counts: dict, codes: tuple[int, ...], total: int | None, required: bool) -> None:
    for code in counts:
        if code not in codes:
            fail(f"{path}.{code}", f"code {code} is not a level (levels: {', '.join(map(str, codes))})")
    if total is None:
        return
    n = sum(counts.values())
    if required and n != total:
        fail(path, f"counts sum to {n}, expected {total} (every analysed respondent asked answers it)")
    elif n > total:
        fail(path, f"counts sum to {n}, more than the {total} respondents asked")


def _check_questionnaire(fail, codebook: Codebook, q: Questionnaire, qc: QuestionnaireCalibration) -> None:
    path = f"questionnaires.{q.id}"
    if qc.excluded:
        if not any(e.missing_any == ("required",) for e in q.exclusions):
            fail(f"{path}.received", f"{qc.excluded} incomplete rows requested, but the codebook has no exclusion "
                                     "rule 'missing_any: required' that would remove them")
        elif not (any(codebook.items[i].required for i in q.items if i in codebook.items)
                  or any(v.required for v in q.variables.values())):
            fail(f"{path}.received", f"{qc.excluded} incomplete rows requested, but no question is required")
    for iid in q.items:
        if iid not in qc.items:
            fail(f"{path}.items.{iid}", "missing: every item needs its answer counts")
    for iid, counts in qc.items.items():
        if iid not in q.items:
            fail(f"{path}.items.{iid}", f"'{iid}' is not an item of questionnaire '{q.id}'")
            continue
        item = codebook.items[iid]
        _check_counts(fail, f"{path}.items.{iid}", counts, codebook.scale_of(iid).codes, qc.analysed, item.required)
    for vid, var in q.variables.items():
        vpath = f"{path}.variables.{vid}"
        kinds = {"categorical": qc.counts, "text": qc.text, "number": qc.numbers}
        for kind, specs in kinds.items():
            if vid in specs and kind != var.type:
                fail(vpath, f"'{vid}' is a {var.type} variable; this entry has the form for {kind} variables")
        if var.type == "categorical":
            if vid not in qc.counts:
                fail(vpath, "missing: every categorical variable needs its answer counts")
            else:
                total = None if var.asked_if else qc.analysed
                _check_counts(fail, vpath, qc.counts[vid], var.codes, total, var.required)
        elif var.type == "number" and var.required and vid not in qc.numbers:
            fail(vpath, "missing: a required number variable needs mean and sd")
        for dep in var.asked_if:
            dvar = q.variables.get(dep)
            if dvar is not None and dvar.type != "categorical":
                fail(vpath, f"asked_if on '{dep}', which is not categorical: cannot synthesise")
    for vid in [*qc.counts, *qc.text, *qc.numbers]:
        if vid not in q.variables:
            fail(f"{path}.variables.{vid}", f"'{vid}' is not a variable of questionnaire '{q.id}'")
    for vid, spec in qc.text.items():
        for dep, codes in spec.only_if.items():
            dvar = q.variables.get(dep)
            if dvar is None or dvar.type != "categorical":
                fail(f"{path}.variables.{vid}.only_if.{dep}", f"'{dep}' is not a categorical variable")
            else:
                for c in codes:
                    if c not in dvar.codes:
                        fail(f"{path}.variables.{vid}.only_if.{dep}", f"code {c} is not a level of '{dep}'")
    seen = set()
    for i, t in enumerate(qc.spearman):
        for ref in (t.a, t.b):
            if ref not in q.items:
                fail(f"{path}.spearman[{i}]", f"'{ref}' is not an item of questionnaire '{q.id}'")
        key = frozenset((t.a, t.b))
        if t.a == t.b:
            fail(f"{path}.spearman[{i}]", "an item cannot be paired with itself")
        elif key in seen:
            fail(f"{path}.spearman[{i}]", f"pair {t.a}-{t.b} is targeted twice")
        seen.add(key)
    for i, pair in enumerate(qc.latent_pairs):
        for ref in (pair.a, pair.b):
            if resolve_items(ref, codebook, q) is None:
                fail(f"{path}.latent.pairs[{i}]", f"'{ref}' is not an item, theme or domain")
    for i, e in enumerate(qc.effects):
        epath = f"{path}.effects[{i}]"
        var = q.variables.get(e.variable)
        if var is None or var.type != "categorical":
            fail(f"{epath}.variable", f"'{e.variable}' is not a categorical variable of questionnaire '{q.id}'")
        else:
            for code in e.shift:
                if code not in var.codes:
                    fail(f"{epath}.shift.{code}", f"code {code} is not a level of '{e.variable}'")
        for ref in e.targets:
            if resolve_items(ref, codebook, q) is None:
                fail(f"{epath}.items", f"'{ref}' is not an item, theme or domain")


def check_against_codebook(calibration: Calibration, codebook: Codebook) -> None:
    """Raise :class:`CalibrationError` listing every way ``calibration`` does not fit ``codebook``.

    Parameters
    ----------
    calibration : Calibration
        Targets, e.g. from :func:`load_calibration`.
    codebook : Codebook
        The study whose questionnaires are synthesised.
    """
    problems: list[tuple[str, str]] = []
    fail = lambda path, reason: problems.append((path, reason))  # noqa: E731
    if calibration.study and calibration.study != codebook.study.id:
        fail("study", f"calibration is for study '{calibration.study}', the codebook is '{codebook.study.id}'")
    for qid, q in codebook.questionnaires.items():
        if qid not in calibration.questionnaires:
            fail(f"questionnaires.{qid}", "missing: every questionnaire of the codebook needs targets")
        else:
            _check_questionnaire(fail, codebook, q, calibration.questionnaires[qid])
    for qid in calibration.questionnaires:
        if qid not in codebook.questionnaires:
            fail(f"questionnaires.{qid}", f"'{qid}' is not a questionnaire of the codebook")
    if problems:
        raise CalibrationError(calibration.source, problems)
