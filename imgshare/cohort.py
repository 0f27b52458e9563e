"""The analysed cohort and its participant flow.

:func:`build_cohort` loads every questionnaire, applies the codebook's exclusion rules in order
(the first rule a respondent meets is the recorded reason) and accounts for every received row:
``received = sum(excluded by reason) + analysed``, checked on every run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ._progress import announce
from .codebook import Codebook, Exclusion, Questionnaire
from .errors import DataError, Problem
from .loading import LoadedQuestionnaire, load_questionnaire

__all__ = ["Cohort", "build_cohort", "apply_exclusions", "required_columns", "flow_table", "data_warnings",
           "exclusion_warnings"]


@dataclass(frozen=True)
class Cohort:
    """Analysed respondents per questionnaire, the excluded rows and the participant flow.

    ``responses[q]`` is indexed by respondent id, columns are the questionnaire's items then its
    variables (raw codes as nullable Int64; text as string; numbers as Float64).
    ``excluded[q]`` has the same columns plus ``row`` (spreadsheet row) and ``reason``.
    ``flow`` has columns questionnaire, stage ('received' | 'excluded' | 'analysed'), reason, n.
    ``nonsubstantive[q]`` holds the analysed respondents' non-substantive answers (codes declared
    under ``missing``; missing in ``responses``): same index, one Int64 column per column with
    declared codes (absent when the questionnaire declares none).
    """

    codebook: Codebook
    responses: Mapping[str, pd.DataFrame]
    excluded: Mapping[str, pd.DataFrame]
    flow: pd.DataFrame
    files: Mapping[str, Path]
    warnings: tuple[str, ...]
    nonsubstantive: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return self.codebook.study.synthetic


def required_columns(q: Questionnaire, codebook: Codebook) -> tuple[str, ...]:
    """Columns whose non-response counts as item non-response (``missing_any: required``)."""
    items = [i for i in q.items if codebook.items[i].required]
    variables = [v for v, var in q.variables.items() if var.required]
    return tuple(items + variables)


def _asked(q: Questionnaire, frame: pd.DataFrame, column: str) -> np.ndarray:
    """Whether each respondent was asked ``column`` (skip logic from ``asked_if``)."""
    asked = np.ones(len(frame), dtype=bool)
    var = q.variables.get(column)
    if var is not None:
        for dep, codes in var.asked_if.items():
            asked &= frame[dep].isin(codes).fillna(False).to_numpy(dtype=bool)
    return asked


def _given(codes: pd.DataFrame | None, column: str, wanted: tuple[int, ...] | None, n: int) -> np.ndarray:
    """Respondents whose non-substantive answer to ``column`` is one of ``wanted`` (None: any)."""
    if codes is None or column not in codes.columns:
        return np.zeros(n, dtype=bool)
    given = codes[column]
    hit = given.notna() if wanted is None else given.isin(wanted)
    return hit.fillna(False).to_numpy(dtype=bool)


def _rule_matches(rule: Exclusion, q: Questionnaire, codebook: Codebook, frame: pd.DataFrame,
                  codes: pd.DataFrame | None = None) -> np.ndarray:
    """A blank counts as non-response; a non-substantive code only when the rule lists it (``codes``)."""
    n = len(frame)
    hit = np.zeros(n, dtype=bool)
    columns = required_columns(q, codebook) if rule.missing_any == ("required",) else rule.missing_any
    counted = None if rule.all_codes else rule.codes
    for col in columns:
        blank = frame[col].isna().to_numpy(dtype=bool) & ~_given(codes, col, None, n)
        if counted is None or counted:
            blank |= _given(codes, col, counted, n)
        hit |= blank & _asked(q, frame, col)
    for var, wanted in rule.when.items():
        hit |= frame[var].isin(wanted).fillna(False).to_numpy(dtype=bool) | _given(codes, var, wanted, n)
    return hit


def apply_exclusions(loaded: LoadedQuestionnaire, codebook: Codebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split received rows into (analysed, excluded); excluded rows carry ``row`` and ``reason``."""
    keep, reason = _exclusion_reasons(loaded, codebook)
    return _rows(loaded.frame, keep), _excluded(loaded, keep, reason)


