"""Assembling synthetic questionnaire rows: analysed respondents, drop-outs, comments, ids."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..codebook import Codebook, Questionnaire, Variable
from ..errors import ImgshareError
from ._calibration import Calibration, QuestionnaireCalibration
from ._check import check_against_codebook, resolve_items
from ._copula import cut_points, discretize_by_cuts, fit_copula, whitened_normal
from ._swaps import refine_by_swaps

__all__ = ["SynthesisError", "synthesize"]


#: The copula stage stops this close to the targets; adjacent-answer swaps do the rest.
COARSE = 0.01
#: Swap budget per analysed respondent: enough to close a COARSE gap, small enough that
#: the latent structure (group effects, background correlations) survives.
MAX_SWAPS_PER_ROW = 1
#: Swaps continue until every rho is this fraction of the tolerance from its target, so
#: it lands near the middle of its accepted interval rather than at an edge, where a
#: different summation order (another program's rho) could flip the printed digit.
SETTLE = 0.25
#: Rank swaps can stall one swap short of a tight tolerance (rho moves in steps); the
#: item stage is then redrawn with fresh latent normals from the same stream, this often.
MAX_ATTEMPTS = 8


class SynthesisError(ImgshareError):
    """The calibration is well formed but its targets cannot be generated (one line per reason)."""


def synthesize(codebook: Codebook, calibration: Calibration, seed: int) -> dict[str, pd.DataFrame]:
    """Generate a synthetic cohort that reproduces the calibration targets exactly.

    Parameters
    ----------
    codebook : Codebook
        The study: questionnaires, items, scales, themes, domains.
    calibration : Calibration
        Targets per questionnaire (see :func:`load_calibration`).
    seed : int
        Seed for ``numpy.random.default_rng``; the same seed gives the same frames.

    Returns
    -------
    dict of str to DataFrame
        One frame per questionnaire id with the codebook's columns in order (respondent id,
        items, variables, weight): ``received`` rows, of which ``received - analysed`` are
        drop-outs with blank required answers. Codes are "Int64", text "string", numbers
        "Float64"; ``pd.NA`` is no answer.

    Raises
    ------
    CalibrationError
        When the calibration does not fit the codebook.
    SynthesisError
        When a target cannot be met (e.g. a Spearman rho the counts cannot support).

    Examples
    --------
    >>> from imgshare.codebook import parse_codebook
    >>> from imgshare.synth import parse_calibration
    >>> cb = parse_codebook({
    ...     "scales": {"s": {"levels": {1: "no", 2: "meh", 3: "yes"}, "disagree": [1], "neutral": [2],
    ...                      "agree": [3]}},
    ...     "items": {"A": {"text": "a", "scale": "s"}, "B": {"text": "b", "scale": "s"}},
    ...     "questionnaires": {"q": {"file": "q.synthetic.csv", "id": "rid", "items": ["A", "B"],
    ...                              "exclusions": [{"reason": "incomplete", "missing_any": "required"}]}}})
    >>> cal = parse_calibration({"questionnaires": {"q": {"id_prefix": "R", "received": 60,
    ...     "analysed": 50, "items": {"A": {1: 10, 2: 15, 3: 25}, "B": {1: 20, 2: 10, 3: 20}},
    ...     "spearman": [{"items": ["A", "B"], "r": 0.5}]}}})
    >>> frame = synthesize(cb, cal, seed=1)["q"]
    >>> frame.shape, int((frame["A"] == 3).sum()) >= 25
    ((60, 3), True)
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise SynthesisError(f"seed must be a whole number >= 0, found {seed!r}")
    check_against_codebook(calibration, codebook)
    streams = np.random.SeedSequence(int(seed)).spawn(len(codebook.questionnaires))
    return {
        qid: _questionnaire(codebook, q, calibration.questionnaires[qid], calibration, np.random.default_rng(s))
        for (qid, q), s in zip(codebook.questionnaires.items(), streams)
    }


