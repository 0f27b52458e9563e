"""The manuscript engine and the manuscript's one object.

A manuscript (the study's ``report.qmd`` or the packaged generic one) makes one
:class:`Study` in its setup cell -- ``study = imgshare.report.study()`` -- and its prose asks
it for every number, share, sentence and exhibit (see ``docs/manuscript.md``). The object
escapes codebook and data text (:mod:`imgshare.escape`), withholds small counts under
``--min-cell`` (:mod:`imgshare.disclosure`) and formats numbers with the project's
:class:`~imgshare.tables.NumberStyle`, so the documents hold prose and calls only.

:func:`render_report` renders a project with a Quarto CLI (>= 1.5) when one is installed,
otherwise with the built-in engine (pandoc and Typst wheels). :func:`context` tells a document
which codebook, data and threshold the render chose. A codebook other than the one a project
was written for is rendered with the packaged generic manuscript (:data:`GENERIC_PROJECT`).
"""

from ._audit import AuditReport
from ._context import (ENV_CODEBOOK, ENV_DATA_DIR, ENV_MIN_CELL, ENV_PROJECT_DIR, ReportContext, context,
                       project_codebook)
from ._errors import ReportError
from ._exhibit import LabelledFigure, LabelledTable, labelled, show
from ._formats import MultiFormat
from ._markdown import Markdown
from ._projects import GENERIC_PROJECT, ProjectChoice, choose_project
from ._render import RenderResult, render_report
from ._study import LevelFact, Study
from ._study_exhibits import Outputs
from ._study_parts import study

__all__ = [
    "study",
    "Study",
    "LevelFact",
    "Markdown",
    "Outputs",
    "render_report",
    "RenderResult",
    "context",
    "ReportContext",
    "project_codebook",
    "ENV_CODEBOOK",
    "ENV_DATA_DIR",
    "ENV_PROJECT_DIR",
    "ENV_MIN_CELL",
    "GENERIC_PROJECT",
    "ProjectChoice",
    "choose_project",
    "ReportError",
    "MultiFormat",
    "show",
    "labelled",
    "LabelledTable",
    "LabelledFigure",
    "AuditReport",
]
