"""Answers set aside from the diverging bars: non-substantive answers ("Don't know") in a grey
side panel, as a percentage of everyone who responded, as gglikert sets them aside."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._common import require_columns

__all__ = ["nonsubstantive_segments", "aside_greys"]


def _flag(value) -> str:
    return value if isinstance(value, str) else ""


def nonsubstantive_segments(frame: pd.DataFrame | None, questionnaire: str, items: Sequence[str]) -> pd.DataFrame:
    """Side-panel segments of the non-substantive answers to ``items`` (empty when none was given).

    Under disclosure control (an ``n_withheld`` flag on the row) a withheld answer gets no
    segment -- its width is its percentage -- and carries its flag (``n_withheld``) for the
    panel's printed total.
    """
    columns = ["item", "level", "xmin", "xmax", "panel", "n", "pct", "category", "level_label", "n_withheld"]
    if frame is None or frame.empty:
        return pd.DataFrame(columns=columns)
    require_columns(frame, ("questionnaire", "variable", "code", "label", "n", "pct"), "nonsubstantive")
    part = frame[(frame["questionnaire"] == questionnaire) & frame["variable"].isin(items)]
    flags = part["n_withheld"].map(_flag) if "n_withheld" in part.columns else pd.Series("", index=part.index)
    if not ((pd.to_numeric(part["n"], errors="coerce").fillna(0) > 0) | (flags != "")).any():
        return pd.DataFrame(columns=columns)
    out = []
    for item in items:
        edge = 0.0
        rows = part[part["variable"] == item]
        for r, flag in zip(rows.itertuples(index=False), flags[rows.index]):
            pct = 0.0 if pd.isna(r.pct) or flag else float(r.pct)
            out.append({"item": item, "level": int(r.code), "xmin": edge, "xmax": edge + pct,
                        "panel": "nonsubstantive", "n": float(r.n) if not pd.isna(r.n) else np.nan, "pct": pct,
                        "category": "nonsubstantive", "level_label": str(r.label), "n_withheld": flag})
            edge += pct
    return pd.DataFrame(out, columns=columns)


def aside_greys(k: int) -> list[str]:
    """Greys for answers set aside (darker than the neutral grey, so the two side panels differ)."""
    return ["#8c8c8c", "#5f5f5f", "#a8a8a8", "#3f3f3f"][:k] + ["#777777"] * max(0, k - 4)
