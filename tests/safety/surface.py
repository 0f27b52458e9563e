"""What the human-readable outputs print, checked against what results.json publishes.

The integer-programming attack (:mod:`attack`) reads results.json and the CSVs. Tables, figure
labels, bars and prose are made from the same protected results, so they must print nothing
more: every number they print is a published number (at the printed decimals) or one the
published numbers give by subtraction or division (a flow's excluded total, a percentage of
responses received); no count of 1..K-1 is printed other than as ``<K``; and a drawn bar
segment is as wide as a published percentage.
"""

from __future__ import annotations

import csv
import io
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

_NUMBER = re.compile(r"(?<![\w.])(<\s?)?([−-]?\d+(?:\.\d+)?)(%?)")
_N_EQUALS = re.compile(r"\bn(?:\s| )*=(?:\s| )*(\d+)")
_N_PCT_CELL = re.compile(r"^(\d+) \((?:[\d.]+%?|–)\)$")
_PERCENT = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)%")
_EQUALS = re.compile(r"=(?:\s|\u00a0)*(-?\d+(?:\.\d+)?)")
_NOTE_COUNT = re.compile(r"(?<![\w.<])(\d+) (?:respondents?|asked|responses?)\b")
COUNT_COLUMNS = {"n", "denominator", "missing", "not_asked", "item_n", "n_unscored", "n_incomplete", "n1", "n2"}


def _round(value: float, decimals: int) -> str:
    text = f"{Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    return "0" + text[2:] if text.startswith("-0") and set(text) <= set("-0.") else text


def allowed(frames: dict[str, list[dict]]) -> set[str]:
    """Every published number as text at 0 to 3 decimals, and the flow's derived numbers."""
    values: set[float] = {100.0}
    for rows in frames.values():
        for row in rows:
            for col, v in row.items():
                if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                    values.add(float(v))
    for row in frames["item_agreement"]:  # category counts: a printed percentage of a printed n
        for cat in ("agree", "neutral", "disagree"):
            if row[f"pct_{cat}"] is not None and row["n"] is not None:
                values.add(round(row[f"pct_{cat}"] * row["n"] / 100))
    flow = pd.DataFrame(frames["flow"])
    for _, part in flow.groupby("questionnaire"):
        received = part.loc[part["stage"] == "received", "n"].dropna()
        analysed = part.loc[part["stage"] == "analysed", "n"].dropna()
        if len(received) and len(analysed):
            values.add(float(received.iloc[0] - analysed.iloc[0]))
            for n in part["n"].dropna():
                values.add(100.0 * n / received.iloc[0])
    out = set()
    for v in values:
        for d in range(6):
            out.add(_round(abs(v), d))
    return out


def numbers(text: str):
    """(number text, is a "<K" marker, is a percentage) for each number in ``text``."""
    for m in _NUMBER.finditer(text.replace("\u2212", "-")):
        yield m.group(2).lstrip("-"), bool(m.group(1)), bool(m.group(3))


def small_counts(text: str, k: int) -> list[str]:
    """Counts of 1..K-1 printed in ``text`` as "n = X" (never as "<K")."""
    return [m.group(0) for m in _N_EQUALS.finditer(text) if 0 < int(m.group(1)) < k]


def markdown_to_csv(markdown: str) -> str:
    """A pipe table as CSV rows (Markdown escapes removed), for :func:`table_problems`."""
    out = io.StringIO()
    writer = csv.writer(out)
    for line in markdown.splitlines():
        if line.startswith("|") and not set(line) <= set("|:- "):
            writer.writerow([c.strip().replace("\\", "") for c in line.strip("|").split(" | ")])
    return out.getvalue()


