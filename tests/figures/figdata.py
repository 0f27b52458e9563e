"""Hand-made frames in the shapes of the analysis layer's contract, for figure tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from imgshare.codebook import Codebook, parse_codebook

# Counts per level (scale order) for the study's items, shaped like the published figures:
# patients agree strongly with benefits and reject risks; experts are more divided on risks.
PATIENT_COUNTS = {
    "good_idea": [4, 3, 28, 121, 126],
    "K1": [3, 5, 30, 120, 124], "K2": [4, 8, 45, 118, 107], "C1": [3, 6, 40, 115, 114],
    "C2": [4, 7, 38, 119, 114], "E1": [5, 10, 50, 120, 97], "E2": [6, 14, 70, 110, 82],
    "E3": [5, 12, 60, 115, 90], "E4": [4, 6, 35, 125, 112],
    "R1": [90, 140, 30, 15, 7], "R2": [85, 135, 40, 15, 7], "R3": [95, 140, 30, 12, 5],
    "R4": [80, 140, 40, 17, 5], "R5": [100, 130, 35, 12, 5], "R6": [90, 145, 35, 10, 2],
}
EXPERT_COUNTS = {
    "good_idea": [1, 0, 21, 69, 30],
    "K1": [1, 2, 12, 70, 36], "K2": [1, 5, 20, 65, 30], "C1": [2, 8, 19, 62, 30],
    "C2": [1, 6, 18, 66, 30], "E1": [2, 10, 30, 55, 24], "E2": [4, 15, 32, 50, 20],
    "E3": [5, 16, 35, 45, 20], "E4": [1, 4, 13, 70, 33],
    "R1": [10, 45, 30, 30, 6], "R2": [12, 50, 26, 28, 5], "R3": [9, 48, 28, 30, 6],
    "R4": [8, 42, 26, 38, 7], "R5": [14, 50, 27, 25, 5], "R6": [12, 55, 30, 20, 4],
}


def level_counts(codebook: Codebook, counts: Mapping[str, Mapping[str, Sequence[float]]]) -> pd.DataFrame:
    """An ``item_level_counts`` frame from {questionnaire: {item: [n per level in scale order]}}."""
    rows = []
    for qid, by_item in counts.items():
        for item, ns in by_item.items():
            scale = codebook.scale_of(item)
            total = sum(ns)
            for lv, n in zip(scale.levels, ns, strict=True):
                rows.append({"questionnaire": qid, "item": item, "level": lv.code, "label": lv.label,
                             "category": scale.category_of(lv.code), "n": n, "item_n": total,
                             "pct": 100 * n / total if total else float("nan")})
    return pd.DataFrame(rows)


def study_counts(codebook: Codebook) -> pd.DataFrame:
    return level_counts(codebook, {"patients": PATIENT_COUNTS, "experts": EXPERT_COUNTS})


def small_codebook(levels: dict[int, str], agree: list[int], disagree: list[int], neutral: list[int] | None = None,
                   n_items: int = 3, synthetic: bool = False) -> Codebook:
    scale = {"label": "test scale", "levels": levels, "agree": agree, "disagree": disagree}
    if neutral:
        scale["neutral"] = neutral
    items = {f"Q{k}": {"text": f"Statement number {k} about something rather long to wrap", "short": f"Item {k}",
                       "scale": "s"} for k in range(1, n_items + 1)}
    return parse_codebook({
        "study": {"id": "t", "title": "t", "data": "synthetic" if synthetic else "real"},
        "scales": {"s": scale},
        "items": items,
        "domains": {"all": {"label": "All items", "items": list(items)}},
        "questionnaires": {
            "a": {"label": "Group A", "file": "a.csv", "id": "id", "items": list(items)},
            "b": {"label": "Group B", "file": "b.csv", "id": "id", "items": list(items)},
        },
        "comparisons": {"a_vs_b": {"label": "A vs B", "between": "questionnaires", "groups": ["a", "b"],
                                   "items": list(items)}},
    })


def rendered_texts(plot) -> list[tuple[str, float, float]]:
    """Every non-empty text the drawn figure shows, with its display position."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    fig = plot.draw()
    try:
        fig.canvas.draw()
        out = []
        for t in fig.findobj(Text):
            if t.get_text() and t.get_visible():
                x, y = t.get_window_extent().get_points().mean(axis=0)
                out.append((t.get_text(), float(x), float(y)))
        return out
    finally:
        plt.close(fig)
