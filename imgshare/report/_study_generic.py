"""The generic manuscript's computed prose, for :class:`~imgshare.report.Study` (a mixin).

The generic manuscript renders any codebook: its sections are calls such as
``study.respondents_section()``, each returning the section's heading (when the codebook gives
it anything to show), a computed paragraph and its self-labelled exhibits, or nothing.
"""

from __future__ import annotations

from ._markdown import Markdown, join_words, lower_first, plain, plural, sentence_case
from ._study_exhibits import Outputs

__all__ = ["GenericMixin"]


class GenericMixin:
    """Sections of the generic manuscript, written from the codebook and the results."""

    # -- sentences -----------------------------------------------------------------------------
    def instruments(self) -> Markdown:
        """The questionnaires, their statements and scales, domains, themes and reverse-keyed items."""
        cb = self.codebook
        questionnaires = [
            Markdown(f"{plain(q.label)} ({plural(len(q.items), 'statement')}, "
                     f"{plural(sum(v.type == 'categorical' for v in q.variables.values()), 'question')} about "
                     "the respondents)")
            for q in cb.questionnaires.values()]
        scales = [Markdown(f"{plain(s.label)} ({len(s.codes)} levels, {'with a' if s.neutral else 'no'} "
                           "neutral level)") for s in cb.scales.values()]
        reverse = [Markdown(f"“{plain(i.short or i.text)}”") for i in cb.items.values() if i.reverse]
        text = (f"There {'was' if len(questionnaires) == 1 else 'were'} "
                f"{plural(len(questionnaires), 'questionnaire')}: {join_words(questionnaires)}. "
                f"The {plural(len(cb.items), 'statement')} were answered on {plural(len(scales), 'scale')}: "
                f"{join_words(scales)}. They are grouped into {plural(len(cb.domains), 'domain')}"
                + (f" and {plural(len(cb.themes), 'theme')}" if cb.themes else "") + ". "
                + (f"Reverse-keyed statements ({join_words(reverse)}) are mirrored when theme scores are computed "
                   "and shown as answered elsewhere." if reverse else "No statement is reverse-keyed."))
        return Markdown(text)

    def data_statement(self) -> Markdown:
        """Where the data come from (the codebook's ``study.data_note``), for the methods; empty without one."""
        note = self.codebook.study.data_note
        return Markdown(f"The data: {plain(note)}") if note else Markdown("")

    def flow_summary(self) -> Markdown:
        """One sentence per questionnaire: responses received, excluded (by reason) and analysed."""
        sentences = []
        for qid, q in self.codebook.questionnaires.items():
            flow = self.results.flow
            part = flow[flow["questionnaire"] == qid]
            if part.empty:
                continue
            raw = self._raw.flow
            raw_part = raw[raw["questionnaire"] == qid]
            reasons = []
            for pub, r in zip(part.itertuples(index=False), raw_part.itertuples(index=False)):
                if pub.stage == "excluded" and not (r.n == 0):
                    reasons.append(f"{lower_first(plain(pub.reason))}: {self._published_count(r.n, pub.n)}")
            detail = f" ({'; '.join(reasons)})" if reasons else ""
            sentences.append(f"{plain(q.label)}: {self.n(qid, 'received')} responses received, "
                             f"{self.n(qid, 'excluded')} excluded{detail} and {self.n(qid, 'analysed')} analysed.")
        return Markdown(" ".join(sentences))

    def words(self, items=None):
        """How to speak of the answers (``imgshare.codebook.ScaleWords``) of some statements (default:
        all): their scales' own words when they share them ("agreement", "frequency"), else neutral ones."""
        from ..codebook import common_words

        items = self.codebook.items if items is None else items
        return common_words(self.codebook.scales[s] for s in dict.fromkeys(self.codebook.items[i].scale for i in items))

    def domain_summary(self) -> Markdown:
        """One sentence per domain: its mean agreement (in its scales' words) in each questionnaire."""
        sentences = []
        d = self.results.domain_agreement
        for did, dom in self.codebook.domains.items():
            part = d[d["domain"] == did]
            if part.empty:
                continue
            shares = [Markdown(f"{self.domain_mean(r.questionnaire, did)} among {self.questionnaire(r.questionnaire)}")
                      for r in part.itertuples(index=False)]
            noun = plain(self.words(dom.items).noun)
            sentences.append(f"Across the {int(part['n_items'].max())} statements on "
                             f"{lower_first(plain(dom.label))}, mean {noun} was {join_words(shares)}.")
        return Markdown(" ".join(sentences))

    # -- sections ------------------------------------------------------------------------------
    def flow_section(self) -> Outputs:
        """The participant flow: a sentence per questionnaire, the flow diagram and table."""
        labels = [label for label in ("fig-participant-flow", "tbl-participant-flow") if self.has(label)]
        text = self.flow_summary() + (f" The flow is shown in {self.refs(labels)}." if labels else "")
        return Outputs([Markdown(text), self.place(labels)])

    def respondents_section(self) -> Outputs:
        """'Respondents': the tables of the questions about the respondents (none: nothing)."""
        from ..exhibits import slug

        labels = [slug("tbl", qid, vid) for qid, q in self.codebook.questionnaires.items()
                  for vid, var in q.variables.items() if var.type == "categorical"]
        labels += [slug("tbl", qid, "numbers") for qid in self.codebook.questionnaires]
        labels = [label for label in labels if self.has(label)]
        if not labels:
            return Outputs(())
        return Outputs([Markdown("## Respondents {#sec-respondents}"),
                        Markdown(f"The respondents' answers to the questions about themselves are in "
                                 f"{self.refs(labels)}."), self.place(labels)])

    def agreement_section(self) -> Outputs:
        """Agreement with the statements: per-domain means, diverging charts, statement tables."""
        from ..exhibits import slug

        cb = self.codebook
        charts = [label for did in cb.domains for qid in cb.questionnaires
                  for label in self.labels(slug("fig", qid, did), kind="figure")
                  if not label.startswith("fig-paired-")]
        tables = [label for qid in cb.questionnaires for label in self.labels(slug("tbl", qid, "items"))]
        overview = [label for label in ("fig-domain-agreement", "tbl-item-agreement") if self.has(label)]
        words = self.words()
        heading = (f"## {sentence_case(plain(words.noun))} {plain(words.preposition)} the statements "
                   "{#sec-agreement}") if words.kind != "mixed" else "## Answers to the statements {#sec-agreement}"
        text = (self.domain_summary()
                + (f" The answers to each statement are charted in {self.refs(charts)}" if charts else "")
                + (f" and tabulated in {self.refs(tables)}" if tables else "")
                + (f"; the mean per domain and each statement's answers are summarised in {self.refs(overview)}"
                   if overview else "") + ".")
        return Outputs([Markdown(heading), Markdown(text), self.place(charts + tables + overview)])

    def free_text_section(self) -> Outputs:
        """'Free-text answers', when any were given and may be quoted."""
        answers = self.quotes(per_variable=3)
        if not answers:
            return Outputs(())
        return Outputs([Markdown("## Free-text answers {#sec-free-text}"), answers])

    def themes_section(self) -> Outputs:
        """'Themes': within-theme correlations and internal consistency (no themes: nothing)."""
        labels = [label for label in ("tbl-theme-correlations", "tbl-reliability") if self.has(label)]
        scores = [label for label in ("tbl-theme-scores",) if self.has(label)]
        if not labels and not scores:
            return Outputs(())
        return Outputs([Markdown("## Themes {#sec-themes}"),
                        Markdown(f"{self.correlations()} Correlations and internal consistency are in "
                                 f"{self.refs(labels)}." if labels else ""),
                        Markdown(f"Each respondent's theme scores are summarised in {self.refs(scores)}."
                                 if scores else ""),
                        self.place(labels + scores)])

    def comparisons_section(self) -> Outputs:
        """'Group comparisons': a paragraph per comparison, the paired charts and full tables."""
        if not self.codebook.comparisons or self.results.comparisons.empty:
            return Outputs(())
        paired = self.labels("fig-paired-")
        tables = self.comparison_table_labels()
        adjusted = self._raw.settings.get("p_adjust")
        intro = ("For each comparison, the paragraph gives which group had the higher mean rank on each theme (or "
                 "statement, when the comparison has no themes), the test statistic, the p value and the effect "
                 "size with its 95% confidence interval; "
                 + (f"p values are adjusted for multiple testing ({plain(adjusted)})." if adjusted else
                    "p values are not adjusted for multiple testing.")
                 + (f" The full results are in {self.refs(tables)}." if tables else "")
                 + (f" Statements are compared side by side in {self.refs(paired)}." if paired else ""))
        return Outputs([Markdown("## Group comparisons {#sec-comparisons}"), Markdown(intro), self.comparisons(),
                        self.place(paired), self.comparison_tables()])

    def remaining_section(self) -> Outputs:
        """'Other tables and figures': every exhibit not placed by an earlier section."""
        rest = self.unplaced()
        if not rest:
            return Outputs(())
        return Outputs([Markdown("## Other tables and figures {#sec-other-exhibits}"), self.place(rest)])
