"""Statistics as sentences and fragments, for :class:`~imgshare.report.Study` (a mixin).

Every method returns :class:`~imgshare.report.Markdown` built from the disclosure-controlled
results (``self.results``), the project's number style (``self.numbers``) and codebook text
escaped by :func:`~imgshare.report._markdown.plain`.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ._errors import ReportError
from ._markdown import Markdown, join_words, lower_first, plain, plural, sentence_case

__all__ = ["ProseMixin", "quotable"]

_STAT_SYMBOL = {"mann-whitney": "U", "kruskal-wallis": "H", "spearman": "ρ"}
_EFFECT_SYMBOL = {"r": "r", "epsilon2": "ε²", "rho": "ρ"}

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


def _withheld(row: Any, column: str) -> bool:
    """Whether disclosure control withheld ``column`` of a protected row (its ``<column>_withheld`` flag)."""
    flag = getattr(row, f"{column}_withheld", "")
    return isinstance(flag, str) and bool(flag)


def pd_blank(frame: Any) -> Any:
    """An all-empty flag column for a frame without disclosure flags."""
    return frame["comparison"].map(lambda _: "")


def _missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(math.isnan(x))
    except (TypeError, ValueError):
        return False


class ProseMixin:
    """Sentences about tests, correlations, reliability, free text, methods and notes."""

    # -- names ---------------------------------------------------------------------------------
    def outcome_name(self, outcome: str, kind: str = "theme") -> Markdown:
        """A theme's label (first letter lower-cased) or an item's short wording in quotes."""
        cb = self.codebook
        if kind == "theme" and outcome in cb.themes:
            return lower_first(plain(cb.themes[outcome].label))
        item = cb.items.get(outcome)
        text = (item.short or item.text) if item is not None else outcome
        return Markdown(f"“{plain(text)}”")

    def _comparison(self, cid: str):
        try:
            return self.codebook.comparisons[cid]
        except KeyError:
            raise ReportError(f"no comparison {cid!r} in the codebook; expected one of "
                              f"{', '.join(self.codebook.comparisons)}") from None

    def group_name(self, comparison: str, group: Any) -> Markdown:
        """Who a comparison group is: a questionnaire's label, the codebook's ``group_names``
        entry, or the respondents giving an answer."""
        comp = self._comparison(comparison)
        if comp.between == "questionnaires" and str(group) in self.codebook.questionnaires:
            return self.questionnaire(str(group))
        named = comp.group_name(int(group)) if str(group).lstrip("-").isdigit() else None
        if named:
            return plain(named)
        groups = self.results.comparison_groups
        rows = groups.loc[(groups["comparison"] == comparison) & (groups["group"].astype(str) == str(group)),
                          "group_label"]
        label = str(rows.iloc[0]) if len(rows) else str(group)
        who = self.questionnaire(comp.questionnaire) if comp.questionnaire else Markdown("respondents")
        return Markdown(f"{who} answering “{plain(label)}”")

    # -- comparisons ---------------------------------------------------------------------------
    def _test_row(self, comparison: str, outcome: str):
        self._comparison(comparison)
        tests = self.results.comparisons
        rows = tests[(tests["comparison"] == comparison) & (tests["outcome"] == outcome)]
        if rows.empty:
            raise ReportError(f"comparison {comparison!r} has no outcome {outcome!r}; expected one of "
                              f"{', '.join(tests.loc[tests['comparison'] == comparison, 'outcome'].astype(str))}")
        return next(rows.itertuples(index=False))

    def _p_column(self) -> str:
        return "p_adj" if "p_adj" in self.results.comparisons.columns else "p"

    def _test_detail(self, row: Any) -> str:
        style = self.numbers
        decimals = style.effect_decimals(row.effect)  # small effects get the digits they need
        p = style.p(getattr(row, self._p_column()))
        if row.test == "spearman":  # a correlation with a number: rho is the statistic and the effect
            text = f"ρ = {style.statistic(row.effect, decimals)}"
            if not _missing(row.effect_ci_low) and not _missing(row.effect_ci_high):
                text += (f", 95% CI {style.statistic(row.effect_ci_low, decimals)} to "
                         f"{style.statistic(row.effect_ci_high, decimals)}")
            return f"{text}; {p}"
        symbol = _STAT_SYMBOL.get(row.test, "statistic")
        stat = style.u(row.statistic) if row.test == "mann-whitney" else style.statistic(row.statistic)
        parts = [f"{symbol} = {stat}"]
        if row.test == "kruskal-wallis" and not _missing(row.dof):
            parts.append(f"df = {int(row.dof)}")
        parts.append(p)
        if not _missing(row.effect):
            effect = f"{_EFFECT_SYMBOL.get(str(row.effect_measure), 'effect')} = {style.statistic(row.effect, decimals)}"
            if not _missing(row.effect_ci_low) and not _missing(row.effect_ci_high):
                effect += (f", 95% CI {style.statistic(row.effect_ci_low, decimals)} to "
                           f"{style.statistic(row.effect_ci_high, decimals)}")
            parts.append(effect)
        return "; ".join(parts)

    def comparison(self, comparison: str, outcome: str) -> Markdown:
        """One test as a fragment: ``U = 10085; p < 0.001; r = 0.21, 95% CI 0.10 to 0.31``."""
        row = self._test_row(comparison, outcome)
        if row.test == "none":
            return Markdown(f"not tested ({plain(row.reason)})")
        if _withheld(row, "test"):
            return Markdown("withheld to protect small counts")
        return Markdown(self._test_detail(row))

    def higher(self, comparison: str, outcome: str) -> Markdown:
        """The group with the higher (highest) mean rank on an outcome, for mid-sentence use."""
        row = self._test_row(comparison, outcome)
        if _withheld(row, "higher_group"):
            return Markdown("a group not named (withheld to protect small counts)")
        if not row.higher_group:
            return Markdown("neither group")
        return self.group_name(comparison, row.higher_group)

    def p_adjustment(self) -> Markdown:
        """Whether the comparisons' p values are adjusted for multiple testing, as a sentence."""
        from ._methods_text import ADJUST_NAMES

        method = self._raw.settings.get("p_adjust")
        if not method:
            return Markdown("p values are not adjusted for multiple testing.")
        return Markdown(f"p values are adjusted for multiple testing with {plain(ADJUST_NAMES.get(method, method))}.")

    def comparisons(self, *, alpha: float = 0.05, outcomes: str = "theme") -> Markdown:
        """One paragraph per codebook comparison: for each outcome, which group had the higher
        mean rank, the statistic, p and the effect size with its CI (themes, or items when a
        comparison has no themes; the adjusted p when the analysis adjusted)."""
        p_col = self._p_column()
        tests = self.results.comparisons
        paragraphs = []
        for cid, comp in self.codebook.comparisons.items():
            rows = tests[tests["comparison"] == cid]
            chosen = rows[rows["outcome_kind"] == outcomes]
            chosen = rows if chosen.empty else chosen
            if chosen.empty:
                continue
            hidden = chosen.get("test_withheld", pd_blank(chosen)).fillna("") != ""
            tested = chosen[(chosen["test"] != "none") & ~hidden]
            sig = tested[tested[p_col] < alpha]
            non = tested[~(tested[p_col] < alpha)]
            sentences = []
            if len(tested) and (tested["test"] == "spearman").all():
                var = self.codebook.questionnaires[comp.questionnaire].variables[comp.by]
                who = self.questionnaire(comp.questionnaire)
                for r in sig.itertuples(index=False):
                    direction = "positively" if r.effect > 0 else "negatively"
                    sentences.append(f"Among {who}, {self.outcome_name(r.outcome, r.outcome_kind)} correlated "
                                     f"{direction} with “{plain(var.question)}” ({self._test_detail(r)}).")
            elif len(tested) and (tested["test"] == "mann-whitney").all():
                for higher, part in sig.groupby("higher_group", sort=False):
                    others = [g for g in comp.groups if str(g) != str(higher)] or [
                        g for g in self.results.comparison_groups.loc[
                            self.results.comparison_groups["comparison"] == cid, "group"].astype(str).unique()
                        if g != str(higher)]
                    other = self.group_name(cid, others[0]) if others else "the other group"
                    items = [f"{self.outcome_name(r.outcome, r.outcome_kind)} ({self._test_detail(r)})"
                             for r in part.itertuples(index=False)]
                    sentences.append(f"{sentence_case(self.group_name(cid, higher))} had higher mean ranks than "
                                     f"{other} for {join_words([Markdown(i) for i in items])}.")
            else:
                for r in sig.itertuples(index=False):
                    best = ("" if _withheld(r, "higher_group") else
                            f", with the highest mean rank among {self.group_name(cid, r.higher_group)}")
                    sentences.append(f"{sentence_case(self.outcome_name(r.outcome, r.outcome_kind))} differed "
                                     f"between the groups ({self._test_detail(r)}){best}.")
            if len(non):
                names = join_words([self.outcome_name(r.outcome, r.outcome_kind) for r in non.itertuples(index=False)])
                ps = non[p_col].astype(float)
                spread = (self.numbers.p(float(ps.iloc[0])) if len(ps) == 1 else
                          f"p from {self.numbers.p_cell(float(ps.min()))} to {self.numbers.p_cell(float(ps.max()))}")
                what = "correlation" if (tested["test"] == "spearman").all() else "difference"
                if sentences:
                    sentences.append(f"For {names}, no {what} reached p < {alpha:g} ({spread}).")
                else:
                    sentences.append(f"No {what} reached p < {alpha:g} for {names} ({spread}).")
            for r in chosen[chosen["test"] == "none"].itertuples(index=False):
                sentences.append(f"{sentence_case(self.outcome_name(r.outcome, r.outcome_kind))} was not tested "
                                 f"({plain(r.reason)}).")
            withheld = chosen[(chosen["test"] != "none") & hidden]
            if len(withheld):
                names = join_words([self.outcome_name(r.outcome, r.outcome_kind) for r in withheld.itertuples(index=False)])
                sentences.append(f"The {'tests' if len(withheld) > 1 else 'test'} for {names} "
                                 f"{'are' if len(withheld) > 1 else 'is'} withheld to protect small counts.")
            paragraphs.append(f"**{plain(comp.label)}.** " + " ".join(sentences))
        return Markdown("\n\n".join(paragraphs))

    # -- themes --------------------------------------------------------------------------------
    def correlations(self, domain: str | None = None) -> Markdown:
        """One sentence per theme (of ``domain``, or all): Spearman's rho or its range per
        questionnaire, and how many correlations reached the theme's significance level."""
        summary = self.results.theme_correlation_summary
        themes = self.themes_of(domain) if domain is not None else list(self.codebook.themes)
        sentences = []
        for tid in themes:
            part = summary[(summary["theme"] == tid) & (summary["n_defined"] > 0)]
            if part.empty:
                continue
            values = []
            for r in part.itertuples(index=False):
                who = self.questionnaire(r.questionnaire)
                if r.n_pairs == 1 and not _missing(r.rho):
                    values.append(Markdown(f"ρ = {self.numbers.statistic(r.rho)} among {who}"))
                else:
                    values.append(Markdown(f"ρ from {self.numbers.statistic(r.rho_min)} to "
                                           f"{self.numbers.statistic(r.rho_max)} among {who}"))
            n_sig, n_def = int(part["n_significant"].sum()), int(part["n_defined"].sum())
            alpha = float(part["alpha"].iloc[0])
            sentences.append(f"Within {lower_first(plain(self.codebook.themes[tid].label))}, {join_words(values)} "
                             f"({n_sig} of {plural(n_def, 'correlation')} with p < {alpha:g}).")
        return Markdown(" ".join(sentences))

    def alpha(self, questionnaire: str, theme: str) -> Markdown:
        """Cronbach's alpha of a theme with its 95% CI: ``α = 0.82 (95% CI 0.78 to 0.86)``."""
        rel = self.results.reliability
        row = rel[(rel["questionnaire"] == questionnaire) & (rel["theme"] == theme)]
        if row.empty or _missing(row["alpha"].iloc[0]):
            return Markdown("α not computed")
        r = next(row.itertuples(index=False))
        text = f"α = {self.numbers.statistic(r.alpha)}"
        if not _missing(r.ci_low) and not _missing(r.ci_high):
            text += f" (95% CI {self.numbers.statistic(r.ci_low)} to {self.numbers.statistic(r.ci_high)})"
        return Markdown(text)

    # -- methods, notes, free text ---------------------------------------------------------------
    def methods(self) -> Markdown:
        """The statistical-methods paragraphs, written from what the analysis ran."""
        from ._methods_text import methods_markdown

        return methods_markdown(self._raw, self.numbers)

    def disclosure_note(self) -> Markdown:
        """The disclosure-control sentence under ``--min-cell K`` (empty otherwise)."""
        k = self.min_cell
        if k <= 1:
            return Markdown("")
        text = (f"For disclosure control, counts from 1 to {k - 1} are printed as \"\\<{k}\" in the tables, "
                "figures and text, and further counts are withheld (printed as \"–\") where a total or another "
                "published number would reveal them.")
        flow = self.results.flow
        if "n_withheld" in flow.columns and (flow.loc[flow["stage"] == "received", "n_withheld"] != "").any():
            # The flow no longer adds up on the page: say why.
            text += (f" Where fewer than {k} responses were excluded in all, the number received is withheld, "
                     "since received minus analysed would give it.")
        return Markdown(text)

    def data_notes(self) -> Markdown:
        """A "Data notes" callout listing every distinct loading and analysis warning (or empty)."""
        from ..disclosure import protect_text

        # The protected results' warnings state no small count; the cohort's go through the same rule.
        texts = [protect_text(str(w), self.min_cell) for w in self.cohort.warnings] + [str(w) for w in self.results.warnings]
        unique = list(dict.fromkeys(texts))
        if not unique:
            return Markdown("")
        items = "\n".join(f"- {plain(w)}" for w in unique)
        return Markdown(f'::: {{.callout-note title="Data notes"}}\n{items}\n:::\n')

    def quotes(self, per_variable: int = 3) -> Markdown:
        """A few free-text answers per text question, in respondent order, quoted and escaped.

        The first ``per_variable`` distinct non-empty answers that are :func:`quotable`; a
        synthetic cohort's answers are said to be synthetic."""
        cb = self.codebook
        blocks = []
        for qid, q in cb.questionnaires.items():
            frame = self.cohort.responses.get(qid)
            if frame is None:
                continue
            for vid, var in q.variables.items():
                if var.type != "text" or vid not in frame.columns:
                    continue
                answers = [a for a in (" ".join(str(x).split()) for x in frame[vid].dropna()) if a]
                picked = [a for a in dict.fromkeys(answers) if quotable(a)][:per_variable]
                if not picked:
                    continue
                kind = "synthetic " if cb.study.synthetic else ""
                n = self._published_count(len(answers), len(answers) if len(answers) >= self.min_cell else None)
                blocks.append(f"{plain(q.label)} were asked “{plain(var.question)}”; {n} gave a {kind}free-text "
                              "answer, among them:")
                blocks.append("\n>\n".join(f"> “{plain(a)}”" for a in picked))
        return Markdown("\n\n".join(blocks))

    def provenance(self) -> Markdown:
        """The codebook and data files with their SHA-256, software versions and build date."""
        from ._provenance import provenance_markdown, report_software

        return Markdown(provenance_markdown(self._raw.provenance, self.codebook, extra_software=report_software()))
