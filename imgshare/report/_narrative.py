"""Short computed prose for any codebook: flow, agreement, correlations, comparisons, notes.

Every function takes analysis frames (or the cohort) and returns Markdown; numbers come from
the frames, never from the text, and every codebook or respondent string is escaped with
:func:`md_escape` so it reaches HTML, Typst and DOCX as text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by the callers that pass frames; the engine's warm path needs none
    import pandas as pd


from ._prose import fmt_int, fmt_pct, fmt_r, md_escape

__all__ = ["flow_summary", "domain_summary", "correlation_summary", "comparison_summary", "data_notes",
           "quotes", "join_words", "lower_first", "questionnaire_name", "outcome_name", "p_text"]

_STAT_SYMBOL = {"mann-whitney": "U", "kruskal-wallis": "H"}
_EFFECT_SYMBOL = {"r": "r", "epsilon2": "ε²"}


def join_words(parts: Sequence[str], conjunction: str = "and") -> str:
    """``['a', 'b', 'c']`` -> ``'a, b and c'``.

    Examples
    --------
    >>> join_words(["a"]), join_words(["a", "b"]), join_words(["a", "b", "c"], "or")
    ('a', 'a and b', 'a, b or c')
    """
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {conjunction} " + parts[-1]


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ('Clinical experts' ->
    'clinical experts', 'NHS staff' stays).

    Examples
    --------
    >>> lower_first("Clinical experts"), lower_first("NHS staff")
    ('clinical experts', 'NHS staff')
    """
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def questionnaire_name(codebook: Any, qid: str) -> str:
    """A questionnaire's label for mid-sentence use, escaped."""
    return md_escape(lower_first(codebook.questionnaires[qid].label))


def outcome_name(codebook: Any, outcome: str, kind: str) -> str:
    """A theme's label (lower-cased first letter) or an item's short wording in quotes, escaped."""
    if kind == "theme" and outcome in codebook.themes:
        return md_escape(lower_first(codebook.themes[outcome].label))
    item = codebook.items.get(outcome)
    text = (item.short or item.text) if item is not None else outcome
    return f"“{md_escape(text)}”"


def p_text(p: float) -> str:
    """``'p < 0.001'`` or ``'p = 0.034'``.

    Examples
    --------
    >>> p_text(0.00002), p_text(0.0342)
    ('p < 0.001', 'p = 0.034')
    """
    from ..tables import fmt_p

    text = fmt_p(p)
    return f"p {text[0]} {text[1:]}" if text.startswith("<") else f"p = {text}"


def _p_short(p: float) -> str:
    from ..tables import fmt_p

    return fmt_p(p)


def _num(x: float, decimals: int = 2) -> str:
    from ..tables import fmt_number

    return fmt_number(x, decimals)


def flow_summary(flow: pd.DataFrame, codebook: Any, min_cell: int = 0) -> str:
    """One sentence per questionnaire: responses received, excluded (by reason) and analysed.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> cb = NS(questionnaires={"q": NS(label="Staff")})
    >>> flow = pd.DataFrame({"questionnaire": ["q"] * 3, "stage": ["received", "excluded", "analysed"],
    ...                      "reason": ["", "Did not finish", ""], "n": [50, 3, 47]})
    >>> flow_summary(flow, cb)
    'Staff: 50 responses received, 3 excluded (did not finish: 3) and 47 analysed.'
    """
    sentences = []
    for qid, q in codebook.questionnaires.items():
        part = flow[flow["questionnaire"] == qid]
        if part.empty:
            continue

        def n_at(stage: str) -> float:
            return float(part.loc[part["stage"] == stage, "n"].sum())

        excluded = part[(part["stage"] == "excluded") & (part["n"] > 0)]
        reasons = [f"{md_escape(lower_first(str(r.reason)))}: {fmt_int(r.n, min_cell)}"
                   for r in excluded.itertuples(index=False)]
        detail = f" ({'; '.join(reasons)})" if reasons else ""
        sentences.append(f"{md_escape(q.label)}: {fmt_int(n_at('received'), min_cell)} responses received, "
                         f"{fmt_int(n_at('excluded'), min_cell)} excluded{detail} and "
                         f"{fmt_int(n_at('analysed'), min_cell)} analysed.")
    return " ".join(sentences)


