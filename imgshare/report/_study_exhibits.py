"""Tables and figures by label, for :class:`~imgshare.report.Study` (a mixin).

Two ways to show an exhibit, for the two kinds of manuscript:

* :meth:`ExhibitsMixin.exhibit` -- the bare table or figure for a cell that carries its own
  ``label`` and ``tbl-cap``/``fig-cap`` (the study manuscript);
* :meth:`ExhibitsMixin.place` -- self-labelled exhibits (label, caption and alt text from
  :mod:`imgshare.exhibits`) for a document whose exhibits depend on the codebook (the generic
  manuscript), each placed at most once.

Every exhibit is built from the disclosure-controlled analysis with the project's number style.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ._errors import ReportError
from ._markdown import Markdown, join_words

__all__ = ["ExhibitsMixin", "Outputs"]


class Outputs:
    """Several outputs shown in order by one cell: Markdown and self-labelled exhibits.

    The built-in engine shows each part (``_imgshare_parts_``); under Quarto (Jupyter) the
    parts' Markdown is concatenated (``_repr_markdown_``), which Quarto numbers and links alike.
    """

    def __init__(self, parts: Iterable[Any]):
        self.parts = tuple(p for p in parts if p is not None and not (isinstance(p, str) and not p))

    def _imgshare_parts_(self) -> tuple[Any, ...]:
        return self.parts

    def _repr_markdown_(self) -> str:
        out = []
        for part in self.parts:
            out.append(str(part._repr_markdown_()) if hasattr(part, "_repr_markdown_") else str(part))
        return "\n\n".join(out) + "\n"

    def __bool__(self) -> bool:
        return bool(self.parts)


class ExhibitsMixin:
    """Exhibits by label, bare or self-labelled, built once per render."""

    @property
    def exhibits(self):
        """Every exhibit the codebook calls for, by label (:class:`~imgshare.exhibits.ExhibitSet`:
        each built when first looked up, once per render)."""
        return self._parts.exhibits

    def has(self, label: str) -> bool:
        """Whether the codebook gives this exhibit (e.g. a comparison table)."""
        return label in self.exhibits

    def _get(self, label: str):
        try:
            return self.exhibits[label]
        except KeyError:
            raise ReportError(f"no exhibit labelled {label!r}; the codebook gives: "
                              f"{', '.join(self.exhibits)}") from None

    def exhibit(self, label: str):
        """The bare table or figure ``label`` for a cell with its own label and caption."""
        from ._exhibit import show

        return show(self._get(label))

    def labels(self, prefix: str = "", *, kind: str | None = None) -> list[str]:
        """Exhibit labels starting with ``prefix`` (``kind``: "table" or "figure"), in build order."""
        exhibits = self.exhibits
        return [label for label in exhibits
                if label.startswith(prefix) and (kind is None or exhibits.kind(label) == kind)]

    def place(self, labels: str | Sequence[str]) -> Outputs:
        """Self-labelled exhibits (a label, or labels, or a prefix ending in "-"), each placed once:
        a label already placed by this object is skipped."""
        from ._exhibit import labelled

        wanted = self.labels(labels) if isinstance(labels, str) and labels.endswith("-") else (
            [labels] if isinstance(labels, str) else list(labels))
        parts = []
        for label in wanted:
            if label in self._shown:
                continue
            parts.append(labelled(self._get(label)))
            self._shown.add(label)
        return Outputs(parts)

    def comparison_table_labels(self) -> list[str]:
        """Each comparison's full table, then its Dunn's pairwise tests and its groups' theme scores."""
        from ..exhibits import slug

        return [label for cid in self.codebook.comparisons
                for label in (slug("tbl", "compare", cid), slug("tbl", "posthoc", cid), slug("tbl", "scores", cid))
                if self.has(label)]

    def comparison_tables(self) -> Outputs:
        """The tables of :meth:`comparison_table_labels`, in that order."""
        return self.place(self.comparison_table_labels())

    def refs(self, labels: Sequence[str]) -> Markdown:
        """Cross-references to exhibits: ``@tbl-a and @tbl-b``."""
        return join_words([Markdown(f"@{label}") for label in labels if label in self.exhibits])

    def unplaced(self) -> list[str]:
        """Labels of exhibits not placed yet (a generic manuscript shows every one)."""
        return [label for label in self.exhibits if label not in self._shown]

    # -- tables the study manuscript lays out itself -------------------------------------------
    def categorical_grid(self, label: str, questionnaire: str, variables: Sequence[str]):
        """One bare table of several categorical variables sharing their levels (a row each)."""
        from ..tables import tbl_categorical_grid
        from ._exhibit import bare_table

        d = self.results.descriptives  # disclosure-controlled, like every other exhibit
        frames = {}
        for vid in variables:
            self._variable(questionnaire, vid)
            frames[vid] = d[(d["questionnaire"] == questionnaire) & (d["variable"] == vid)].reset_index(drop=True)
        spec = tbl_categorical_grid(frames, self.codebook, label, questionnaire=questionnaire,
                                    decimals=self.numbers.percent_decimals, min_cell=self.min_cell or None)
        return bare_table(spec)

    def item_table(self, label: str, questionnaire: str, items: Sequence[str], *, stubhead: str | None = None):
        """One bare table of the answers to some statements (counts and percentages per level)."""
        from ..tables import tbl_likert_item
        from ._exhibit import bare_table

        for item in items:
            self._item(questionnaire, item)
        levels = self.results.item_levels  # disclosure-controlled, like every other exhibit
        frame = levels[(levels["questionnaire"] == questionnaire) & levels["item"].isin(list(items))]
        frame = frame.reset_index(drop=True)
        kwargs = {"stubhead": stubhead} if stubhead else {}
        spec = tbl_likert_item(frame, self.codebook, label, questionnaire=questionnaire, items=list(items),
                               decimals=self.numbers.percent_decimals, min_cell=self.min_cell or None, **kwargs)
        return bare_table(spec)

    def checklist(self, label: str = "tbl-cherries"):
        """The CHERRIES web-survey reporting checklist, answered from the codebook and the flow,
        as a bare table for a cell with its own label and caption."""
        from ._checklist import cherries_table
        from ._exhibit import bare_table

        from ._checklist import project_answers

        return bare_table(cherries_table(self, label, project_answers(self.config.get("checklist"))))

    # -- the reproduction audit ---------------------------------------------------------------
    @property
    def audit(self):
        """The reproduction audit (:class:`~imgshare.report.AuditReport`) when the codebook has
        published values beside it, else None."""
        return self._parts.audit

    def audit_summary(self) -> Markdown:
        """The audit's one-paragraph summary (empty without published values; lays out no table)."""
        from ._markdown import plain

        checked = self._parts.audit_check
        return plain(checked.summary) if checked is not None else Markdown("")

    def audit_tables(self) -> Outputs:
        """The audit's tables, self-labelled (none without published values)."""
        return Outputs(self.audit.tables if self.audit is not None else ())

    def reproduction_section(self) -> Outputs:
        """'Reproduction of the published values' (results): the audit's summary, pointing to its
        appendix; nothing when the codebook has no published values beside it."""
        if self._published_path is None:
            return Outputs(())
        return Outputs([Markdown("## Reproduction of the published values {#sec-reproduction}"),
                        Markdown("Every number the paper prints was recomputed from the data analysed here and "
                                 f"compared with the printed value (online supplementary material, reproduction audit). "
                                 f"{self.audit_summary()}")])

    def audit_section(self) -> Outputs:
        """The reproduction audit's appendix: summary and one table per kind of source (nothing
        without published values)."""
        if self.audit is None:
            return Outputs(())
        return Outputs([Markdown("# Reproduction audit {#sec-appendix-audit}"), self.audit_summary(),
                        Markdown("The tables below list every printed value with the value computed here, by "
                                 "source; the last table lists what the printed numbers reveal when checked "
                                 "against each other, without data."),
                        self.audit_tables()])
