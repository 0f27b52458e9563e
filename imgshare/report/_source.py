"""Reading a Quarto manuscript: front matter, ``{{< include >}}`` expansion, cells and inline code.

The result is a :class:`Document`: an ordered list of segments, each either markdown
(:class:`Text`, whose lines remember the file and line they came from) or an executable
code cell (:class:`Cell`). Only the subset of Quarto the built-in engine renders is accepted;
anything else raises a :class:`ReportError` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ._errors import ReportError

__all__ = ["Origin", "Line", "Text", "Cell", "Document", "read_document", "read_project_config", "CELL_OPTIONS",
           "INLINE_RE", "iter_inline"]

#: Cell options the built-in engine understands (``#| key: value``).
CELL_OPTIONS = frozenset(
    {"label", "fig-cap", "fig-alt", "tbl-cap", "echo", "eval", "output", "include", "warning",
     "fig-width", "fig-height"}
)
_OUTPUT_VALUES = (True, False, "asis")
_FENCE_RE = re.compile(r"^(?P<indent>\s{0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
_SHORTCODE_RE = re.compile(r"(?<!\{)\{\{<\s*(?P<name>[^\s>]+)(?P<args>.*?)>\}\}(?!\})")
#: Inline code: `` `{python} expr` `` (the expression may not contain a backtick).
INLINE_RE = re.compile(r"`\{(?P<lang>[A-Za-z][\w-]*)\}\s+(?P<expr>[^`]+?)\s*`")
_FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)\s*$")


@dataclass(frozen=True)
class Origin:
    """Where a line came from: a path relative to the project (as shown to the user) and a 1-based line."""

    file: str
    line: int

    def error(self, reason: str, details: str = "") -> ReportError:
        return ReportError(reason, self.file, self.line, details)


@dataclass(frozen=True)
class Line:
    text: str
    origin: Origin


@dataclass(frozen=True)
class Text:
    """Markdown lines, possibly holding inline expressions."""

    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Cell:
    """An executable ``{python}`` cell. ``code_origin`` is the place of the first code line."""

    code: str
    options: Mapping[str, Any]
    origin: Origin
    code_origin: Origin
    index: int

    @property
    def label(self) -> str | None:
        label = self.options.get("label")
        return None if label is None else str(label)


@dataclass(frozen=True)
class Document:
    """A manuscript after include expansion: merged metadata and ordered segments."""

    path: Path
    project_dir: Path
    meta: Mapping[str, Any]
    segments: tuple[Text | Cell, ...]
    files: tuple[Path, ...] = field(default=())

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(s for s in self.segments if isinstance(s, Cell))


def _display(path: Path, project_dir: Path) -> str:
    try:
        return path.resolve().relative_to(project_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def _read_lines(path: Path, project_dir: Path, at: Origin | None) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        shown = _display(path, project_dir)
        if at is None:
            raise ReportError(f"file not found: {shown}") from None
        raise at.error(f"included file not found: {shown}") from None
    except UnicodeDecodeError as exc:
        raise ReportError(f"not UTF-8 text (byte {exc.start})", _display(path, project_dir)) from None


def _split_front_matter(lines: list[str], shown: str) -> tuple[dict, int]:
    """Return the YAML front matter (or {}) and the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if _FRONT_MATTER_END.match(lines[end]):
            try:
                meta = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = 2 + mark.line if mark else 1
                raise ReportError(f"invalid YAML front matter ({getattr(exc, 'problem', exc)})", shown, line) from None
            if not isinstance(meta, dict):
                raise ReportError("front matter must be a YAML mapping", shown, 1)
            return meta, end + 1
    raise ReportError("front matter opened with '---' is never closed", shown, 1)


def _expand(path: Path, project_dir: Path, at: Origin | None, stack: tuple[Path, ...],
            files: list[Path], skip_front_matter: bool) -> tuple[dict, list[Line]]:
    """Read ``path`` and recursively splice in its includes, keeping each line's origin."""
    resolved = path.resolve()
    if resolved in stack:
        chain = " -> ".join(_display(p, project_dir) for p in (*stack, resolved))
        raise at.error(f"include cycle: {chain}") if at else ReportError(f"include cycle: {chain}")
    files.append(resolved)
    shown = _display(path, project_dir)
    raw = _read_lines(path, project_dir, at)
    meta, start = _split_front_matter(raw, shown) if skip_front_matter else ({}, 0)
    out: list[Line] = []
    fence: str | None = None
    for i in range(start, len(raw)):
        text, origin = raw[i], Origin(shown, i + 1)
        m = _FENCE_RE.match(text)
        if fence is not None:
            if m and m["fence"][0] == fence[0] and len(m["fence"]) >= len(fence) and not m["info"]:
                fence = None
            out.append(Line(text, origin))
            continue
        if m:
            fence = m["fence"]
            out.append(Line(text, origin))
            continue
        codes = list(_SHORTCODE_RE.finditer(text))
        for sc in codes:
            if sc["name"] != "include":
                raise origin.error(f"unsupported shortcode '{sc['name']}' (the built-in engine supports only 'include')")
        if codes:
            if len(codes) > 1 or text.strip() != codes[0].group(0):
                raise origin.error("an include shortcode must stand alone on its line")
            target = codes[0]["args"].strip().strip("\"'")
            if not target:
                raise origin.error("include shortcode names no file")
            child = (path.parent / target)
            _, child_lines = _expand(child, project_dir, origin, (*stack, resolved), files, False)
            out.extend(child_lines)
            continue
        out.append(Line(text, origin))
    return meta, out


