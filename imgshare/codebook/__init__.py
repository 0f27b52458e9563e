"""The codebook: everything imgshare knows about a study, loaded into a typed, immutable model.

The YAML format is documented in ``docs/codebook.md``. :func:`load_codebook` reads a file and
:func:`parse_codebook` a mapping; both reject an invalid codebook with a :class:`CodebookError`
whose lines name the key path and the reason, e.g.
``themes.engagement.items[2]: unknown item 'E9'``.

Layout: ``_model.py`` (the frozen dataclasses), ``_reader.py`` (typed values read with their key
paths), ``_parse_measures.py`` (scales, items, domains, themes), ``_parse_questionnaires.py``
(questionnaires, variables, exclusions), ``_parse_comparisons.py``, ``_parse_codebook.py`` (the
root, study metadata and checks across sections), ``_load_codebook.py`` (the file and YAML) and
``_words.py`` (:func:`scale_words`: how each scale's answers are spoken of in captions and prose).
"""

from ._load_codebook import load_codebook
from ._model import (
    Analysis,
    Codebook,
    Comparison,
    Domain,
    Exclusion,
    Item,
    Level,
    Questionnaire,
    Scale,
    Study,
    Theme,
    Variable,
)
from ._parse_codebook import parse_codebook
from ._words import SCALE_KINDS, ScaleWords, common_words, scale_words

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
    "ScaleWords",
    "SCALE_KINDS",
    "scale_words",
    "common_words",
    "load_codebook",
    "parse_codebook",
]
