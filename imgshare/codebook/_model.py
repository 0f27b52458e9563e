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
    "VARIABLE_TYPES",
    "TESTS",
    "ANSWER_FORMS",
]

# The allowed values of Variable.type, Comparison.test and Questionnaire.answers.
VARIABLE_TYPES = ("categorical", "text", "number")
TESTS = ("auto", "mann-whitney", "kruskal-wallis")
ANSWER_FORMS = ("auto", "codes", "labels")


@dataclass(frozen=True)
class Level:
    code: int
    label: str


@dataclass(frozen=True)
class Scale:
    """An ordered response scale; ``agree``/``neutral``/``disagree`` partition its codes."""

    id: str
    label: str
    levels: tuple[Level, ...]
    agree: frozenset[int]
    neutral: frozenset[int]
    disagree: frozenset[int]

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
        return {lv.code: lv.label for lv in self.levels}[code]

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


@dataclass(frozen=True)
class Variable:
    """A non-Likert column: categorical (ordered coded levels), free text, or number."""

    id: str
    type: str
    question: str
    levels: tuple[Level, ...] = ()
    required: bool = True
    asked_if: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    missing_levels: tuple[int, ...] = ()
    note: str = ""

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(lv.code for lv in self.levels)

    def label_of(self, code: int) -> str:
        return {lv.code: lv.label for lv in self.levels}[code]


@dataclass(frozen=True)
class Exclusion:
    """A rule removing respondents from the analysed cohort, applied in order (first match wins).

    ``missing_any`` lists columns (or is ``('required',)``) whose non-response excludes;
    ``when`` maps a categorical variable to the codes that exclude.
    """

    id: str
    reason: str
    missing_any: tuple[str, ...] = ()
    when: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


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

    def scale_of(self, item_id: str) -> Scale:
        return self.scales[self.items[item_id].scale]

    def data_path(self, questionnaire_id: str, data_dir: Path | None = None) -> Path:
        return (data_dir or self.base_dir) / self.questionnaires[questionnaire_id].file

    def theme_items(self, theme_id: str, questionnaire_id: str) -> tuple[str, ...]:
        """The theme's items that this questionnaire asks."""
        asked = set(self.questionnaires[questionnaire_id].items)
        return tuple(i for i in self.themes[theme_id].items if i in asked)

