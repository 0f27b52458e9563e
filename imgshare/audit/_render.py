"""Presenting an audit: plain-text table (rich), JSON and Markdown. Only formatting happens here."""

from __future__ import annotations

import io
import json
import math

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from ._check import summary_line
from ._numbers import format_number

__all__ = ["render", "to_text", "to_json", "to_markdown", "shown_published", "shown_computed"]

_SHOWN = ["id", "source", "published", "computed", "verdict", "note"]


def shown_published(row) -> str:
    """The published value as printed (decimals and % sign)."""
    return format_number(row["published"], int(row["decimals"])) + ("%" if row["percent_sign"] else "")


def shown_computed(row) -> str:
    """The computed value with two digits more than printed, so truncation is visible."""
    x = row["computed"]
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if row["kind"] == "significant":
        return f"p={x:.2g}"
    if row["kind"] in ("count", "flow") and float(x).is_integer():
        return str(int(x))
    return format_number(x, int(row["decimals"]) + 2) + ("%" if row["percent_sign"] else "")


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "id": frame["id"],
        "source": frame["source"],
        "published": [shown_published(r) for _, r in frame.iterrows()],
        "computed": [shown_computed(r) for _, r in frame.iterrows()],
        "verdict": [v + (" (expected)" if e else "") for v, e in zip(frame["verdict"], frame["expected"])],
        "note": frame["note"],
    }, columns=_SHOWN)
    return out


def _header(frame: pd.DataFrame) -> str:
    if frame.attrs.get("study_data") == "synthetic":
        return "Reproduction audit on a SYNTHETIC cohort (not the study's data)"
    return "Reproduction audit"


def to_text(check_frame: pd.DataFrame, width: int = 160) -> str:
    """The audit as a plain-text table (no colour), ending with the summary line."""
    table = Table(title=_header(check_frame), box=box.SIMPLE_HEAD, show_lines=False)
    for col in _SHOWN:
        table.add_column(col, overflow="fold", no_wrap=col in ("published", "computed"))
    for row in _display(check_frame).itertuples(index=False):
        table.add_row(*[str(x) for x in row])
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, force_terminal=False, highlight=False,
            emoji=False, markup=False).print(table)
    lines = [line.rstrip() for line in buf.getvalue().splitlines()]
    return "\n".join(lines) + "\n" + summary_line(check_frame) + "\n"


def _json_value(x):
    if isinstance(x, float) and math.isnan(x):
        return None
    if hasattr(x, "item"):
        return x.item()
    return x


def to_json(check_frame: pd.DataFrame) -> str:
    """The audit as JSON: ``{study_data, values: [...], counts: {verdict: n}, summary}``.

    Numbers are unrounded; NaN becomes null (the note says why).
    """
    records = [{k: _json_value(v) for k, v in rec.items()} for rec in check_frame.to_dict(orient="records")]
    counts = {str(k): int(v) for k, v in check_frame["verdict"].value_counts().sort_index().items()}
    doc = {
        "study_data": check_frame.attrs.get("study_data"),
        "values": records,
        "counts": counts,
        "reproduced": int(check_frame["verdict"].isin(["match", "match (truncated)"]).sum()),
        "total": len(check_frame),
        "summary": summary_line(check_frame),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _md_cell(x) -> str:
    return str(x).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(check_frame: pd.DataFrame) -> str:
    """The audit as a Markdown pipe table, ending with the summary line."""
    shown = _display(check_frame)
    lines = [f"**{_header(check_frame)}**", "", "| " + " | ".join(_SHOWN) + " |",
             "|" + "|".join("---" for _ in _SHOWN) + "|"]
    lines += ["| " + " | ".join(_md_cell(x) for x in row) + " |" for row in shown.itertuples(index=False)]
    lines += ["", summary_line(check_frame)]
    return "\n".join(lines) + "\n"


def render(check_frame: pd.DataFrame, fmt: str = "text") -> str:
    """Render with ``fmt`` one of 'text', 'json', 'md'."""
    return {"text": to_text, "json": to_json, "md": to_markdown}[fmt](check_frame)
