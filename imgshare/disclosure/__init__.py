"""Disclosure control for small counts (``--min-cell K``): one pass over everything an output can show.

The rule
--------
Under ``--min-cell K`` (K >= 2) every output -- results.json and the CSVs, every table, figure
label and bar, the participant flow, the audit appendix and the manuscript's prose -- is made from
one protected copy of the analysis results, :func:`protect`. In it:

* every count of people from 1 to K-1 that some output prints is withheld (a *small* count,
  printed ``<K``); zero is printed (it reveals no one);
* further counts are withheld (printed as withheld, ``–``, never ``<K``: they may hold any
  number) until no count of 1..K-1 -- printed, or only implied, such as "answered the question but
  not the item" or the total excluded -- can be worked out exactly from all outputs together.
  "Worked out" uses every printed count, total and percentage, the identities the documentation
  states (a distribution adds up to its total; a questionnaire's analysed count is those answering
  a question plus those not answering or not asked; a test's n is the sum of its groups and a
  group lies within its level of the comparison variable; skip logic; pairwise and complete-case
  counts of items; a domain's percentage is the mean of its items'), and the facts that ``<K``
  means 1..K-1 and that a withheld count is at least 1. It is checked by interval propagation
  over the identities and then exactly, by integer programming over all of them at once;
* a distribution whose total is itself small is withheld whole, zeros included (its cells, each at
  least 1 and together fewer than K, could otherwise be counted off);
* whatever would give a withheld count back is withheld with it: its percentage and confidence
  interval, every percentage of a withheld total (which with its count would give the total),
  a domain mean over an item whose total is withheld, the effect size of a test whose n is
  withheld (r = z/sqrt(N), epsilon2 = H/(N-1)), the statistic and p of a two-group test with a
  withheld group (U with p gives the group sizes back), all mean ranks of such a test (they sum
  to N(N+1)/2) and its post-hoc tests, the p-value and interval of a correlation or alpha whose n
  is withheld, and the mean, median and mean rank of a withheld group. A test over three or more
  groups keeps H and p when a group is withheld (no group's size or mean rank is printed then);
* counts written in words -- warnings ("a single respondent") and the frames' ``reason`` texts
  ("1 complete pair(s)") -- are rewritten without them (:func:`protect_text`);
* the participant flow: small exclusion reasons print ``<K``; when the total excluded is itself
  1..K-1 the number of responses received is withheld, since received minus analysed would give
  it (analysed counts are printed everywhere and stay).

Withheld values are missing (NaN) in the protected frames; each withholdable column ``c`` has a
flag column ``c_withheld``: ``""`` (shown), ``"small"`` (a count of 1..K-1, or a statistic resting
on one: printed ``<K``) or ``"withheld"`` (printed as withheld). :func:`cell_text` and
:func:`count_label` print a value with its flag, for tables, figure labels and prose alike; the
flags are listed in docs/results-schema.md.

Not covered: survey weights (a weighted count is checked as printed; the respondents behind it
are not), inversion of test statistics beyond the closed forms above, and attribute disclosure by
a group whose answers all fall in one level.

Tested by ``tests/safety/test_disclosure_attack.py``: every number the outputs of ``imgshare
analyse`` and ``imgshare figures`` publish is read back and, for each withheld or implied count,
minimised and maximised by integer programming subject to all published values and identities;
none of 1..K-1 may come out pinned, and tables, figures and prose may print nothing results.json
does not. The per-table helpers (:func:`suppression_mask`, :func:`suppress_frame`) are the rule
this replaced; they are kept for callers that suppress one distribution on its own.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ._apply import FLAGGED, apply_decision
from ._decide import decide
from ._graph import SMALL, WITHHELD
from ._legacy import marker, suppress_frame, suppression_mask, total_suppressed
from ._model import Model, _flow, build_model
from ._text import protect_text

__all__ = [
    "protect", "protect_flow", "protect_text", "suppress_results", "is_protected", "cell_text", "count_label", "flag", "withheld_count",
    "SMALL", "WITHHELD", "WITHHELD_MARK", "WITHHELD_NOTE", "small_text", "small_note",
    "FLAGGED", "marker", "suppress_frame", "suppression_mask", "total_suppressed",
]

#: How a withheld value that is not itself a small count prints.
WITHHELD_MARK = "–"
#: The footnote of a table that prints :data:`WITHHELD_MARK`.
WITHHELD_NOTE = "Withheld so that counts of fewer than {k} respondents cannot be worked out from other figures."


def small_text(k: int) -> str:
    """How a count of 1..K-1 prints: ``"<K"``.

    >>> small_text(5)
    '<5'
    """
    return f"<{int(k)}"


def small_note(k: int) -> str:
    """The footnote of a table that prints :func:`small_text`.

    >>> small_note(5)
    '<5: from 1 to 4 respondents (withheld to protect small counts).'
    """
    return f"<{int(k)}: from 1 to {int(k) - 1} respondents (withheld to protect small counts)."


def is_protected(results: Any, k: int | None = None) -> bool:
    """Whether ``results`` came from :func:`protect` (with threshold ``k`` when given)."""
    done = (getattr(results, "settings", None) or {}).get("min_cell")
    return done is not None and "n_withheld" in results.flow.columns and (k is None or done == k)


def protect(results: Any, k: int) -> Any:
    """A copy of analysis ``Results`` under disclosure control with threshold ``k``.

    Parameters
    ----------
    results : imgshare.analysis.Results
        Unprotected results (:func:`imgshare.analysis.analyse`); not modified.
    k : int
        The smallest count printed as it is; ``k <= 1`` returns ``results`` unchanged.

    Returns
    -------
    Results
        The same frames with withheld values missing and a ``<column>_withheld`` flag column per
        withholdable column (see the module docstring); ``settings["min_cell"] = k`` and
        ``settings["withheld"]`` (how many values were withheld: small, further). Applying it
        again with the same ``k`` returns it unchanged.

    Examples
    --------
    >>> from imgshare.analysis import analyse
    >>> from imgshare.analysis._examples import example_cohort
    >>> safe = protect(analyse(example_cohort()), 5)
    >>> safe.settings["min_cell"], "n_withheld" in safe.descriptives.columns
    (5, True)
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"min_cell must be a whole number >= 0, found {k!r}")
    if k <= 1:
        return results
    if is_protected(results):
        if results.settings.get("min_cell") == k:
            return results
        raise ValueError(f"results are already protected with min_cell {results.settings.get('min_cell')}; "
                         f"protect the unprotected results with {k}")
    model = build_model(results)
    decision = decide(model.graph, k)
    frames = {name: _reasons_protected(frame, k) for name, frame in apply_decision(results, model, decision, k).items()}
    counts = {"small": sum(v == SMALL for v in decision.values()),
              "further": sum(v != SMALL for v in decision.values())}
    settings = {**dict(results.settings), "min_cell": k, "withheld": counts}
    warnings = tuple(protect_text(str(w), k) for w in results.warnings)
    return dataclasses.replace(results, **frames, settings=settings, warnings=warnings)


