"""Write a decision back into the frames: withheld values become NaN, each withholdable column
gets a flag column ``<column>_withheld`` ('' shown, 'small' a count of 1..K-1, 'withheld'
withheld so that a small count cannot be worked out), and statistics that would give a
withheld count back are withheld with it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._graph import OPEN, SMALL, WITHHELD
from ._model import Model

__all__ = ["apply_decision", "FLAGGED"]

#: Frame -> {flag column: the value columns it governs}. Every frame gets these flag columns.
FLAGGED: dict[str, dict[str, tuple[str, ...]]] = {
    "flow": {"n_withheld": ("n",)},
    "descriptives": {"n_withheld": ("n",), "denominator_withheld": ("denominator",),
                     "missing_withheld": ("missing",), "nonsubstantive_withheld": ("nonsubstantive",),
                     "not_asked_withheld": ("not_asked",), "pct_withheld": ("pct", "ci_low", "ci_high")},
    "numeric_summary": {"n_withheld": ("n",), "missing_withheld": ("missing",),
                        "nonsubstantive_withheld": ("nonsubstantive",), "not_asked_withheld": ("not_asked",),
                        "stats_withheld": ("mean", "sd", "median", "q1", "q3", "min", "max")},
    "nonsubstantive": {"n_withheld": ("n",), "n_responded_withheld": ("n_responded",), "pct_withheld": ("pct",)},
    "item_levels": {"n_withheld": ("n",), "item_n_withheld": ("item_n",), "pct_withheld": ("pct",)},
    "item_agreement": {"n_withheld": ("n",), "missing_withheld": ("missing",),
                       "nonsubstantive_withheld": ("nonsubstantive",),
                       "pct_agree_withheld": ("pct_agree",), "pct_neutral_withheld": ("pct_neutral",),
                       "pct_disagree_withheld": ("pct_disagree",)},
    "domain_agreement": {"pct_agree_withheld": ("pct_agree",), "pct_neutral_withheld": ("pct_neutral",),
                         "pct_disagree_withheld": ("pct_disagree",)},
    "theme_score_summary": {"n_withheld": ("n",), "n_unscored_withheld": ("n_unscored",),
                            "stats_withheld": ("mean", "sd", "median", "q1", "q3")},
    "theme_correlations": {"n_withheld": ("n",), "rho_withheld": ("rho",), "p_withheld": ("p", "ci_low", "ci_high")},
    "theme_correlation_summary": {"rho_withheld": ("rho", "rho_min", "rho_max"), "p_max_withheld": ("p_max",)},
    "reliability": {"n_withheld": ("n",), "n_incomplete_withheld": ("n_incomplete",), "alpha_withheld": ("alpha",),
                    "ci_withheld": ("ci_low", "ci_high")},
    "comparisons": {"n_withheld": ("n",), "test_withheld": ("statistic", "p", "p_adj"),
                    "effect_withheld": ("effect", "effect_ci_low", "effect_ci_high"),
                    "higher_group_withheld": ("higher_group",)},
    "comparison_groups": {"n_withheld": ("n",), "mean_rank_withheld": ("mean_rank",),
                          "stats_withheld": ("mean", "sd", "median", "q1", "q3")},
    "posthoc": {"n1_withheld": ("n1",), "n2_withheld": ("n2",),
                "test_withheld": ("mean_rank1", "mean_rank2", "z", "p", "p_adj")},
}
FLAGGED["item_tests"] = FLAGGED["comparisons"]


def _worst(*flags: str) -> str:
    return SMALL if SMALL in flags else WITHHELD if any(flags) else ""


class _Flags:
    """Flag arrays per frame, filled from the node decision, then from the rules below."""

    def __init__(self, frames: dict[str, pd.DataFrame]):
        self.frames = frames
        self.flags = {name: {col: np.full(len(frames[name]), "", dtype=object) for col in cols}
                      for name, cols in FLAGGED.items() if name in frames}

    def set(self, frame: str, pos: int, flag_col: str, flag: str) -> None:
        current = self.flags[frame][flag_col][pos]
        self.flags[frame][flag_col][pos] = _worst(current, flag)

    def get(self, frame: str, pos: int, flag_col: str) -> str:
        return self.flags[frame][flag_col][pos]


def apply_decision(results, model: Model, decision: dict, k: int) -> dict[str, pd.DataFrame]:
    """New frames with the decision applied (the inputs are not modified)."""
    frames = results.frames()
    f = _Flags(frames)
    for key, places in model.slots.items():
        flag = decision.get(key, "")
        flag = WITHHELD if flag == OPEN else flag
        if not flag:
            continue
        for frame, pos, column in places:
            f.set(frame, pos, f"{column}_withheld", flag)
    _percentages(f, frames)
    _themes(f, frames)
    _tests(f, frames, model, decision)
    out = {}
    for name, frame in frames.items():
        frame = frame.copy()
        for flag_col, columns in FLAGGED.get(name, {}).items():
            flags = f.flags[name][flag_col]
            hide = flags != ""
            for col in columns:
                if col not in frame.columns:
                    continue
                if pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(frame[col]):
                    frame[col] = frame[col].astype("float64").where(~hide)
                else:
                    frame[col] = frame[col].astype(object).where(~hide, None)
            frame[flag_col] = pd.Series(flags, index=frame.index, dtype=object)
        out[name] = frame
    return out


def _percentages(f: _Flags, frames) -> None:
    """A percentage goes with its count, and with its denominator unless the count is zero."""
    for name, total in (("descriptives", "denominator"), ("item_levels", "item_n"), ("nonsubstantive", "n_responded")):
        frame = frames.get(name)
        if frame is None:
            continue
        n = frame["n"].to_numpy(dtype=float)
        for pos in range(len(frame)):
            own = f.get(name, pos, "n_withheld")
            of = f.get(name, pos, f"{total}_withheld")
            if own or (of and n[pos] != 0):
                f.set(name, pos, "pct_withheld", own or WITHHELD)


def _themes(f: _Flags, frames) -> None:
    numbers = frames.get("numeric_summary")
    for pos in range(0 if numbers is None else len(numbers)):
        if f.get("numeric_summary", pos, "n_withheld") == SMALL:  # a summary of fewer than K values
            f.set("numeric_summary", pos, "stats_withheld", SMALL)
    summary = frames["theme_score_summary"]
    for pos in range(len(summary)):
        if f.get("theme_score_summary", pos, "n_withheld") == SMALL:
            f.set("theme_score_summary", pos, "stats_withheld", SMALL)
    rel = frames["reliability"]
    for pos in range(len(rel)):
        flag = f.get("reliability", pos, "n_withheld")
        if flag:  # Feldt's interval needs n: with alpha it gives n back
            f.set("reliability", pos, "ci_withheld", flag)
        if flag == SMALL:
            f.set("reliability", pos, "alpha_withheld", SMALL)
    cor = frames["theme_correlations"]
    hidden: dict[tuple, set] = {}
    for pos in range(len(cor)):
        flag = f.get("theme_correlations", pos, "n_withheld")
        key = (cor["questionnaire"].iat[pos], cor["theme"].iat[pos])
        if flag:  # p and the interval need n: with rho they give n back
            f.set("theme_correlations", pos, "p_withheld", flag)
            hidden.setdefault(key, set()).add("p")
        if flag == SMALL:
            f.set("theme_correlations", pos, "rho_withheld", SMALL)
            hidden.setdefault(key, set()).add("rho")
    summ = frames["theme_correlation_summary"]
    for pos in range(len(summ)):
        what = hidden.get((summ["questionnaire"].iat[pos], summ["theme"].iat[pos]), set())
        if "rho" in what:
            f.set("theme_correlation_summary", pos, "rho_withheld", WITHHELD)
        if "p" in what:
            f.set("theme_correlation_summary", pos, "p_max_withheld", WITHHELD)


def _tests(f: _Flags, frames, model: Model, decision: dict) -> None:
    from ._tests import test_key

    state: dict[tuple, tuple[str, bool]] = {}
    for (cid, kind, outcome), members in model.test_groups.items():
        n_flag = decision.get(test_key(cid, kind, outcome), "")
        n_flag = WITHHELD if n_flag == OPEN else n_flag
        groups_hidden = any(decision.get(g) for g in members) or any(
            _level_hidden(model, decision, g) for g in members if not model.graph.nodes[g].printed)
        state[(cid, kind, outcome)] = (n_flag, groups_hidden)
    for name in ("comparisons", "item_tests"):
        frame = frames[name]
        for pos in range(len(frame)):
            key = tuple(str(frame[c].iat[pos]) for c in ("comparison", "outcome_kind", "outcome"))
            n_flag, groups_hidden = state.get(key, ("", False))
            if not (n_flag or groups_hidden):
                continue
            two = frame["test"].iat[pos] == "mann-whitney" or frame["n_groups"].iat[pos] <= 2
            if n_flag:
                f.set(name, pos, "effect_withheld", n_flag)  # r = z/sqrt(N), epsilon2 = H/(N-1)
            if n_flag == SMALL or two:
                # with two groups the statistic is a rank sum: with p it gives the group sizes back
                f.set(name, pos, "test_withheld", n_flag or WITHHELD)
            f.set(name, pos, "higher_group_withheld", WITHHELD)
    groups = frames["comparison_groups"]
    for pos in range(len(groups)):
        key = tuple(str(groups[c].iat[pos]) for c in ("comparison", "outcome_kind", "outcome"))
        n_flag, groups_hidden = state.get(key, ("", False))
        if n_flag or groups_hidden:  # mean ranks sum to N(N+1)/2: they would give the sizes back
            f.set("comparison_groups", pos, "mean_rank_withheld", WITHHELD)
        own = f.get("comparison_groups", pos, "n_withheld")
        if own:
            f.set("comparison_groups", pos, "stats_withheld", own)
    post = frames["posthoc"]
    for pos in range(len(post)):
        key = tuple(str(post[c].iat[pos]) for c in ("comparison", "outcome_kind", "outcome"))
        n_flag, groups_hidden = state.get(key, ("", False))
        if n_flag or groups_hidden:
            f.set("posthoc", pos, "test_withheld", WITHHELD)


def _level_hidden(model: Model, decision: dict, group) -> bool:
    """An implied group (an item test's) is as hidden as the level it lies in."""
    parent = model.parent.get(group)
    return bool(parent is not None and decision.get(parent))