def _variable_order(q: Questionnaire) -> list[str]:
    """Variables with every ``asked_if`` dependency before its dependants."""
    order: list[str] = []
    pending = list(q.variables)
    while pending:
        ready = [v for v in pending if all(d in order or d not in q.variables for d in q.variables[v].asked_if)]
        if not ready:
            raise SynthesisError(f"questionnaire '{q.id}': asked_if conditions form a cycle among {', '.join(pending)}")
        order.extend(ready)
        pending = [v for v in pending if v not in ready]
    return order


def _asked(var: Variable, values: dict[str, np.ndarray], n: int) -> np.ndarray:
    mask = np.ones(n, dtype=bool)
    for dep, codes in var.asked_if.items():
        mask &= np.isin(values[dep], codes)
    return mask


def _draw_number(spec, rng: np.random.Generator, size: int) -> np.ndarray:
    x = rng.normal(spec.mean, spec.sd, size)
    x = np.clip(x, -np.inf if spec.minimum is None else spec.minimum, np.inf if spec.maximum is None else spec.maximum)
    return np.round(x, spec.decimals)


def _analysed_variables(q: Questionnaire, qc: QuestionnaireCalibration, rng: np.random.Generator) -> dict:
    """Categorical codes with exact counts (``-1`` = blank), numbers (NaN = blank), for analysed rows."""
    n = qc.analysed
    values: dict[str, np.ndarray] = {}
    for vid in _variable_order(q):
        var = q.variables[vid]
        asked = _asked(var, values, n)
        k = int(asked.sum())
        if var.type == "categorical":
            counts = qc.counts[vid]
            pool = np.repeat(np.array(var.codes), [counts.get(c, 0) for c in var.codes])
            if (var.required and pool.size != k) or pool.size > k:
                raise SynthesisError(
                    f"{qc.id}.variables.{vid}: counts sum to {pool.size}, but {k} analysed respondents are asked it")
            col = np.full(n, -1, dtype=np.int64)
            col[asked] = rng.permutation(np.concatenate([pool, np.full(k - pool.size, -1)]))
        elif var.type == "number":
            col = np.full(n, np.nan)
            if vid in qc.numbers:
                col[asked] = _draw_number(qc.numbers[vid], rng, k)
        else:
            continue
        values[vid] = col
    return values


def _latent_base(codebook: Codebook, q: Questionnaire, qc: QuestionnaireCalibration) -> np.ndarray:
    items = q.items
    domain_of: dict[str, str] = {}
    for did, dom in codebook.domains.items():
        for iid in dom.items:
            domain_of.setdefault(iid, did)
    d = len(items)
    base = np.eye(d)
    for a in range(d):
        for b in range(a + 1, d):
            da, db = domain_of.get(items[a]), domain_of.get(items[b])
            if da is not None and db is not None:
                base[a, b] = base[b, a] = qc.same_domain if da == db else qc.other_domain
    pos = {iid: j for j, iid in enumerate(items)}
    for pair in qc.latent_pairs:
        for ia in resolve_items(pair.a, codebook, q) or ():
            for ib in resolve_items(pair.b, codebook, q) or ():
                if ia != ib:
                    base[pos[ia], pos[ib]] = base[pos[ib], pos[ia]] = pair.r
    for t in qc.spearman:
        # starting value: the latent Pearson r whose continuous Spearman rho is the target
        base[pos[t.a], pos[t.b]] = base[pos[t.b], pos[t.a]] = 2 * math.sin(math.pi * t.r / 6)
    return base


def _shift(codebook: Codebook, q: Questionnaire, qc: QuestionnaireCalibration, values: dict, n: int) -> np.ndarray:
    pos = {iid: j for j, iid in enumerate(q.items)}
    shift = np.zeros((n, len(q.items)))
    for e in qc.effects:
        codes = values[e.variable]
        delta = np.array([e.shift.get(int(c), 0.0) for c in codes]) if n else np.zeros(0)
        cols = sorted({pos[i] for ref in e.targets for i in resolve_items(ref, codebook, q) or ()})
        shift[:, cols] += delta[:, None]
    return shift


