"""Running a document's python cells and inline expressions, in order, in one namespace.

Outputs are plain JSON-able dicts so that they can be cached:

* ``{"kind": "markdown", "text": ...}`` -- Markdown to splice into the document;
* ``{"kind": "text", "text": ...}`` -- verbatim text (printed output, plain reprs);
* ``{"kind": "code", "text": ...}`` -- the cell's source, when ``echo`` is true;
* ``{"kind": "figure", "stem": ..., "width": ..., "height": ...}`` -- a figure saved as
  ``<stem>.svg`` and ``<stem>.png`` (300 dpi) in the figure directory; with ``label``,
  ``caption`` and ``alt`` when the displayed object carried its own (``_imgshare_labelled_``);
* ``{"kind": "table", "label": ..., "caption": ..., "text": ...}`` -- a self-labelled table.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._forked import ForkedJobs
from .._progress import announce
from ._deferred import deferring
from ._exhibit import PLOT_ATTR
from ._formats import formats_of, multiformat_markdown
from ._source import Cell, Document, Origin, Text, iter_inline

__all__ = ["Execution", "execute_document", "wait_for_figures", "DEFAULT_FIG_SIZE"]

#: The phone drawing of a plotnine figure: width (inches; about 390 CSS px), height relative to the
#: desktop drawing and capped, and the file name suffix.
PHONE_WIDTH_IN = 4.0
PHONE_HEIGHT_FACTOR = 1.15
PHONE_MAX_HEIGHT_IN = 8.0
PHONE_SUFFIX = ".phone"
#: Figure size in inches when a cell gives no fig-width / fig-height (and a plot has no size yet).
DEFAULT_FIG_SIZE = (7.0, 5.0)
_LABEL_RE = re.compile(r"^(fig|tbl)-\w+(?:[-:.]\w+)*$")


@dataclass(frozen=True)
class Execution:
    """What running a document produced: outputs per cell (by cell index) and inline values in order."""

    cells: tuple[tuple[dict, ...], ...]
    inline: tuple[str, ...]

    def to_json(self) -> dict:
        return {"cells": [list(c) for c in self.cells], "inline": list(self.inline)}

    @classmethod
    def from_json(cls, data: Mapping) -> Execution:
        return cls(tuple(tuple(c) for c in data["cells"]), tuple(data["inline"]))


def _is_ggplot(obj: object) -> bool:
    return type(obj).__module__.startswith("plotnine") and type(obj).__name__ == "ggplot"


def _is_mpl_figure(obj: object) -> bool:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return False
    return isinstance(obj, Figure)


def _save_figure(obj: object, fig_dir: Path, stem: str, width: float, height: float,
                 jobs: ForkedJobs | None = None) -> dict:
    """Save a plotnine plot or matplotlib figure as SVG and 300-dpi PNG at the given size in inches;
    a plotnine plot wider than a phone also as ``<stem>.phone.svg`` (the HTML shows it on phones).

    With ``jobs``, drawing and writing happen in a forked worker while the next cells run (the
    files are complete when the jobs are waited for); the output entry is the same either way.
    """
    fig_dir.mkdir(parents=True, exist_ok=True)
    announce("figure", stem)
    if _pending(obj) and obj._imgshare_pending_() is None:
        obj = obj.figure()  # drawn here already (a cell used it): save that figure
    plot = obj if _is_ggplot(obj) else obj.plot if _pending(obj) else getattr(obj, PLOT_ATTR, None)
    from ..figures import is_fixed_layout  # here, not at import: a prose-only re-render draws nothing

    phone = _is_ggplot(plot) and width > PHONE_WIDTH_IN and not is_fixed_layout(plot)
    phone_plot = plot if phone else None
    if jobs is None:
        _write_figure_files(obj, fig_dir, stem, width, height, phone_plot)
    else:
        jobs.submit(_write_figure_files, obj, fig_dir, stem, width, height, phone_plot)
        if _is_mpl_figure(obj):
            import matplotlib.pyplot as plt

            plt.close(obj)  # the worker has its own copy; keep pyplot's list short here
    return {"kind": "figure", "stem": stem, "width": width, "height": height, "phone": phone}


def _pending(obj: object) -> bool:
    """A figure left for the engine to draw (see :mod:`imgshare.report._deferred`)."""
    return callable(getattr(obj, "_imgshare_pending_", None))


def _write_figure_files(obj: object, fig_dir: Path, stem: str, width: float, height: float,
                        phone_plot: Any = None) -> None:
    import matplotlib
    import matplotlib.pyplot as plt

    # A fixed hash salt makes SVG ids, hence the files, identical from run to run.
    with matplotlib.rc_context({"svg.hashsalt": "imgshare", "svg.fonttype": "path"}):
        if _pending(obj):
            fig = obj.figure()  # drawn at the exhibit's size, then sized as shown (as a drawn figure is)
            fig.set_size_inches(width, height)
        elif _is_ggplot(obj):
            from plotnine import theme

            fig = (obj + theme(figure_size=(width, height))).draw()
        else:
            fig = obj
            fig.set_size_inches(width, height)
        fig.savefig(fig_dir / f"{stem}.svg", format="svg", metadata={"Date": None})
        fig.savefig(fig_dir / f"{stem}.png", format="png", dpi=300, metadata={"Software": None})
        plt.close(fig)
        if phone_plot is not None:
            from plotnine import guide_legend, guides, theme

            # The same plot drawn for a phone: narrower and a little taller, its text at the same
            # point size and its legend on up to three rows, so at 390 px it is legible instead of
            # a shrunken desktop chart.
            size = (PHONE_WIDTH_IN, min(height * PHONE_HEIGHT_FACTOR, PHONE_MAX_HEIGHT_IN))
            small = (phone_plot + theme(figure_size=size) + guides(fill=guide_legend(nrow=3, byrow=True))).draw()
            small.savefig(fig_dir / f"{stem}{PHONE_SUFFIX}.svg", format="svg", metadata={"Date": None})
            plt.close(small)


class _Runner:
    """Turns values into outputs for one cell."""

    def __init__(self, cell: Cell, fig_dir: Path, jobs: ForkedJobs | None = None):
        self.cell = cell
        self.fig_dir = fig_dir
        self.jobs = jobs
        self.outputs: list[dict] = []
        self.n_figures = 0
        self.stdout = io.StringIO()

    def take_stdout(self) -> None:
        """Turn what was printed so far into an output, so prints and displays keep their order."""
        text = self.stdout.getvalue()
        self.stdout.seek(0)
        self.stdout.truncate()
        self.flush_stdout(text)

    def figure_stem(self) -> str:
        self.n_figures += 1
        base = self.cell.label or f"cell-{self.cell.index + 1}"
        return base if self.n_figures == 1 else f"{base}-{self.n_figures}"

    def display(self, *objs: Any) -> None:
        for obj in objs:
            self._display_one(obj)

    def _display_one(self, obj: Any) -> None:
        if obj is None:
            return
        parts = getattr(obj, "_imgshare_parts_", None)
        if callable(parts):  # several outputs of one call, shown in order
            for part in parts():
                self._display_one(part)
            return
        self.take_stdout()
        opts = self.cell.options
        labelled = getattr(obj, "_imgshare_labelled_", None)
        if callable(labelled):
            self.outputs.append(self._labelled(labelled()))
            return
        if _is_ggplot(obj) or _is_mpl_figure(obj) or _pending(obj):
            width, height = DEFAULT_FIG_SIZE
            if not _is_ggplot(obj) and "fig-width" not in opts and "fig-height" not in opts:
                # As under Jupyter: a drawn figure keeps the size it was drawn at.
                width, height = (float(v) for v in obj.get_size_inches())
            width = float(opts.get("fig-width", width))
            height = float(opts.get("fig-height", height))
            self.outputs.append(_save_figure(obj, self.fig_dir, self.figure_stem(), width, height, self.jobs))
            return
        formats = formats_of(obj)
        if formats is not None:
            self.outputs.append({"kind": "markdown", "text": multiformat_markdown(formats)})
        elif callable(getattr(obj, "_repr_markdown_", None)):
            self.outputs.append({"kind": "markdown", "text": str(obj._repr_markdown_())})
        elif isinstance(obj, str) and opts.get("output") == "asis":
            self.outputs.append({"kind": "markdown", "text": obj})
        elif callable(getattr(obj, "to_markdown", None)):
            self.outputs.append({"kind": "markdown", "text": obj.to_markdown()})
        else:
            self.outputs.append({"kind": "text", "text": repr(obj)})

    def _labelled(self, info: Mapping) -> dict:
        """An output that carries its own label and caption (see ``imgshare.report.labelled``)."""
        label = str(info.get("label", ""))
        if not label.startswith(("fig-", "tbl-")) or not _LABEL_RE.match(label):
            raise ValueError(f"a labelled output needs a 'fig-' or 'tbl-' label, found {label!r}")
        if info.get("kind") == "figure":
            out = _save_figure(info["figure"], self.fig_dir, label, float(info["width"]), float(info["height"]),
                               self.jobs)
            return {**out, "label": label, "caption": str(info.get("caption", "")), "alt": str(info.get("alt", ""))}
        if info.get("kind") == "table":
            return {"kind": "table", "label": label, "caption": str(info.get("caption", "")),
                    "text": str(info["markdown"])}
        raise ValueError(f"a labelled output is a 'figure' or a 'table', found {info.get('kind')!r}")

    def flush_stdout(self, text: str) -> None:
        if not text:
            return
        if self.cell.options.get("output") == "asis":
            self.outputs.append({"kind": "markdown", "text": text})
        else:
            self.outputs.append({"kind": "text", "text": text.rstrip("\n")})


def _cell_error(cell: Cell, exc: BaseException, filename: str) -> Exception:
    """Name the source line where the exception arose inside the cell."""
    line = cell.code_origin.line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == filename and frame.lineno is not None:
            line = cell.code_origin.line + frame.lineno - 1
            break
    label = f"cell '{cell.label}'" if cell.label else f"cell {cell.index + 1}"
    message = str(exc).splitlines()[0] if str(exc) else ""
    reason = f"{label} raised {type(exc).__name__}" + (f": {message}" if message else "")
    from ._errors import ReportError

    return ReportError(reason, cell.code_origin.file, line, "".join(traceback.format_exception(exc)))


def _run_cell(cell: Cell, namespace: dict, fig_dir: Path, echo_default: bool,
              jobs: ForkedJobs | None = None) -> tuple[dict, ...]:
    import matplotlib.pyplot as plt

    opts = cell.options
    runner = _Runner(cell, fig_dir, jobs)
    if opts.get("echo", echo_default):
        runner.outputs.append({"kind": "code", "text": cell.code})
    if opts.get("eval", True) is False:
        return tuple(runner.outputs) if opts.get("include", True) else ()
    filename = f"<imgshare cell {cell.code_origin.file}:{cell.code_origin.line}>"
    try:
        tree = ast.parse(cell.code, filename=filename)
    except SyntaxError as exc:
        line = cell.code_origin.line + (exc.lineno or 1) - 1
        raise Origin(cell.code_origin.file, line).error(f"syntax error in cell: {exc.msg}") from None
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    namespace["display"] = runner.display
    before = set(plt.get_fignums())
    try:
        with contextlib.redirect_stdout(runner.stdout):
            exec(compile(tree, filename, "exec"), namespace)
            value = eval(compile(last, filename, "eval"), namespace) if last is not None else None
            runner.take_stdout()
            runner.display(value)
            # Jupyter shows figures left open by pyplot; do the same so both engines agree.
            for num in sorted(set(plt.get_fignums()) - before):
                runner.display(plt.figure(num))
        runner.take_stdout()
    except Exception as exc:  # noqa: BLE001 - any failure in user code becomes a located error
        for num in sorted(set(plt.get_fignums()) - before):
            plt.close(num)
        raise _cell_error(cell, exc, filename) from None
    if opts.get("include", True) is False:
        return ()
    if opts.get("output", True) is False:
        return tuple(o for o in runner.outputs if o["kind"] == "code")
    return tuple(runner.outputs)


def _eval_inline(expr: str, origin, namespace: dict) -> str:
    try:
        value = eval(compile(expr, f"<imgshare inline {origin.file}:{origin.line}>", "eval"), namespace)
    except SyntaxError as exc:
        raise origin.error(f"syntax error in inline expression `{expr}`: {exc.msg}") from None
    except Exception as exc:  # noqa: BLE001
        msg = str(exc).splitlines()[0] if str(exc) else ""
        raise origin.error(f"inline expression `{expr}` raised {type(exc).__name__}" + (f": {msg}" if msg else ""),
                           "".join(traceback.format_exception(exc))) from None
    # Quarto's rule for Jupyter inline values: a text/markdown representation is Markdown,
    # anything else (a str, a number) is literal text, so codebook and data text never
    # becomes markup by way of an inline expression.
    if callable(getattr(value, "_repr_markdown_", None)):
        return str(value._repr_markdown_()).strip()
    from .. import escape

    return escape.markdown(value)


def wait_for_figures(jobs: ForkedJobs) -> None:
    """Wait until every figure handed to ``jobs`` is written; a failed one raises ReportError."""
    try:
        jobs.wait()
    except RuntimeError as exc:  # a figure worker failed: its last traceback line says why
        from ._errors import ReportError

        lines = [ln for ln in str(exc).splitlines() if ln.strip()]
        raise ReportError(f"a figure could not be saved: {lines[-1] if lines else exc}",
                          details=str(exc)) from None


def execute_document(doc: Document, fig_dir: Path, env: Mapping[str, str] | None = None,
                     jobs: ForkedJobs | None = None) -> Execution:
    """Run every cell and inline expression of ``doc`` in document order in a fresh namespace.

    The working directory is the document's directory while cells run (as under Quarto) and
    ``env`` is added to the process environment for the duration; both are restored after.
    Figures are written to ``fig_dir`` by forked workers (see
    :mod:`imgshare._forked`): with ``jobs`` given, by those workers, and the caller waits for
    them (:func:`wait_for_figures`) -- so the next document's cells run while this one's figures
    are drawn; without, by workers of this call, all finished when it returns. A failing cell
    raises a ReportError at its source line.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    echo_default = bool(doc.meta.get("execute", {}).get("echo", True)) if isinstance(
        doc.meta.get("execute"), Mapping) else True
    namespace: dict[str, Any] = {"__name__": "__main__"}
    fig_dir = Path(fig_dir).resolve()  # workers may start while another document's folder is current
    cells: list[tuple[dict, ...]] = []
    inline: list[str] = []
    saved_env = {k: os.environ.get(k) for k in (env or {})}
    cwd = os.getcwd()
    try:
        os.environ.update(env or {})
        os.chdir(doc.path.parent)
        if jobs is not None:
            _run_segments(doc, namespace, fig_dir, echo_default, jobs, cells, inline)
        else:
            with ForkedJobs() as own:
                _run_segments(doc, namespace, fig_dir, echo_default, own, cells, inline)
                wait_for_figures(own)
    finally:
        os.chdir(cwd)
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return Execution(tuple(cells), tuple(inline))


def _run_segments(doc: Document, namespace: dict, fig_dir: Path, echo_default: bool, jobs: ForkedJobs,
                  cells: list, inline: list) -> None:
    with deferring():
        for seg in doc.segments:
            if isinstance(seg, Text):
                for ln, m in iter_inline(seg):
                    inline.append(_eval_inline(m["expr"], ln.origin, namespace))
            else:
                cells.append(_run_cell(seg, namespace, fig_dir, echo_default, jobs))
            jobs.poll()  # start queued figures on workers that have finished
