"""The manuscript's one object: every number, share, sentence and exhibit of a render.

A manuscript's setup cell makes one :class:`Study` (``study = imgshare.report.study()``) and its
prose asks it for everything, with inline calls such as `` `{python} study.n("patients")` `` or
`` `{python} study.share("patients", "had_imaging", "Yes")` ``. The object answers in
:class:`~imgshare.report.Markdown`, already formatted, escaped and disclosure-controlled:

* **escaping** -- every codebook or data string reaches the prose through
  :func:`imgshare.report._markdown.plain` (that is, :func:`imgshare.escape.markdown`), so it
  prints as text in every format and is never markup, a link, an image or a shortcode;
* **disclosure** -- every count comes from :attr:`Study.results`, the analysis after
  :func:`imgshare.disclosure.suppress_results` (the single disclosure pass under ``--min-cell K``),
  and a withheld count prints as the tables print it (:meth:`Study._published_count`), so the
  prose can never show what the tables withhold;
* **numbers** -- one :class:`~imgshare.tables.NumberStyle`, read from the project's
  ``_quarto.yml`` (``imgshare: {numbers: {percent-decimals: 2}}``), formats every number in
  prose, tables and figure labels.

Statistics sentences are in :mod:`._study_prose`, exhibits and their placement in
:mod:`._study_exhibits`, the generic manuscript's sections in :mod:`._study_generic`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import ReportError
from ._markdown import Markdown, join_words, lower_first, plain
from ._study_discussion import DiscussionMixin
from ._study_exhibits import ExhibitsMixin
from ._study_generic import GenericMixin
from ._study_prose import ProseMixin

__all__ = ["Study", "LevelFact", "number_style", "project_settings"]

_STAGES = ("received", "excluded", "analysed")


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


@dataclass(frozen=True)
class LevelFact:
    """One level of a categorical variable as the prose needs it (all fields Markdown)."""

    label: Markdown   # as the codebook writes it
    name: Markdown    # lower-cased first letter, for mid-sentence use
    share: Markdown   # "n (x%)" of those asked who answered
    share_paren: Markdown  # "x%, n=k"


def project_settings(project_dir: Path | None) -> dict:
    """The ``imgshare:`` section of a project's ``_quarto.yml`` (empty without one)."""
    from ._source import read_project_config

    if project_dir is None:
        return {}
    section = read_project_config(Path(project_dir)).get("imgshare")
    return dict(section) if isinstance(section, Mapping) else {}


def number_style(project_dir: Path | None):
    """The project's number style: ``imgshare: {numbers: {...}}`` in its ``_quarto.yml``."""
    from ..tables import NumberStyle, TableError

    config = project_settings(project_dir).get("numbers")
    try:
        return NumberStyle.from_config(config, "imgshare.numbers")
    except TableError as exc:
        raise ReportError(str(exc), "_quarto.yml") from None