def _reasons_protected(frame: Any, k: int) -> Any:
    """A frame whose ``reason`` texts state no count of people (see :func:`protect_text`)."""
    if "reason" not in getattr(frame, "columns", ()):
        return frame
    reasons = frame["reason"].map(lambda r: protect_text(r, k) if isinstance(r, str) else r)
    return frame.assign(reason=reasons) if not reasons.equals(frame["reason"]) else frame


def protect_flow(flow: Any, k: int) -> Any:
    """A participant flow frame under the same rule, for prose that has the flow alone.

    The flow ties to the other frames only through the analysed counts, which every output
    prints, so this equals the flow of :func:`protect` (unless an analysed count is itself
    below ``k``). Adds ``n_withheld``; ``k <= 1`` returns ``flow`` unchanged.

    >>> import pandas as pd
    >>> flow = pd.DataFrame({"questionnaire": ["q"] * 3, "stage": ["received", "excluded", "analysed"],
    ...                      "reason": ["", "No consent", ""], "n": [50, 3, 47]})
    >>> protect_flow(flow, 5)["n_withheld"].tolist()
    ['withheld', 'small', '']
    """
    if k <= 1:
        return flow
    model = Model()
    _flow(model, flow)
    decision = decide(model.graph, k)
    flags = [""] * len(flow)
    for key, places in model.slots.items():
        for _, pos, _ in places:
            flag = decision.get(key, "")
            flags[pos] = SMALL if flag == SMALL else WITHHELD if flag else ""
    out = flow.copy()
    out["n"] = out["n"].astype("float64").where([not f for f in flags])
    out["n_withheld"] = flags
    return out


def suppress_results(results: Any, k: int) -> Any:
    """Deprecated name of :func:`protect`."""
    return protect(results, k)


def flag(row: Any, column: str) -> str:
    """The withheld flag of ``column`` in a row (mapping or namedtuple): '', 'small' or 'withheld'."""
    name = f"{column}_withheld"
    value = row.get(name, "") if hasattr(row, "get") else getattr(row, name, "")
    return value if isinstance(value, str) else ""


def cell_text(value: Any, flag_value: str, k: int | None, fmt=str) -> str:
    """A value as printed: ``<K`` when small, :data:`WITHHELD_MARK` when withheld, else ``fmt(value)``.

    >>> cell_text(3, "small", 5), cell_text(25, "withheld", 5), cell_text(86, "", 5)
    ('<5', '–', '86')
    """
    if flag_value == SMALL:
        if not k:
            raise ValueError("a value is flagged small but no threshold (min_cell) was given")
        return small_text(k)
    if flag_value == WITHHELD:
        return WITHHELD_MARK
    return fmt(value)


def count_label(value: Any, flag_value: str, k: int | None, fmt=str, space: str = " ") -> str:
    """``"n = 86"``, ``"n < 5"`` for a small count, ``"n withheld"`` for a withheld one.

    >>> count_label(86, "", 5), count_label(3, "small", 5), count_label(25, "withheld", 5)
    ('n = 86', 'n < 5', 'n withheld')
    """
    if flag_value == SMALL:
        if not k:
            raise ValueError("a count is flagged small but no threshold (min_cell) was given")
        return f"n{space}<{space}{int(k)}"
    if flag_value == WITHHELD:
        return f"n{space}withheld"
    return f"n{space}={space}{fmt(value)}"


def withheld_count(frame: Any, column: str) -> int:
    """How many values of ``column`` a protected frame withholds (0 when it has no flags)."""
    name = f"{column}_withheld"
    return int((frame[name] != "").sum()) if name in getattr(frame, "columns", ()) else 0