def _assign_text(q: Questionnaire, qc: QuestionnaireCalibration, values: dict, rng: np.random.Generator) -> dict:
    n = qc.analysed
    texts = {}
    for vid, var in q.variables.items():
        if var.type != "text":
            continue
        col = np.full(n, None, dtype=object)
        spec = qc.text.get(vid)
        if spec is not None:
            eligible = _asked(var, values, n)
            for dep, codes in spec.only_if.items():
                eligible &= np.isin(values[dep], codes)
            rows = np.flatnonzero(eligible)
            if rows.size < len(spec.comments):
                raise SynthesisError(
                    f"{qc.id}.variables.{vid}: {len(spec.comments)} comments but only {rows.size} eligible respondents")
            col[rng.choice(rows, size=len(spec.comments), replace=False)] = list(spec.comments)
        texts[vid] = col
    return texts


def _drop_outs(codebook: Codebook, q: Questionnaire, qc: QuestionnaireCalibration, rows: dict,
               rng: np.random.Generator) -> None:
    """Blank each incomplete row from the (k+1)-th required question it was asked onwards.

    The stopping point k follows a constant hazard per question (a truncated geometric
    law), the simplest model of survey break-off; k >= 1 so every drop-out has begun.
    """
    columns = [*q.items, *q.variables]
    blank = {"i": -1, "f": np.nan}
    for r in range(qc.excluded):
        sequence = [i for i in q.items if codebook.items[i].required]
        sequence += [vid for vid, var in q.variables.items()
                     if var.required and all(rows[d][r] in codes for d, codes in var.asked_if.items())]
        if len(sequence) <= 1:
            k = 0
        else:
            h = qc.dropout_hazard
            w = np.array([h * (1 - h) ** (j - 1) for j in range(1, len(sequence))]) if h > 0 else np.ones(len(sequence) - 1)
            k = int(rng.choice(np.arange(1, len(sequence)), p=w / w.sum()))
        for col in columns[columns.index(sequence[k]):]:
            rows[col][r] = blank.get(rows[col].dtype.kind)


def _excluded_rows(codebook: Codebook, q: Questionnaire, qc: QuestionnaireCalibration, values: dict,
                   fit, level_codes: list, answered: np.ndarray, rng: np.random.Generator) -> dict:
    """Rows that will be dropped for non-response: answers from the same model, then broken off.

    Their variables are resampled from the analysed respondents asked the question, their
    items drawn from the fitted copula and cut at the analysed sample's latent thresholds.
    """
    m = qc.excluded
    rows: dict = {}
    for vid in _variable_order(q):
        var = q.variables[vid]
        if var.type == "text":
            rows[vid] = np.full(m, None, dtype=object)
            continue
        asked_new = _asked(var, rows, m)
        source = values[vid][_asked(var, values, qc.analysed)]
        col = np.full(m, -1 if var.type == "categorical" else np.nan, dtype=values[vid].dtype)
        if source.size:
            col[asked_new] = rng.choice(source, size=int(asked_new.sum()))
        rows[vid] = col
    eps = rng.standard_normal((m, len(q.items)))
    z = eps @ np.linalg.cholesky(fit.correlation).T + _shift(codebook, q, qc, rows, m)
    for j, iid in enumerate(q.items):
        counts = np.array([qc.items[iid].get(c, 0) for c in level_codes[j]])
        col = discretize_by_cuts(z[:, j], level_codes[j], cut_points(fit.latent[:, j], fit.codes[:, j], counts))
        col[rng.random(m) < 1 - answered[:, j].mean()] = -1
        rows[iid] = col
    _drop_outs(codebook, q, qc, rows, rng)
    return rows