def domain_summary(domain_agreement: pd.DataFrame, codebook: Any) -> str:
    """One sentence per domain: its mean agreement in each questionnaire that was asked it."""
    sentences = []
    for did, dom in codebook.domains.items():
        part = domain_agreement[domain_agreement["domain"] == did]
        if part.empty:
            continue
        shares = [f"{fmt_pct(r.pct_agree)} among {questionnaire_name(codebook, r.questionnaire)}"
                  for r in part.itertuples(index=False)]
        n_items = int(part["n_items"].max())
        sentences.append(f"Across the {n_items} statements on {md_escape(lower_first(dom.label))}, "
                         f"mean agreement was {join_words(shares)}.")
    return " ".join(sentences)


def correlation_summary(summary: pd.DataFrame, codebook: Any) -> str:
    """One sentence per theme: Spearman's rho (or its range) per questionnaire, and how many
    correlations reached the significance level."""
    sentences = []
    for tid, theme in codebook.themes.items():
        part = summary[(summary["theme"] == tid) & (summary["n_defined"] > 0)]
        if part.empty:
            continue
        values = []
        for r in part.itertuples(index=False):
            who = questionnaire_name(codebook, r.questionnaire)
            if r.n_pairs == 1 and not _missing(r.rho):
                values.append(f"ρ = {fmt_r(r.rho)} among {who}")
            else:
                values.append(f"ρ from {fmt_r(r.rho_min)} to {fmt_r(r.rho_max)} among {who}")
        n_sig, n_def = int(part["n_significant"].sum()), int(part["n_defined"].sum())
        alpha = float(part["alpha"].iloc[0])
        sentences.append(f"Within {md_escape(lower_first(theme.label))}, {join_words(values)} "
                         f"({n_sig} of {n_def} correlation{'s' if n_def != 1 else ''} with p < {alpha:g}).")
    return " ".join(sentences)


def _missing(x: Any) -> bool:
    from ..tables import is_missing

    return is_missing(x)


def _group_name(codebook: Any, comparison: Any, groups: pd.DataFrame, group: Any) -> str:
    if comparison.between == "questionnaires" and str(group) in codebook.questionnaires:
        return questionnaire_name(codebook, str(group))
    rows = groups.loc[groups["group"].astype(str) == str(group), "group_label"]
    label = str(rows.iloc[0]) if len(rows) else str(group)
    return f"respondents answering “{md_escape(label)}”"


def _test_detail(row: Any, p_col: str) -> str:
    symbol = _STAT_SYMBOL.get(row.test, "statistic")
    stat = _num(row.statistic, 1 if row.test == "mann-whitney" else 2)
    parts = [f"{symbol} = {stat}"]
    if row.test == "kruskal-wallis" and not _missing(row.dof):
        parts.append(f"df = {int(row.dof)}")
    parts.append(p_text(getattr(row, p_col)))
    if not _missing(row.effect):
        effect = f"{_EFFECT_SYMBOL.get(str(row.effect_measure), 'effect')} = {_num(row.effect)}"
        if not _missing(row.effect_ci_low) and not _missing(row.effect_ci_high):
            effect += f", 95% CI {_num(row.effect_ci_low)} to {_num(row.effect_ci_high)}"
        parts.append(effect)
    return "; ".join(parts)