def _parse_options(lines: list[Line], cell_origin: Origin) -> tuple[dict, int]:
    """Read the leading ``#|`` lines of a cell; return the options and how many lines they took."""
    n = 0
    while n < len(lines) and lines[n].text.lstrip().startswith("#|"):
        n += 1
    if n == 0:
        return {}, 0
    body = "\n".join(ln.text.lstrip()[2:] for ln in lines[:n])
    try:
        options = yaml.safe_load(body) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = lines[min(mark.line, n - 1)].origin if mark else cell_origin
        raise where.error(f"invalid cell option ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(options, dict):
        raise lines[0].origin.error("cell options must be 'key: value' lines")
    for key, value in options.items():
        where = next((ln.origin for ln in lines[:n] if ln.text.lstrip()[2:].strip().startswith(f"{key}:")),
                     lines[0].origin)
        if key not in CELL_OPTIONS:
            raise where.error(f"unknown cell option '{key}' (supported: {', '.join(sorted(CELL_OPTIONS))})")
        if key == "output" and value not in _OUTPUT_VALUES:
            raise where.error(f"cell option 'output' must be true, false or asis, found {value!r}")
        if key in ("fig-width", "fig-height") and (isinstance(value, bool) or not isinstance(value, (int, float))
                                                   or value <= 0):
            raise where.error(f"cell option '{key}' must be a positive number of inches, found {value!r}")
    return options, n


def _segments(lines: list[Line]) -> list[Text | Cell]:
    segments: list[Text | Cell] = []
    text: list[Line] = []
    i = 0
    n_cells = 0
    while i < len(lines):
        line = lines[i]
        m = _FENCE_RE.match(line.text)
        if not m or not m["info"].startswith("{"):
            if m:  # a plain or raw fenced block: copied verbatim, no inline code inside
                j = i + 1
                while j < len(lines):
                    c = _FENCE_RE.match(lines[j].text)
                    if c and c["fence"][0] == m["fence"][0] and len(c["fence"]) >= len(m["fence"]) and not c["info"]:
                        break
                    j += 1
                text.extend(lines[i:j + 1])
                i = j + 1
                continue
            text.append(line)
            i += 1
            continue
        info = m["info"][1:].rstrip("}").strip()
        lang = info.split()[0] if info.split() else ""
        if lang.startswith(("=", ".", "#")):  # {=html} raw block or {.class} attributes
            text.append(line)
            i += 1
            while i < len(lines):
                c = _FENCE_RE.match(lines[i].text)
                text.append(lines[i])
                i += 1
                if c and c["fence"][0] == m["fence"][0] and len(c["fence"]) >= len(m["fence"]) and not c["info"]:
                    break
            continue
        if lang != "python":
            raise line.origin.error(f"unsupported cell language '{lang or info}' (the built-in engine runs python only)")
        if info != "python":
            raise line.origin.error("write cell options as '#| key: value' lines, not in the cell header")
        j = i + 1
        body: list[Line] = []
        while j < len(lines):
            c = _FENCE_RE.match(lines[j].text)
            if c and c["fence"][0] == m["fence"][0] and len(c["fence"]) >= len(m["fence"]) and not c["info"]:
                break
            body.append(lines[j])
            j += 1
        if j == len(lines):
            raise line.origin.error("code cell is never closed")
        options, k = _parse_options(body, line.origin)
        code_lines = body[k:]
        code_origin = code_lines[0].origin if code_lines else line.origin
        if text:
            segments.append(Text(tuple(text)))
            text = []
        segments.append(Cell("\n".join(ln.text for ln in code_lines), options, line.origin, code_origin, n_cells))
        n_cells += 1
        i = j + 1
    if text:
        segments.append(Text(tuple(text)))
    for seg in segments:
        if isinstance(seg, Text):
            for ln, m in iter_inline(seg):
                if m["lang"] != "python":
                    raise ln.origin.error(f"unsupported inline code language '{m['lang']}'")
    return segments


def iter_inline(seg: Text):
    """Yield ``(line, match)`` for each inline expression of a text segment, outside fenced blocks."""
    fence: str | None = None
    for ln in seg.lines:
        m = _FENCE_RE.match(ln.text)
        if fence is not None:
            if m and m["fence"][0] == fence[0] and len(m["fence"]) >= len(fence) and not m["info"]:
                fence = None
            continue
        if m:
            fence = m["fence"]
            continue
        for im in INLINE_RE.finditer(ln.text):
            yield ln, im


def _merge(base: Mapping, over: Mapping) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(out.get(k), Mapping) and isinstance(v, Mapping) else v
    return out


def read_project_config(project_dir: Path) -> dict:
    """The project's ``_quarto.yml`` (or {} when there is none)."""
    path = project_dir / "_quarto.yml"
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ReportError(f"invalid YAML ({getattr(exc, 'problem', exc)})", "_quarto.yml",
                          mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise ReportError("expected a YAML mapping", "_quarto.yml")
    return data


def read_document(path: Path, project_dir: Path) -> Document:
    """Read a ``.qmd`` file, expand its includes and split it into text and cells.

    Metadata is the project's ``_quarto.yml`` overlaid by the document's front matter.
    """
    files: list[Path] = []
    meta, lines = _expand(path, project_dir, None, (), files, True)
    merged = _merge(read_project_config(project_dir), meta)
    return Document(path, project_dir, merged, tuple(_segments(lines)), tuple(files))
