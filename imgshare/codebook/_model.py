"""The codebook model: frozen dataclasses for a study, its scales, items, questionnaires,
domains, themes and comparisons.

Only data and the small derived properties its users need live here; reading and validating
YAML into these classes is done by the ``_parse_*`` modules and ``_load_codebook.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "Level",
    "Scale",
    "Item",
    "Variable",
    "Exclusion",
    "Questionnaire",
    "Domain",
    "Theme",
    "Comparison",
    "Study",
    "Codebook",
    "Analysis",
    "VARIABLE_TYPES",
    "TESTS",
    "ANSWER_FORMS",
    "WORDINGS",
    "DEFAULT_MIN_ANSWERED",
    "DEFAULT_MAX_EXCLUDED_SHARE",
]

# The allowed values of Variable.type, Comparison.test and Questionnaire.answers.
VARIABLE_TYPES = ("categorical", "text", "number")
TESTS = ("auto", "mann-whitney", "kruskal-wallis", "spearman")
ANSWER_FORMS = ("auto", "codes", "labels")
WORDINGS = ("published", "reconstructed")

#: Share of a theme's items a respondent must answer to get a theme score (``analysis.min_answered``).
DEFAULT_MIN_ANSWERED = 0.5
#: An exclusion rule removing more than this share of a questionnaire's responses is warned about
#: (``analysis.max_excluded_share``).
DEFAULT_MAX_EXCLUDED_SHARE = 0.25


@dataclass(frozen=True)
class Level:
    code: int
    label: str


def _label_in(levels: tuple[Level, ...], code: int) -> str:
    return {lv.code: lv.label for lv in levels}[code]


@dataclass(frozen=True)
class Scale:
    """An ordered response scale; ``agree``/``neutral``/``disagree`` partition its codes.

    ``missing`` are codes that are answers but not substantive ones ("Don't know", "Not
    applicable", SPSS user-missing codes): never a level of the scale, never in a rank test,
    counted and reported apart. ``kind`` and ``words`` say how the scale is spoken of (see
    :func:`imgshare.codebook.scale_words`).
    """

    id: str
    label: str
    levels: tuple[Level, ...]
    agree: frozenset[int]
    neutral: frozenset[int]
    disagree: frozenset[int]
    missing: tuple[Level, ...] = ()
    kind: str = "agreement"
    #: Overrides of the kind's words, as (key, word) pairs (see ``WORD_KEYS``).
    words: tuple[tuple[str, str], ...] = ()

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(lv.code for lv in self.levels)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(lv.label for lv in self.levels)

    @property
    def n_points(self) -> int:
        return len(self.levels)

    @property
    def has_neutral(self) -> bool:
        return bool(self.neutral)

    def label_of(self, code: int) -> str:
        return _label_in(self.levels + self.missing, code)

    @property
    def missing_codes(self) -> tuple[int, ...]:
        return tuple(lv.code for lv in self.missing)

    def category_of(self, code: int) -> str:
        """'agree', 'neutral' or 'disagree'."""
        if code in self.agree:
            return "agree"
        if code in self.neutral:
            return "neutral"
        return "disagree"

    def reversed_code(self, code: int) -> int:
        """The code an answer takes when the item is reverse-keyed (mirror within the scale)."""
        codes = self.codes
        return codes[len(codes) - 1 - codes.index(code)]


@dataclass(frozen=True)
class Item:
    """A Likert statement. ``wording`` is 'published' or 'reconstructed' (or free text)."""

    id: str
    text: str
    short: str
    scale: str
    reverse: bool = False
    required: bool = True
    wording: str = "published"
    #: Non-substantive codes of this item only, on top of its scale's ``missing``.
    missing: tuple[Level, ...] = ()


@dataclass(frozen=True)
class Variable:
    """A non-Likert column: categorical (ordered coded levels), free text, or number.

    ``missing_levels`` are levels that stay in the variable's table but are left out of group
    comparisons ("prefer not to say" as an answer option); ``missing`` are non-substantive codes
    that are not levels (SPSS user-missing codes such as -99 "Refused"): counted apart, never
    a value of the variable.
    """

    id: str
    type: str
    question: str
    levels: tuple[Level, ...] = ()
    required: bool = True
    asked_if: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    missing_levels: tuple[int, ...] = ()
    note: str = ""
    missing: tuple[Level, ...] = ()

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(lv.code for lv in self.levels)

    @property
    def missing_codes(self) -> tuple[int, ...]:
        return tuple(lv.code for lv in self.missing)

    def label_of(self, code: int) -> str:
        return _label_in(self.levels + self.missing, code)


@dataclass(frozen=True)
class Exclusion:
    """A rule removing respondents from the analysed cohort, applied in order (first match wins).

    ``missing_any`` lists columns (or is ``('required',)``) whose non-response excludes: a
    blank, or one of the non-substantive ``codes`` (``all_codes``: any declared one);
    ``when`` maps a categorical variable or an item to the codes that exclude (non-substantive
    codes included).
    """

    id: str
    reason: str
    missing_any: tuple[str, ...] = ()
    when: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    codes: tuple[int, ...] = ()
    all_codes: bool = False


@dataclass(frozen=True)
class Questionnaire:
    id: str
    label: str
    file: str
    id_column: str
    items: tuple[str, ...]
    variables: Mapping[str, Variable]
    exclusions: tuple[Exclusion, ...] = ()
    header_rows: int = 1
    encoding: str = "utf-8"
    delimiter: str | None = None
    sheet: str | int | None = None
    answers: str = "auto"
    weight: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the data file must have, in codebook order."""
        cols = [self.id_column, *self.items, *self.variables]
        if self.weight:
            cols.append(self.weight)
        return tuple(cols)


@dataclass(frozen=True)
class Domain:
    id: str
    label: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    domain: str | None
    items: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    """A group comparison. ``between='questionnaires'`` compares whole questionnaires
    (``groups``); otherwise respondents of ``questionnaire`` are grouped by variable ``by``
    (restricted to ``levels`` when given)."""

    id: str
    label: str
    between: str
    groups: tuple[str, ...] = ()
    questionnaire: str | None = None
    by: str | None = None
    levels: tuple[int, ...] | None = None
    items: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    test: str = "auto"
    #: Number variables compared as outcomes (rank tests of their values by group).
    variables: tuple[str, ...] = ()
    #: How prose names each compared level: ``(code, "patients who had imaging")`` pairs.
    group_names: tuple[tuple[int, str], ...] = ()

    def group_name(self, code: int) -> str | None:
        """The codebook's name of the group answering ``code`` (None when not named)."""
        return dict(self.group_names).get(code)

    @property
    def correlational(self) -> bool:
        """Grouped ``by`` a number variable: each outcome is correlated with it (Spearman)."""
        return self.test == "spearman"


@dataclass(frozen=True)
class Study:
    id: str
    title: str
    citation: str = ""
    data: str = "real"
    data_note: str = ""
    registration: str = ""  # a trial or study registration number, printed in the abstract

    @property
    def synthetic(self) -> bool:
        return self.data == "synthetic"


@dataclass(frozen=True)
class Analysis:
    """Codebook-wide analysis settings (the ``analysis`` section)."""

    min_answered: float = DEFAULT_MIN_ANSWERED
    max_excluded_share: float = DEFAULT_MAX_EXCLUDED_SHARE


@dataclass(frozen=True)
class Codebook:
    study: Study
    scales: Mapping[str, Scale]
    items: Mapping[str, Item]
    domains: Mapping[str, Domain]
    themes: Mapping[str, Theme]
    questionnaires: Mapping[str, Questionnaire]
    comparisons: Mapping[str, Comparison]
    source: str = "codebook.yml"
    base_dir: Path = Path(".")
    analysis: Analysis = Analysis()

    def scale_of(self, item_id: str) -> Scale:
        return self.scales[self.items[item_id].scale]

    def missing_of(self, questionnaire_id: str, column: str) -> tuple[Level, ...]:
        """The non-substantive codes declared for ``column`` (an item: its scale's, then its own)."""
        if column in self.items:
            item = self.items[column]
            scale = self.scales.get(item.scale)
            return (scale.missing if scale is not None else ()) + item.missing
        var = self.questionnaires[questionnaire_id].variables.get(column)
        return var.missing if var is not None else ()

    def data_path(self, questionnaire_id: str, data_dir: Path | None = None) -> Path:
        return (data_dir or self.base_dir) / self.questionnaires[questionnaire_id].file

    def theme_items(self, theme_id: str, questionnaire_id: str) -> tuple[str, ...]:
        """The theme's items that this questionnaire asks."""
        asked = set(self.questionnaires[questionnaire_id].items)
        return tuple(i for i in self.themes[theme_id].items if i in asked)