def comparison_summary(comparisons: pd.DataFrame, comparison_groups: pd.DataFrame, codebook: Any, *,
                       alpha: float = 0.05, outcomes: str = "theme") -> str:
    """One paragraph per codebook comparison: for each outcome, which group had the higher mean
    rank, the test statistic, p and the effect size (with its bootstrap CI).

    ``outcomes`` is ``"theme"`` (theme scores, falling back to items for a comparison without
    themes) or ``"item"``. The adjusted p (``p_adj``) is used when the frame has one.
    """
    p_col = "p_adj" if "p_adj" in comparisons.columns else "p"
    paragraphs = []
    for cid, comp in codebook.comparisons.items():
        rows = comparisons[comparisons["comparison"] == cid]
        chosen = rows[rows["outcome_kind"] == outcomes]
        if chosen.empty:
            chosen = rows
        if chosen.empty:
            continue
        groups = comparison_groups[comparison_groups["comparison"] == cid]
        tested = chosen[chosen["test"] != "none"]
        untested = chosen[chosen["test"] == "none"]
        sig = tested[tested[p_col] < alpha]
        non = tested[~(tested[p_col] < alpha)]
        sentences = []
        two = (tested["test"] == "mann-whitney").all() and len(tested)
        if two:
            for higher, part in sig.groupby("higher_group", sort=False):
                others = [g for g in groups["group"].astype(str).unique() if g != str(higher)]
                other = _group_name(codebook, comp, groups, others[0]) if others else "the other group"
                other = other.replace("respondents answering", "those answering", 1)
                items = [f"{outcome_name(codebook, r.outcome, r.outcome_kind)} ({_test_detail(r, p_col)})"
                         for r in part.itertuples(index=False)]
                who = _group_name(codebook, comp, groups, higher)
                sentences.append(f"{who[:1].upper()}{who[1:]} had higher mean ranks than {other} for "
                                 f"{join_words(items)}.")
        else:
            for r in sig.itertuples(index=False):
                best = _group_name(codebook, comp, groups, r.higher_group)
                sentences.append(f"{outcome_name(codebook, r.outcome, r.outcome_kind)[:1].upper()}"
                                 f"{outcome_name(codebook, r.outcome, r.outcome_kind)[1:]} differed between the "
                                 f"groups ({_test_detail(r, p_col)}), with the highest mean rank among {best}.")
        if len(non):
            names = [outcome_name(codebook, r.outcome, r.outcome_kind) for r in non.itertuples(index=False)]
            ps = non[p_col].astype(float)
            spread = (p_text(float(ps.iloc[0])) if len(ps) == 1 else
                      f"p from {_p_short(float(ps.min()))} to {_p_short(float(ps.max()))}")
            lead = "no difference reached" if sentences else "No difference reached"
            sentences.append(f"{'For ' + join_words(names) + ', ' if sentences else ''}"
                             f"{lead} p < {alpha:g}" + ("" if sentences else f" for {join_words(names)}")
                             + f" ({spread}).")
        for r in untested.itertuples(index=False):
            sentences.append(f"{outcome_name(codebook, r.outcome, r.outcome_kind)} was not tested "
                             f"({md_escape(str(r.reason))}).")
        paragraphs.append(f"**{md_escape(comp.label)}.** " + " ".join(sentences))
    return "\n\n".join(paragraphs)


def data_notes(*warnings: Iterable[str]) -> str:
    """A "Data notes" callout listing each distinct warning once (cohort, then analysis), or ""."""
    unique = list(dict.fromkeys(str(w) for ws in warnings for w in ws))
    if not unique:
        return ""
    items = "\n".join(f"- {md_escape(w)}" for w in unique)
    return f'::: {{.callout-note title="Data notes"}}\n{items}\n:::\n'


_IDENTIFYING = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+"          # e-mail address
    r"|https?://|www\."                  # web address
    r"|(?<!\w)@\w{2,}"                   # social-media handle
    r"|\d[\d\s()./-]{5,}\d"              # phone, date of birth, record or postcode-like numbers
)


def quotable(answer: str) -> bool:
    """Whether a free-text answer may be quoted: none that carries an e-mail or web address, a
    handle, or a long run of digits (a phone or record number, a date) is ever printed.

    >>> quotable("It helped me understand"), quotable("call me on 07700 900123")
    (True, False)
    """
    return _IDENTIFYING.search(answer) is None


def quotes(cohort: Any, per_variable: int = 3, min_cell: int = 0) -> str:
    """A few respondents' free-text answers per text variable, quoted and escaped.

    Answers are taken in respondent order (the first ``per_variable`` distinct non-empty ones
    that are :func:`quotable`), so the choice is deterministic. Synthetic cohorts say that the
    answers are synthetic too.
    """
    cb = cohort.codebook
    blocks = []
    for qid, q in cb.questionnaires.items():
        frame = cohort.responses.get(qid)
        if frame is None:
            continue
        for vid, var in q.variables.items():
            if var.type != "text" or vid not in frame.columns:
                continue
            answers = [" ".join(str(a).split()) for a in frame[vid].dropna()]
            answers = [a for a in answers if a]
            if not answers:
                continue
            picked = [a for a in dict.fromkeys(answers) if quotable(a)][:per_variable]
            if not picked:
                continue
            kind = "synthetic " if cb.study.synthetic else ""
            blocks.append(f"{md_escape(q.label)} were asked “{md_escape(var.question)}”; "
                          f"{fmt_int(len(answers), min_cell)} gave a {kind}free-text answer, among them:")
            # One block quote per question, an answer per paragraph.
            blocks.append("\n>\n".join(f"> “{md_escape(a)}”" for a in picked))
    return "\n\n".join(blocks)