class Study(ProseMixin, ExhibitsMixin, GenericMixin, DiscussionMixin):
    """Everything a manuscript prints about one analysed study.

    Parameters
    ----------
    codebook : Codebook
    cohort : Cohort
        The analysed cohort (its free-text answers are quoted from it).
    results : Results
        :func:`imgshare.analysis.analyse` of the cohort, unrounded and uncontrolled.
    min_cell : int
        Disclosure threshold K (``--min-cell``); counts 1..K-1 are withheld everywhere.
    numbers : NumberStyle, optional
        The formatting policy (default: :class:`~imgshare.tables.NumberStyle`).
    published : Path, optional
        The paper's printed values (``published.yml``) for the reproduction audit.
    config : mapping, optional
        The project's ``imgshare:`` section of ``_quarto.yml`` (e.g. its reporting-checklist answers).

    Examples
    --------
    >>> from imgshare.analysis import analyse
    >>> from imgshare.analysis._examples import example_cohort
    >>> cohort = example_cohort()
    >>> s = Study(cohort.codebook, cohort, analyse(cohort))
    >>> s.n() == s.n(stage="analysed")
    True
    """

    def __init__(self, codebook, cohort, results, *, min_cell: int = 0, numbers=None,
                 published: Path | None = None, config: Mapping | None = None):
        from ..tables import NumberStyle
        from ._study_parts import StudyParts

        parts = StudyParts(codebook, cohort, results, min_cell=min_cell,
                           numbers=numbers if numbers is not None else NumberStyle(), published=published)
        self._use(parts, config)

    @classmethod
    def _from_parts(cls, parts, config: Mapping | None = None) -> Study:
        """A Study on parts another document of the same render built (see :mod:`._study_parts`)."""
        self = cls.__new__(cls)
        self._use(parts, config)
        return self

    def _use(self, parts, config: Mapping | None) -> None:
        #: What does not change once built (analysis, exhibits, audit): possibly shared.
        self._parts = parts
        self.codebook = parts.codebook
        self.cohort = parts.cohort
        self.min_cell = parts.min_cell
        self.numbers = parts.numbers
        #: The analysis as it may be published: small counts withheld under ``--min-cell``.
        self.results = parts.results
        self._raw = parts.raw
        self._published_path = parts.published
        #: The project's ``imgshare:`` settings (``_quarto.yml``).
        self.config = dict(config or {})
        #: Labels this document has placed (its own, never shared).
        self._shown: set[str] = set()

    # -- metadata ------------------------------------------------------------------------------
    @property
    def title(self) -> Markdown:
        """The study's title (from the codebook)."""
        return plain(self.codebook.study.title)

    @property
    def synthetic(self) -> bool:
        """Whether the codebook declares the data synthetic."""
        return bool(self.codebook.study.synthetic)

    @property
    def data_kind(self) -> Markdown:
        """'a synthetic cohort' or 'the study data', for "computed from ..."."""
        return Markdown("a synthetic cohort" if self.synthetic else "the study data")

    @property
    def registration(self) -> Markdown:
        """The study's registration number from the codebook (``study.registration``), or "not registered"."""
        return plain(self.codebook.study.registration) if self.codebook.study.registration else Markdown(
            "not registered")

    @property
    def data_note(self) -> Markdown:
        """The codebook's note on the data (escaped), or empty."""
        return plain(self.codebook.study.data_note)

    def notice(self) -> Markdown:
        """The warning callout that opens a manuscript computed from synthetic data (else empty)."""
        if not self.synthetic:
            return Markdown("")
        note = f" {self.data_note}" if self.codebook.study.data_note else ""
        return Markdown('::: {.callout-warning title="Synthetic data"}\n'
                        "Every number, table and figure in this document is computed from a **synthetic cohort**, "
                        f"not from the study's participants.{note}\n:::\n")

    def data_availability(self) -> Markdown:
        """What a reader can obtain of the data this document was computed from (synthetic data only)."""
        if not self.synthetic:
            return Markdown("")
        return Markdown("The numbers in this document are computed from a synthetic cohort that reproduces the "
                        "published counts; that cohort, its codebook and the code that computes every number are "
                        "distributed with imgshare.")

    def synthetic_caveat(self) -> Markdown:
        """A closing callout on what synthetic results can and cannot show (empty for real data)."""
        if not self.synthetic:
            return Markdown("")
        return Markdown('::: {.callout-warning title="About the data in this document"}\n'
                        "The study's raw data are not public. The statistics in this document are computed from a "
                        "synthetic cohort built to reproduce the counts the study publishes; tests, correlations and "
                        "comparisons computed from it illustrate the method and are not findings of the study.\n:::\n")

    def questionnaire(self, qid: str) -> Markdown:
        """A questionnaire's label for mid-sentence use ("patients")."""
        return lower_first(plain(self._questionnaire(qid).label))

    # -- disclosure: the one way a count reaches the prose ---------------------------------------
    def _published_count(self, raw: Any, published: Any) -> Markdown:
        """A count as published: the number, or the tables' marker when it is withheld.

        ``published`` is the value in :attr:`results` (missing when withheld); ``raw`` the value
        before disclosure control, used only to tell a small count ("<K", as tables print it)
        from one withheld to protect another ("withheld").
        """
        from ..disclosure import marker

        if not _missing(published):
            return Markdown(self.numbers.count(published))
        if not _missing(raw) and 0 < float(raw) < self.min_cell:
            return Markdown(marker(self.min_cell).replace("<", "\\<"))
        return Markdown("a withheld number")

    def _published_share(self, raw_n, n, total, *, paren: bool) -> Markdown:
        if _missing(n):
            count = self._published_count(raw_n, n)
            return Markdown(f"n={count}" if paren else count)
        if paren:
            return Markdown(self.numbers.pct_n(n, total)) if not _missing(total) else Markdown(f"n={self.numbers.count(n)}")
        return Markdown(self.numbers.n_pct(n, total)) if not _missing(total) else Markdown(self.numbers.count(n))

    # -- participant flow ----------------------------------------------------------------------
    def _flow_n(self, frame, questionnaire: str | None, stage: str) -> float:
        if stage not in _STAGES:
            raise ReportError(f"flow stage must be one of {', '.join(_STAGES)}, found {stage!r}")
        rows = frame[frame["stage"] == stage]
        if questionnaire is not None:
            self._questionnaire(questionnaire)
            rows = rows[rows["questionnaire"] == questionnaire]
        values = rows["n"].astype(float)
        return float("nan") if values.isna().any() else float(values.sum())

    def n(self, questionnaire: str | None = None, stage: str = "analysed") -> Markdown:
        """Respondents at a flow stage (``received``, ``excluded``, ``analysed``) of one
        questionnaire, or of all of them together."""
        return self._published_count(self._flow_n(self._raw.flow, questionnaire, stage),
                                     self._flow_n(self.results.flow, questionnaire, stage))

    def flow_share(self, questionnaire: str, stage: str = "excluded") -> Markdown:
        """A stage's respondents as a percentage of those received ("20.56%")."""
        n = self._flow_n(self.results.flow, questionnaire, stage)
        total = self._flow_n(self.results.flow, questionnaire, "received")
        if _missing(n) or _missing(total) or not total:
            return Markdown("a withheld share")
        return Markdown(self.numbers.percent(100.0 * n / total))

    # -- categorical variables -----------------------------------------------------------------
    def _questionnaire(self, qid: str):
        try:
            return self.codebook.questionnaires[qid]
        except KeyError:
            raise ReportError(f"no questionnaire {qid!r} in the codebook; expected one of "
                              f"{', '.join(self.codebook.questionnaires)}") from None

    def _variable(self, qid: str, vid: str):
        q = self._questionnaire(qid)
        var = q.variables.get(vid)
        if var is None or var.type != "categorical":
            names = [v for v, x in q.variables.items() if x.type == "categorical"]
            raise ReportError(f"questionnaires.{qid}: no categorical variable {vid!r}; expected one of "
                              f"{', '.join(names)}")
        return var

    def _level_rows(self, frame, qid: str, vid: str):
        rows = frame[(frame["questionnaire"] == qid) & (frame["variable"] == vid)]
        return rows.reset_index(drop=True)

    def _level_code(self, var, qid: str, level: Any) -> int:
        for lv in var.levels:
            if level == lv.code or (isinstance(level, str) and level == lv.label):
                return lv.code
        raise ReportError(f"questionnaires.{qid}.variables.{var.id}: no level {level!r}; expected one of "
                          f"{', '.join(repr(lv.label) for lv in var.levels)}")

    def _level_values(self, qid: str, vid: str, code: int):
        raw = self._level_rows(self._raw.descriptives, qid, vid)
        pub = self._level_rows(self.results.descriptives, qid, vid)
        i = raw.index[raw["level"] == code][0]
        return raw.at[i, "n"], pub.at[i, "n"], pub.at[i, "denominator"]

    def share(self, questionnaire: str, variable: str, level: Any, *, paren: bool = False) -> Markdown:
        """``"n (x%)"`` of a categorical level among those asked who answered; ``paren=True``
        gives ``"x%, n=k"`` for use inside parentheses. ``level`` is a label or a code."""
        var = self._variable(questionnaire, variable)
        raw_n, n, total = self._level_values(questionnaire, variable, self._level_code(var, questionnaire, level))
        return self._published_share(raw_n, n, total, paren=paren)

    def _level_fact(self, qid: str, var, code: int) -> LevelFact:
        raw_n, n, total = self._level_values(qid, var.id, code)
        label = plain(var.label_of(code))
        return LevelFact(label, lower_first(label), self._published_share(raw_n, n, total, paren=False),
                         self._published_share(raw_n, n, total, paren=True))

    def largest(self, questionnaire: str, variable: str, k: int = 1) -> list[LevelFact]:
        """The ``k`` levels with the most answers (published counts only; ties in codebook order;
        levels marked as missing, such as "prefer not to say", left out)."""
        var = self._variable(questionnaire, variable)
        pub = self._level_rows(self.results.descriptives, questionnaire, variable)
        order = {code: i for i, code in enumerate(var.codes)}
        candidates = [(float(r.n), int(r.level)) for r in pub.itertuples(index=False)
                      if not _missing(r.n) and int(r.level) not in var.missing_levels]
        ranked = sorted(candidates, key=lambda t: (-t[0], order[t[1]]))[:k]
        return [self._level_fact(questionnaire, var, code) for _, code in ranked]

    def modal(self, questionnaire: str, variable: str) -> Markdown:
        """The label of the most common level (see :meth:`largest`)."""
        top = self.largest(questionnaire, variable, 1)
        return top[0].label if top else Markdown("not reportable")

    # -- items, domains, themes ----------------------------------------------------------------
    def _item(self, qid: str, item: str):
        if item not in self._questionnaire(qid).items:
            raise ReportError(f"questionnaires.{qid}: no item {item!r}; expected one of "
                              f"{', '.join(self._questionnaire(qid).items)}")
        return self.codebook.items[item]

    def agreement(self, questionnaire: str, item: str) -> Markdown:
        """``"n (x%)"`` of the respondents answering an item who chose one of its scale's
        agreeing levels."""
        scale = self.codebook.scales[self._item(questionnaire, item).scale]
        levels = self._raw.item_levels
        rows = levels[(levels["questionnaire"] == questionnaire) & (levels["item"] == item)]
        raw_n = float(rows.loc[rows["level"].isin(list(scale.agree)), "n"].sum())
        total = float(rows["n"].sum())
        agree = self.results.item_agreement
        pub = agree[(agree["questionnaire"] == questionnaire) & (agree["item"] == item)]
        withheld = pub.empty or _missing(pub["pct_agree"].iloc[0])
        return self._published_share(raw_n, float("nan") if withheld else raw_n, total, paren=False)

    def domain_mean(self, questionnaire: str, domain: str) -> Markdown:
        """Mean agreement with a domain's statements in one questionnaire ("78.49%")."""
        d = self.results.domain_agreement
        row = d[(d["questionnaire"] == questionnaire) & (d["domain"] == domain)]
        if row.empty:
            raise ReportError(f"no mean agreement for domain {domain!r} in questionnaire {questionnaire!r}; "
                              f"domains: {', '.join(self.codebook.domains)}")
        value = row["pct_agree"].iloc[0]
        return Markdown("a withheld share") if _missing(value) else Markdown(self.numbers.percent(value))

    def n_items(self, *, wording: str | None = None) -> int:
        """How many statements the questionnaires ask (``wording=`` counts only those so marked,
        e.g. "reconstructed")."""
        return sum(1 for item in self.codebook.items.values() if wording is None or item.wording == wording)

    def themes_of(self, domain: str) -> list[str]:
        """Theme ids within a domain, in codebook order."""
        if domain not in self.codebook.domains:
            raise ReportError(f"no domain {domain!r} in the codebook; expected one of {', '.join(self.codebook.domains)}")
        return [tid for tid, theme in self.codebook.themes.items() if theme.domain == domain]

    def n_themes(self, domain: str) -> int:
        """How many themes a domain has."""
        return len(self.themes_of(domain))

    def theme_names(self, domain: str) -> Markdown:
        """The themes of a domain for mid-sentence use: "a, b and c"."""
        return join_words([lower_first(plain(self.codebook.themes[t].label)) for t in self.themes_of(domain)])

    def _answers_side(self, qid: str, item: str, side: str) -> tuple[float, float]:
        scale = self.codebook.scales[self.codebook.items[item].scale]
        codes = {"agree": scale.agree, "disagree": scale.disagree}[side]
        levels = self._raw.item_levels
        rows = levels[(levels["questionnaire"] == qid) & (levels["item"] == item)]
        return float(rows.loc[rows["level"].isin(list(codes)), "n"].sum()), float(rows["n"].sum())

    def majority(self, domain: str, side: str = "agree") -> Markdown:
        """Whether, for every statement of a domain, respondents on one side (``agree`` or
        ``disagree``) outnumbered all others combined, per questionnaire, as a sentence."""
        if side not in ("agree", "disagree"):
            raise ReportError(f"side must be 'agree' or 'disagree', found {side!r}")
        holds, partial = [], []
        for qid, q in self.codebook.questionnaires.items():
            items = [i for i in self.codebook.domains[domain].items if i in q.items]
            if not items:
                continue
            wins = sum(1 for i in items if (lambda a, t: a > t - a)(*self._answers_side(qid, i, side)))
            (holds if wins == len(items) else partial).append((qid, wins, len(items)))
        words = self._side_words(domain, side)
        topic = lower_first(plain(self.codebook.domains[domain].label))
        parts = []
        if holds:
            who = join_words([self.questionnaire(q) for q, _, _ in holds])
            parts.append(f"For every statement on {topic}, respondents answering {words} outnumbered all other "
                         f"respondents combined among {who}.")
        for qid, wins, total in partial:
            parts.append(f"Among {self.questionnaire(qid)}, respondents answering {words} outnumbered all others "
                         f"for {wins} of the {total} statements on {topic}.")
        return Markdown(" ".join(parts))

    def _side_words(self, domain: str, side: str) -> Markdown:
        scales = {self.codebook.items[i].scale for i in self.codebook.domains[domain].items}
        labels: list[str] = []
        for sid in sorted(scales):
            scale = self.codebook.scales[sid]
            codes = scale.agree if side == "agree" else scale.disagree
            labels += [lv.label for lv in scale.levels if lv.code in codes and lv.label not in labels]
        return join_words([Markdown(f"“{plain(label)}”") for label in labels], "or")

