"""The codebook: everything imgshare knows about a study, loaded into a typed, immutable model.

The YAML format is documented in ``docs/codebook.md``. :func:`load_codebook` reads a file and
:func:`parse_codebook` a mapping; both reject an invalid codebook with a :class:`CodebookError`
whose lines name the key path and the reason, e.g.
``themes.engagement.items[2]: unknown item 'E9'``.

Layout: ``_model.py`` (the frozen dataclasses), ``_reader.py`` (typed values read with their key
paths), ``_parse_measures.py`` (scales, items, domains, themes), ``_parse_questionnaires.py``
(questionnaires, variables, exclusions), ``_parse_comparisons.py``, ``_parse_codebook.py`` (the
root, study metadata and checks across sections) and ``_load_codebook.py`` (the file and YAML).
"""

from ._load_codebook import load_codebook
from ._model import (
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
    "load_codebook",
    "parse_codebook",
]