def _exclusion_reasons(loaded: LoadedQuestionnaire, codebook: Codebook) -> tuple[np.ndarray, list[str]]:
    """Which received rows are analysed, and each row's reason (the first rule it meets; '' if none)."""
    q = loaded.questionnaire
    frame = loaded.frame
    rule_of = np.full(len(frame), -1, dtype=np.int16)  # index of the first rule a row meets
    for k, rule in enumerate(q.exclusions):
        hit = _rule_matches(rule, q, codebook, frame, loaded.nonsubstantive) & (rule_of < 0)
        rule_of[hit] = k
    keep = rule_of < 0
    reasons = [rule.reason for rule in q.exclusions]
    return keep, [reasons[k] for k in rule_of[~keep].tolist()]


def _rows(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The rows of ``frame`` where ``keep`` holds, as a new frame; the data are not copied when
    every row is kept (frames are never modified in place, and pandas copies on write)."""
    return frame.copy(deep=False) if keep.all() else frame.loc[keep]


def _excluded(loaded: LoadedQuestionnaire, keep: np.ndarray, reason: list[str]) -> pd.DataFrame:
    # A new frame of its own (columns are added below); no row taken when none is excluded.
    excluded = (loaded.frame.iloc[:0] if keep.all() else loaded.frame.loc[~keep]).copy(deep=False)
    excluded.insert(0, "row", loaded.rows[~keep])
    excluded["reason"] = np.asarray(reason, dtype=object).astype(str)
    return excluded


def flow_table(codebook: Codebook, received: Mapping[str, int], excluded: Mapping[str, pd.DataFrame],
               analysed: Mapping[str, int]) -> pd.DataFrame:
    """Participant flow: one row per questionnaire and stage, excluded split by reason (zero rows kept)."""
    records = []
    for qid, q in codebook.questionnaires.items():
        records.append((qid, "received", "", received[qid]))
        counts = excluded[qid]["reason"].value_counts()
        reasons = list(dict.fromkeys(r.reason for r in q.exclusions))
        for r in reasons:
            records.append((qid, "excluded", r, int(counts.get(r, 0))))
        records.append((qid, "analysed", "", analysed[qid]))
    return pd.DataFrame(records, columns=["questionnaire", "stage", "reason", "n"]).astype({"n": "int64"})


def _check_flow(flow: pd.DataFrame, codebook: Codebook) -> None:
    for qid, part in flow.groupby("questionnaire", sort=False):
        received = int(part.loc[part.stage == "received", "n"].sum())
        accounted = int(part.loc[part.stage != "received", "n"].sum())
        if received != accounted:
            raise DataError(Problem(codebook.questionnaires[qid].file, None, None,
                                    f"{received} rows received but {accounted} accounted for",
                                    "received = excluded (by reason) + analysed; refusing to analyse"))


def build_cohort(codebook: Codebook, data_dir: Path | str | None = None, encoding: str | None = None) -> Cohort:
    """Load, validate and apply exclusions for every questionnaire of the codebook.

    Raises
    ------
    DataError
        Any file problem (all of them, one line each), a flow that does not add up, or a
        questionnaire whose every respondent is excluded.
    """
    data_dir = Path(data_dir) if data_dir is not None else None
    problems: list[Problem] = []
    omitted = 0
    loaded: dict[str, LoadedQuestionnaire] = {}
    for qid in codebook.questionnaires:
        announce("load", f"{codebook.questionnaires[qid].file}")
        try:
            loaded[qid] = load_questionnaire(codebook, qid, data_dir, encoding)
        except DataError as exc:
            problems.extend(exc.problems)
            omitted += exc.omitted
    if problems:
        raise DataError(problems, omitted=omitted)

    responses, excluded, received, analysed, warnings, nonsubstantive = {}, {}, {}, {}, [], {}
    for qid, lq in loaded.items():
        keep, reason = _exclusion_reasons(lq, codebook)
        kept, dropped = _rows(lq.frame, keep), _excluded(lq, keep, reason)
        responses[qid], excluded[qid] = kept, dropped
        if lq.nonsubstantive is not None and len(lq.nonsubstantive.columns):
            nonsubstantive[qid] = _rows(lq.nonsubstantive, keep)  # same rows, same order as ``kept``
        received[qid], analysed[qid] = len(lq.frame), len(kept)
        warnings.extend(lq.warnings)
        if len(kept) == 0:
            reasons = ", ".join(f"{r}: {n}" for r, n in dropped["reason"].value_counts().items())
            problems.append(Problem(lq.path.name, None, None,
                                    f"every one of the {len(lq.frame)} respondents is excluded ({reasons})",
                                    "at least one respondent left to analyse; check the exclusion rules"))
    if problems:
        raise DataError(problems)
    flow = flow_table(codebook, received, excluded, analysed)
    _check_flow(flow, codebook)
    warnings.extend(exclusion_warnings(codebook, flow))
    warnings.extend(data_warnings(codebook, responses))
    files = {qid: lq.path for qid, lq in loaded.items()}
    return Cohort(codebook, responses, excluded, flow, files, tuple(warnings), nonsubstantive)


def exclusion_warnings(codebook: Codebook, flow: pd.DataFrame) -> list[str]:
    """An exclusion rule removing more than ``analysis.max_excluded_share`` of a questionnaire's
    responses is said out loud: such a rule usually catches a column that is blank by design."""
    limit = codebook.analysis.max_excluded_share
    out = []
    for qid, q in codebook.questionnaires.items():
        part = flow[flow["questionnaire"] == qid]
        received = int(part.loc[part["stage"] == "received", "n"].sum())
        rules = {rule.reason: rule for rule in reversed(q.exclusions)}  # the first rule with each reason
        for reason, rule in reversed(list(rules.items())):
            n = int(part.loc[(part["stage"] == "excluded") & (part["reason"] == reason), "n"].sum())
            if received and n / received > limit:
                out.append(f"{q.label}: exclusion rule '{rule.id}' ({rule.reason}) removes {n} of {received} "
                           f"responses ({100 * n / received:.0f}%), more than analysis.max_excluded_share "
                           f"({100 * limit:g}%); check that it names only columns every respondent must answer "
                           "(optional variables need required: false)")
    return out


def data_warnings(codebook: Codebook, responses: Mapping[str, pd.DataFrame]) -> list[str]:
    """Conditions that leave the data analysable but limit some results; the report states them."""
    out = []
    for qid, frame in responses.items():
        q = codebook.questionnaires[qid]
        for iid in q.items:
            # One answer only: the smallest answer is also the largest (missing values skipped).
            low, high = _answer_range(frame[iid])
            if low is not None and low == high:
                label = codebook.scale_of(iid).label_of(int(low))
                out.append(f"{q.label}: every respondent who answered item {iid} chose '{label}'; "
                           "its correlations and alpha are undefined there")
    for cid, comp in codebook.comparisons.items():
        if comp.between == "questionnaires":
            sizes = {codebook.questionnaires[g].label: len(responses[g]) for g in comp.groups}
        else:
            var = codebook.questionnaires[comp.questionnaire].variables[comp.by]
            counts = responses[comp.questionnaire][comp.by].value_counts()
            codes = comp.levels or tuple(c for c in var.codes if c not in var.missing_levels)
            sizes = {var.label_of(c): int(counts.get(c, 0)) for c in codes}
        for group, n in sizes.items():
            if n < 2:
                what = "no respondents" if n == 0 else "a single respondent"
                out.append(f"comparison {cid} ({comp.label}): group '{group}' has {what}; "
                           + ("it is left out of the test" if n == 0 else "its mean rank rests on one answer"))
    return out


def _answer_range(column: pd.Series) -> tuple[float | None, float | None]:
    """Smallest and largest answer of a column (None, None when nobody answered)."""
    array = column.array
    if isinstance(array, pd.arrays.IntegerArray):
        # The masked array's own buffers, reduced where answered: no copy of the answers.
        answered = ~array._mask
        if not answered.any():
            return None, None
        data = array._data
        bounds = np.iinfo(data.dtype)
        return (int(np.min(data, where=answered, initial=bounds.max)),
                int(np.max(data, where=answered, initial=bounds.min)))
    low, high = column.min(), column.max()
    return (None, None) if pd.isna(low) else (low, high)
