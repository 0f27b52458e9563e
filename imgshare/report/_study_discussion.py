"""The generic manuscript's discussion scaffold and journal declarations, for :class:`~imgshare.report.Study`.

A survey nobody here has seen still gets a discussion worth editing: its main findings as
computed sentences, its limitations as far as the data show them (how many answered, how many
were excluded and why, which statements went most often unanswered), and marked placeholders
for what only the authors can write. The declarations a journal requires are placeholders too.
"""

from __future__ import annotations

import math

from ._markdown import Markdown, join_words, lower_first, plain, plural
from ._study_exhibits import Outputs

__all__ = ["DiscussionMixin", "placeholder"]

DECLARATIONS = ("Acknowledgements", "Contributors", "Funding", "Competing interests",
                "Patient consent for publication", "Ethics approval", "Data availability statement")


def placeholder(what: str) -> Markdown:
    """A marked gap for the authors to fill: bracketed and highlighted in every format.

    >>> placeholder("interpret the main findings")
    Markdown('[**To be written by the authors:** interpret the main findings]{.mark}')
    """
    return Markdown(f"[**To be written by the authors:** {plain(what)}]{{.mark}}")


class DiscussionMixin:
    """Discussion scaffold, limitations from the data and declaration placeholders."""

    def main_findings(self) -> Markdown:
        """The highest and lowest mean agreement per questionnaire, and the comparisons that found
        a difference, as sentences."""
        sentences = []
        d = self.results.domain_agreement
        for qid in self.codebook.questionnaires:
            part = d[(d["questionnaire"] == qid) & d["pct_agree"].notna()]
            if len(part) < 2:
                continue
            top = part.loc[part["pct_agree"].idxmax()]
            low = part.loc[part["pct_agree"].idxmin()]
            sentences.append(
                f"Among {self.questionnaire(qid)}, agreement was highest with the statements on "
                f"{lower_first(plain(self.codebook.domains[top['domain']].label))} "
                f"({self.domain_mean(qid, top['domain'])}) and lowest with those on "
                f"{lower_first(plain(self.codebook.domains[low['domain']].label))} "
                f"({self.domain_mean(qid, low['domain'])}).")
        tests = self.results.comparisons
        if not tests.empty:
            p_col = self._p_column()
            found = tests[(tests["test"] != "none") & (tests[p_col] < 0.05)]
            names = [plain(self.codebook.comparisons[c].label) for c in dict.fromkeys(found["comparison"])]
            ran = tests[tests["test"] != "none"]
            if names:
                sentences.append(f"Of the {plural(len(ran), 'test')} of group differences, {len(found)} reached "
                                 f"p < 0.05, in these comparisons: {join_words(names)}.")
            elif len(ran):
                sentences.append(f"None of the {plural(len(ran), 'test')} of group differences reached p < 0.05.")
        return Markdown(" ".join(sentences))

    def limitations_from_data(self) -> Markdown:
        """What the data say about their own limits: responses, exclusions, unanswered statements."""
        sentences = []
        for qid, q in self.codebook.questionnaires.items():
            sentences.append(f"{plain(q.label)}: {self.n(qid, 'analysed')} of {self.n(qid, 'received')} returned "
                             f"questionnaires were analysed ({self.flow_share(qid, 'excluded')} excluded).")
        agree = self.results.item_agreement
        if "missing" in agree.columns and not agree.empty:
            rows = agree.assign(share=agree["missing"] / (agree["missing"] + agree["n"]))
            rows = rows[rows["share"].notna() & (rows["share"] > 0)]
            if not rows.empty:
                worst = rows.loc[rows["share"].idxmax()]
                share = float(worst["share"]) * 100
                if not math.isnan(share):
                    sentences.append(
                        f"The statement most often left unanswered was {self.outcome_name(worst['item'], 'item')} "
                        f"({self.numbers.percent(share)} of {self.questionnaire(worst['questionnaire'])} who were "
                        "asked it).")
        if self.synthetic:
            sentences.append("The data are synthetic: the statistics illustrate the method and are not findings.")
        return Markdown(" ".join(sentences))

    def discussion_section(self) -> Outputs:
        """'Discussion': main findings, limitations from the data, and placeholders for the rest."""
        return Outputs([
            Markdown("## Main findings {#sec-main-findings}"), self.main_findings(),
            placeholder("what the findings mean, and how they compare with earlier studies"),
            Markdown("## Limitations {#sec-limitations}"), self.limitations_from_data(),
            placeholder("sampling, response bias, the questionnaire's validity and what was not measured"),
            Markdown("## Conclusions {#sec-conclusions}"),
            placeholder("the conclusions, and what further research should ask"),
        ])

    def declarations(self) -> Outputs:
        """The statements journals require, as placeholders (the trial registration from the codebook)."""
        parts = [Markdown(f"**{name}** {placeholder('the ' + name.lower().removesuffix(' statement') + ' statement')}")
                 for name in DECLARATIONS]
        registration = (Markdown(f"{self.registration}.") if self.codebook.study.registration
                        else placeholder("the trial or study registration number, or that there was none"))
        parts.append(Markdown(f"**Registration** {registration}"))
        return Outputs(parts)