def _items(codebook: Codebook, q: Questionnaire, qc: QuestionnaireCalibration, calibration: Calibration,
           values: dict, rng: np.random.Generator):
    n, d = qc.analysed, len(q.items)
    level_codes = [np.array(codebook.scale_of(i).codes) for i in q.items]
    level_counts = [np.array([qc.items[i].get(c, 0) for c in codes]) for i, codes in zip(q.items, level_codes)]
    answered = np.ones((n, d), dtype=bool)
    for j, counts in enumerate(level_counts):
        if counts.sum() < n:
            answered[rng.choice(n, size=n - int(counts.sum()), replace=False), j] = False
    pos = {iid: j for j, iid in enumerate(q.items)}
    pairs = np.array([(pos[t.a], pos[t.b]) for t in qc.spearman], dtype=np.int64).reshape(-1, 2)
    targets = np.array([t.r for t in qc.spearman])
    base, shift = _latent_base(codebook, q, qc), _shift(codebook, q, qc, values, n)
    for _ in range(MAX_ATTEMPTS):
        fit = fit_copula(whitened_normal(rng, n, d), base, pairs, targets, shift, level_codes, level_counts,
                         answered, max(calibration.tolerance, COARSE), calibration.max_iterations)
        codes, achieved, _ = refine_by_swaps(fit.codes, pairs, targets, answered.all(axis=1),
                                             SETTLE * calibration.tolerance, MAX_SWAPS_PER_ROW * n)
        # strictly inside: a rho exactly at target + tolerance would round away from it
        if np.all(np.abs(achieved - targets) < calibration.tolerance):
            break
    misses = [f"{t.a}-{t.b} reaches {a:.4f}, target {t.r:.4f}"
              for t, a in zip(qc.spearman, achieved) if not abs(a - t.r) < calibration.tolerance]
    if misses:
        raise SynthesisError(f"{qc.id}.spearman: cannot meet every target within {calibration.tolerance} "
                             f"with these counts ({'; '.join(misses)})")
    return fit, codes, level_codes, answered


def _frame(q: Questionnaire, cols: dict, ids: list[str]) -> pd.DataFrame:
    data: dict = {q.id_column: pd.array(ids, dtype="string")}
    for name in [*q.items, *q.variables]:
        x = cols[name]
        if x.dtype.kind == "i":
            data[name] = pd.arrays.IntegerArray(x.astype("int64"), mask=x < 0)
        elif x.dtype.kind == "f":
            data[name] = pd.arrays.FloatingArray(np.nan_to_num(x), mask=np.isnan(x))
        else:
            data[name] = pd.array(list(x), dtype="string")
    if q.weight:
        # design weights are not synthesised: every respondent counts once
        data[q.weight] = pd.array(np.ones(len(ids)), dtype="Float64")
    return pd.DataFrame(data, columns=list(q.columns))


def _questionnaire(codebook: Codebook, q: Questionnaire, qc: QuestionnaireCalibration, calibration: Calibration,
                   rng: np.random.Generator) -> pd.DataFrame:
    values = _analysed_variables(q, qc, rng)
    fit, codes, level_codes, answered = _items(codebook, q, qc, calibration, values, rng)
    texts = _assign_text(q, qc, values, rng)
    extra = _excluded_rows(codebook, q, qc, values, fit, level_codes, answered, rng)
    cols = {}
    for j, iid in enumerate(q.items):
        cols[iid] = np.concatenate([codes[:, j], extra[iid]])
    for vid in q.variables:
        cols[vid] = np.concatenate([texts[vid] if vid in texts else values[vid], extra[vid]])
    order = rng.permutation(qc.received)
    cols = {k: v[order] for k, v in cols.items()}
    width = max(4, len(str(qc.received)))
    ids = [f"{qc.id_prefix}{i:0{width}d}" for i in range(1, qc.received + 1)]
    return _frame(q, cols, ids)