def table_problems(label: str, csv_text: str, published: set[str], k: int) -> list[str]:
    """Numbers of a table (its CSV: header, cells, notes) that are not published, and small counts."""
    rows = list(csv.reader(io.StringIO(csv_text)))
    header = rows[0]
    body = []
    for row in rows[1:]:
        if not row or len(row) < len(header):
            break
        body.append(row)
    notes = [" ".join(r) for r in rows[1 + len(body):] if r]
    problems = []
    for note in notes:
        if note.startswith("<") or "Withheld so that" in note:
            continue  # the disclosure notes themselves ("<5: from 1 to 4 respondents ...")
        for n in _NOTE_COUNT.findall(note):
            if 0 < int(n) < k:
                problems.append(f"{label}: note '{note}' prints a count below {k}")
            elif n not in published:
                problems.append(f"{label}: note '{note}': {n} is not published")
    for name in header:
        problems += [f"{label}: column '{name}': {s}" for s in small_counts(name, k)]
        for n in _N_EQUALS.findall(name):
            if n not in published:
                problems.append(f"{label}: column '{name}': {n} is not published")
    stub_cols = {0} | ({1} if header and header[0].lower() == "domain" else set())
    count_cols = {j for j, name in enumerate(header) if name == "n" or name.endswith(": n")}
    for row in body:
        for j, cell in enumerate(row):
            if j in stub_cols or label.startswith("tbl-audit") and header[j] != "Computed":
                continue
            m = _N_PCT_CELL.match(cell)
            count = int(m.group(1)) if m else int(cell) if j in count_cols and cell.isdigit() else None
            if count is not None and (label == "tbl-participant-flow" or m or j in count_cols) and 0 < count < k:
                problems.append(f"{label}: cell '{cell}' prints a count below {k}")
            for n, marker, _ in numbers(cell):
                if marker:
                    if n != str(k) and "." not in n:  # "<0.001" is a p-value
                        problems.append(f"{label}: cell '{cell}' marks a small count with {n}, not {k}")
                elif n not in published:
                    problems.append(f"{label}: cell '{cell}': {n} is not published")
    return problems


def figure_problems(label: str, plot, frames: dict[str, list[dict]], published: set[str], k: int) -> list[str]:
    """Numbers in a figure's labels (text layers, axis labels) and the widths of its bars."""
    texts = []
    for layer in plot.layers:
        data = layer._data if isinstance(layer._data, pd.DataFrame) else None
        if data is not None:
            for col in ("text", "label"):
                if col in data.columns:
                    texts += [str(t) for t in data[col]]
    for scale in plot.scales:
        if isinstance(scale.labels, (list, tuple)):
            texts += [str(t) for t in scale.labels]
    data = plot.data if isinstance(plot.data, pd.DataFrame) else pd.DataFrame()
    for col in ("item_label", "group_label", "text"):
        if col in data.columns:
            texts += [str(t) for t in data[col]]
    problems = [f"{label}: '{t}': {s}" for t in texts for s in small_counts(t, k)]
    for t in texts:
        # codebook wording may hold digits: check percentages and values after "="
        for n in _PERCENT.findall(t.replace("\u2212", "-")) + _EQUALS.findall(t.replace("\u2212", "-")):
            if n.lstrip("-") not in published:
                problems.append(f"{label}: '{t}': {n} is not published")
    if {"xmin", "xmax", "level", "item", "questionnaire"} <= set(data.columns):
        levels = {(r["questionnaire"], r["item"], r["level"]): r for r in frames["item_levels"]}
        aside = {(r["questionnaire"], r["variable"], r["code"]): r for r in frames.get("nonsubstantive", [])}
        for r in data.itertuples(index=False):
            if r.level < 0:
                continue  # a withheld block: what the printed totals leave over
            side = getattr(r, "panel", "") == "nonsubstantive"
            row = (aside if side else levels)[(r.questionnaire, r.item, int(r.level))]
            width = r.xmax - r.xmin
            if side and row["pct"] is None and width == 0:
                continue  # a withheld answer set aside: no segment
            if row["pct"] is None or abs(width - row["pct"]) > 1e-6:
                problems.append(f"{label}: bar of {r.questionnaire} {r.item} level {r.level} is {width:.3f} wide; "
                                f"published {row['pct']}")
    return problems


_PROSE_COUNTS = (
    re.compile(r"\bn(?:\s|\u00a0)?=(?:\s|\u00a0)?(\d+)"),
    re.compile(r"(?<![\w.<])(\d+) (?:responses?|respondents?|excluded|analysed|gave|answered|people)\b"),
    re.compile(r": (\d+)(?=[;)]|$)"),
    re.compile(r"(?<![\w.<])(\d+) \(\d+(?:\.\d+)?%\)"),
)


def prose_problems(label: str, text: str, published: set[str], k: int) -> list[str]:
    """Counts in prose ("n = X", "X responses", "reason: X", "X (y%)"): none of 1..K-1 (a small
    count prints "<K"), every one published."""
    problems = []
    for pattern in _PROSE_COUNTS:
        for n in pattern.findall(text):
            if 0 < int(n) < k:
                problems.append(f"{label}: prints {n} ({pattern.pattern})")
            elif n not in published:
                problems.append(f"{label}: {n} is not published")
    return problems
