"""Group comparisons declared in the codebook: Mann-Whitney U / Kruskal-Wallis H, effect sizes, Dunn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Comparison
from ..stats import (
    CI_METHODS,
    P_ADJUST_METHODS,
    LevelCounts,
    adjust_pvalues,
    dunn_rows,
    kruskal_wallis_rows,
    level_median,
    level_quantile,
    mann_whitney_row,
    spearman,
)
from ._coded_cohort import CodedCohort
from ._column_encoding import values_of
from ._common import AnalysisError
from ._groups import Group, Outcome, item_outcome, members, outcome_items, theme_outcome, variable_outcome
from ._scores import min_answered_of
from ._theme_patterns import row_scores

__all__ = ["GroupComparisons", "compare_groups", "item_comparisons", "POSTHOC_ALPHA", "N_BOOT", "EFFECT_CI",
           "check_effect_ci"]

#: A Kruskal-Wallis test with p below this is followed by Dunn's pairwise tests.
POSTHOC_ALPHA = 0.05
#: Bootstrap resamples for effect-size confidence intervals with ``effect_ci="bootstrap"``
#: (seeded: results are deterministic).
N_BOOT = 2000
#: Default method of the effect-size confidence intervals (see :func:`imgshare.stats.mann_whitney`).
EFFECT_CI = "analytic"

TEST_COLUMNS = [
    "comparison", "outcome", "outcome_kind", "items", "test", "n_groups", "statistic", "dof", "p", "p_method",
    "n", "effect", "effect_measure", "effect_ci_low", "effect_ci_high", "higher_group", "dropped_groups", "reason",
]
GROUP_COLUMNS = ["comparison", "outcome", "outcome_kind", "group", "group_label", "n", "mean_rank", "mean",
                 "sd", "median", "q1", "q3", "included", "reason"]
POSTHOC_COLUMNS = ["comparison", "outcome", "outcome_kind", "group1", "group2", "n1", "n2", "mean_rank1",
                   "mean_rank2", "z", "p", "p_adj", "p_adjust", "reason"]


@dataclass(frozen=True)
class GroupComparisons:
    """Result of :func:`compare_groups`.

    Attributes
    ----------
    tests : pandas.DataFrame
        One row per comparison x outcome (columns ``TEST_COLUMNS``, + ``p_adj`` when adjusted).
    groups : pandas.DataFrame
        One row per comparison x outcome x group: n, mean rank, mean, median, included, reason.
    posthoc : pandas.DataFrame
        Dunn's pairwise tests (Holm-adjusted within the outcome) after each Kruskal-Wallis
        test with p < 0.05.
    """

    tests: pd.DataFrame
    groups: pd.DataFrame
    posthoc: pd.DataFrame


def _choose_test(comp: Comparison, n_groups: int) -> tuple[str, str]:
    """(test, reason it cannot run) for ``n_groups`` groups with respondents."""
    if n_groups < 2:
        return ("mann-whitney" if comp.test == "mann-whitney" else "kruskal-wallis" if comp.test == "kruskal-wallis"
                else "none"), f"{n_groups} group(s) with respondents; at least 2 needed"
    if comp.test == "mann-whitney" and n_groups > 2:
        return "mann-whitney", f"Mann-Whitney U compares two groups; {n_groups} have respondents"
    if comp.test == "auto":
        return ("mann-whitney" if n_groups == 2 else "kruskal-wallis"), ""
    return comp.test, ""


def _level_sd(counts: LevelCounts, mean: float) -> float:
    """Sample SD (n - 1) of the values ``counts`` describes, about their ``mean``."""
    if counts.n < 2 or not np.isfinite(mean):
        return np.nan
    dev = counts.levels - mean
    return float(np.sqrt(float(counts.counts @ (dev * dev)) / (counts.n - 1)))


def _first_row(frame: pd.DataFrame) -> dict:
    """The first row of a stats result as a dict (one conversion instead of a lookup per field)."""
    return frame.iloc[0].to_dict()


def check_effect_ci(effect_ci: str) -> None:
    if effect_ci not in CI_METHODS:
        raise AnalysisError(f"effect_ci: expected one of {', '.join(CI_METHODS)}, got {effect_ci!r}")


def _run_outcome(comp: Comparison, groups: list[Group], outcome: Outcome, seed: int, effect_ci: str):
    # The levels are checked once; every group's counts come from the same counting pass.
    first = LevelCounts(outcome.levels, outcome.counts[0]) if outcome.counts else None
    values = [first] + [LevelCounts.trusted(first.levels, np.asarray(c, dtype=np.int64))
                        for c in outcome.counts[1:]] if first is not None else []
    sizes = [v.n for v in values]
    present = [i for i, n in enumerate(sizes) if n > 0]
    used = [groups[i] for i in present]
    test, reason = _choose_test(comp, len(present))
    if outcome.reason:
        test, reason = "none", outcome.reason
    row = dict.fromkeys(TEST_COLUMNS, np.nan)
    row.update(comparison=comp.id, outcome=outcome.name, outcome_kind=outcome.kind, items=",".join(outcome.items),
               test=test, n_groups=len(present), n=int(sum(sizes)), p_method="",
               effect_measure="", higher_group="", reason=reason,
               dropped_groups=",".join(g.id for i, g in enumerate(groups) if i not in present))
    mean_rank = {g.id: np.nan for g in groups}
    posthoc = None
    if not reason and test == "mann-whitney":
        res = mann_whitney_row(values[present[0]], values[present[1]], names=(used[0].id, used[1].id),
                               ci=effect_ci, n_boot=N_BOOT, seed=seed)
        mean_rank[used[0].id], mean_rank[used[1].id] = res["mean_rank1"], res["mean_rank2"]
        row.update(statistic=res["U"], p=res["p"], p_method=res["method"], effect=res["r"], effect_measure="r",
                   effect_ci_low=res["r_ci_low"], effect_ci_high=res["r_ci_high"], reason=res["reason"],
                   higher_group="" if res["higher"] == "neither" else res["higher"])
    elif not reason:
        t, res_groups = kruskal_wallis_rows(*[values[i] for i in present], names=[g.id for g in used], ci=effect_ci,
                                            n_boot=N_BOOT, seed=seed)
        names, ranks = list(res_groups["group"]), np.asarray(res_groups["mean_rank"], dtype=float)
        mean_rank.update(zip(names, ranks))
        row.update(statistic=t["H"], dof=t["dof"], p=t["p"], p_method="asymptotic" if np.isfinite(t["p"]) else "",
                   effect=t["epsilon2"], effect_measure="epsilon2", effect_ci_low=t["ci_low"],
                   effect_ci_high=t["ci_high"], reason=t["reason"])
        if np.isfinite(t["H"]):
            top = np.flatnonzero(ranks == np.nanmax(ranks))
            row["higher_group"] = names[top[0]] if len(top) == 1 else ""
            posthoc = ([values[i] for i in present], [g.id for g in used])
    group_rows = []
    for i, g in enumerate(groups):
        n = sizes[i]
        mean = outcome.means[i] if n else np.nan
        group_rows.append({
            "comparison": comp.id, "outcome": outcome.name, "outcome_kind": outcome.kind, "group": g.id,
            "group_label": g.label, "n": n, "mean_rank": mean_rank[g.id],
            "mean": mean, "sd": _level_sd(values[i], mean), "median": level_median(values[i]) if n else np.nan,
            "q1": level_quantile(values[i], 0.25) if n else np.nan,
            "q3": level_quantile(values[i], 0.75) if n else np.nan,
            "included": i in present and not outcome.reason,
            "reason": outcome.reason if outcome.reason else "" if n else "no respondents with an answer in this group",
        })
    return row, group_rows, posthoc


def _dunn_rows(comp_id: str, outcome: str, kind: str, samples, names) -> list[dict]:
    head = {"comparison": comp_id, "outcome": outcome, "outcome_kind": kind}
    return [{**head, **pair, "p_adjust": "holm"} for pair in dunn_rows(*samples, names=names, p_adjust="holm")]


def _outcomes(data: CodedCohort, comp: Comparison, items, themes, min_answered: float, variables=()):
    for item in outcome_items(data.cohort, comp, items):
        yield ("item", item), lambda item=item: item_outcome(data, comp, item)
    for theme in themes:
        yield ("theme", theme, min_answered), lambda theme=theme: theme_outcome(data, comp, theme, min_answered)
    for var in variables:
        yield ("variable", var), lambda var=var: variable_outcome(data, comp, var)


def _correlated(data: CodedCohort, comp: Comparison, kind: str, name: str, min_answered: float) -> dict:
    """Spearman's rho of an outcome with the number variable ``comp.by`` (pairwise complete)."""
    qid = comp.questionnaire
    x = values_of(data.column(qid, comp.by))
    if kind == "theme":
        items = data.codebook.theme_items(name, qid)
        y = row_scores(data, qid, items, min_answered) if items else np.full(x.size, np.nan)
        used = items
    else:
        y, used = values_of(data.column(qid, name)), ((name,) if kind == "item" else ())
    row = dict.fromkeys(TEST_COLUMNS, np.nan)
    row.update(comparison=comp.id, outcome=name, outcome_kind=kind, items=",".join(used), test="spearman",
               n_groups=0, p_method="", effect_measure="rho", higher_group="", dropped_groups="", reason="")
    if kind == "theme" and not used:
        row.update(test="none", n=0, reason="no item of the theme is asked in this questionnaire")
        return row
    res = _first_row(spearman(x, y))
    row.update(n=int(res["n"]), statistic=res["rho"], p=res["p"], effect=res["rho"], effect_ci_low=res["ci_low"],
               effect_ci_high=res["ci_high"], reason=res["reason"],
               dof=res["n"] - 2 if res["n"] > 2 else np.nan, p_method="t" if np.isfinite(res["p"]) else "")
    return row


def _run(data: CodedCohort, plan, p_adjust: str | None, min_answered: float, effect_ci: str) -> GroupComparisons:
    check_effect_ci(effect_ci)
    if p_adjust is not None and p_adjust not in P_ADJUST_METHODS:
        raise AnalysisError(f"p_adjust: expected one of {', '.join(P_ADJUST_METHODS)} or None, got {p_adjust!r}")
    tests, groups, pending, keys = [], [], [], []
    for comp, items, themes, variables in plan:
        if comp.correlational:
            for key, _ in _outcomes(data, comp, items, themes, min_answered, variables):
                tests.append(data.memo(("rho", comp.id, *key), lambda key=key: _correlated(
                    data, comp, key[0], key[1], min_answered)))
                pending.append(None)
                keys.append(None)
            continue
        group_list = [m.group for m in members(data, comp)]
        for key, outcome in _outcomes(data, comp, items, themes, min_answered, variables):
            # A fixed seed per test keeps each bootstrap CI reproducible and independent of run order,
            # so a test already run in this analysis (same comparison, outcome and seed) is reused.
            seed = len(tests)
            row, group_rows, posthoc = data.memo(
                ("test", comp.id, *key, seed, effect_ci),
                lambda: _run_outcome(comp, group_list, outcome(), seed=seed, effect_ci=effect_ci))
            tests.append(dict(row))
            groups.extend(dict(r) for r in group_rows)
            pending.append(posthoc)
            keys.append(("dunn", comp.id, *key))
    test_frame = pd.DataFrame(tests, columns=TEST_COLUMNS)
    gate = test_frame["p"].to_numpy(dtype=float)
    if p_adjust is not None:
        test_frame["p_adj"] = adjust_pvalues(gate, p_adjust)
        gate = test_frame["p_adj"].to_numpy(dtype=float)
    posthoc = [
        # Dunn's tests do not depend on the bootstrap seed: the same outcome's pairs are reused.
        pair
        for i, row in enumerate(tests)
        if pending[i] is not None and gate[i] < POSTHOC_ALPHA
        for pair in data.memo(keys[i], lambda i=i, row=row: _dunn_rows(
            row["comparison"], row["outcome"], row["outcome_kind"], *pending[i]))
    ]
    posthoc_frame = pd.DataFrame(posthoc, columns=POSTHOC_COLUMNS) if posthoc else pd.DataFrame(columns=POSTHOC_COLUMNS)
    return GroupComparisons(test_frame, pd.DataFrame(groups, columns=GROUP_COLUMNS), posthoc_frame)


def compare_groups(
    cohort: Any, p_adjust: str | None = None, min_answered: float | None = None, effect_ci: str = EFFECT_CI
) -> GroupComparisons:
    """Run every comparison of the codebook on its items and themes.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.
    p_adjust : {None, "holm", "fdr_bh", "bonferroni"}, default None
        Adjust p over the family of all tests run here, adding ``p_adj``.
    min_answered : float, optional
        The theme-score missing-data rule (see :func:`theme_scores`; default the codebook's).
    effect_ci : {"analytic", "bootstrap", "none"}, default "analytic"
        Method of the effect-size confidence intervals (see Notes).

    Returns
    -------
    GroupComparisons
        ``tests``: ``comparison, outcome, outcome_kind, items, test, n_groups, statistic, dof,
        p, p_method, n, effect, effect_measure, effect_ci_low, effect_ci_high, higher_group,
        dropped_groups, reason`` (+ ``p_adj``); ``groups``: per group n, mean rank (pooled
        ranks), mean, median, whether it was included and why not; ``posthoc``: Dunn pairs.

    Notes
    -----
    Groups are respondents of different questionnaires (``between: questionnaires``) or the
    levels of a categorical variable (``levels``, else all levels except ``missing_levels``;
    respondents without an answer belong to no group). Items are compared on their codes as
    answered, themes on the per-respondent theme score (items every compared questionnaire
    asks; reverse-keyed items mirrored). Groups without a value are dropped (``dropped_groups``)
    and the test follows from the groups left unless the codebook fixes it: two give
    Mann-Whitney U (statistic U of the first group; tie-corrected normal approximation with
    continuity correction, exact when there are no ties and a group has at most 8; effect
    :math:`r = z/\\sqrt N`), more give Kruskal-Wallis H (tie-corrected, :math:`\\chi^2_{g-1}`;
    effect :math:`\\varepsilon^2 = H/(N-1)`). Effect CIs are analytic by default: for r, the
    DeLong logit-scale interval of the Mann-Whitney probability mapped to r; for
    :math:`\\varepsilon^2`, the noncentral-F interval of the one-way ANOVA on midranks (see
    :func:`imgshare.stats.mann_whitney` and :func:`imgshare.stats.kruskal_wallis`); with
    ``effect_ci="bootstrap"`` percentile bootstraps (2000 resamples, fixed seeds). A Kruskal-Wallis p (``p_adj`` when adjusting) below 0.05 is
    followed by Dunn's tests with Holm adjustment. Rank tests ignore survey weights.

    References
    ----------
    Mann HB, Whitney DR. Ann Math Stat 1947;18:50-60. Kruskal WH, Wallis WA. J Am Stat Assoc
    1952;47:583-621. Dunn OJ. Technometrics 1964;6:241-52. Tomczak M, Tomczak E. Trends Sport
    Sci 2014;1:19-25. DeLong ER, DeLong DM, Clarke-Pearson DL. Biometrics 1988;44:837-45. Perme MP,
    Manevski D. Stat Methods Med Res 2019;28:3755-68. Steiger JH. Psychol Methods 2004;9:164-82.

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> res = compare_groups(example_cohort())
    >>> res.tests[["outcome", "test", "n", "p_method"]].to_numpy().tolist()
    [['A1', 'mann-whitney', 4, 'exact'], ['t', 'mann-whitney', 4, 'exact']]
    """
    return _compare_groups(CodedCohort(cohort), p_adjust, min_answered_of(cohort, min_answered), effect_ci)


def _compare_groups(data: CodedCohort, p_adjust: str | None, min_answered: float,
                    effect_ci: str = EFFECT_CI) -> GroupComparisons:
    plan = [(comp, None, comp.themes, comp.variables) for comp in data.codebook.comparisons.values()]
    return _run(data, plan, p_adjust, min_answered, effect_ci)


def item_comparisons(cohort: Any, comparison_id: str, p_adjust: str | None = None,
                     effect_ci: str = EFFECT_CI) -> GroupComparisons:
    """The comparison ``comparison_id`` run on every item all its groups were asked (for charts).

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort.
    comparison_id : str
        A codebook comparison id.
    p_adjust : {None, "holm", "fdr_bh", "bonferroni"}, default None
        Adjust p over these item tests only.
    effect_ci : {"analytic", "bootstrap", "none"}, default "analytic"
        Method of the effect-size confidence intervals.

    Returns
    -------
    GroupComparisons
        As :func:`compare_groups`, with only item outcomes, in codebook item order.

    Notes
    -----
    Same tests and rules as :func:`compare_groups`.

    References
    ----------
    Mann HB, Whitney DR. Ann Math Stat 1947;18:50-60.

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> item_comparisons(example_cohort(), "by_group").tests["outcome"].tolist()
    ['A1', 'A2']
    """
    return _item_comparisons(CodedCohort(cohort), comparison_id, p_adjust, effect_ci)


def _item_comparisons(data: CodedCohort, comparison_id: str, p_adjust: str | None,
                      effect_ci: str = EFFECT_CI) -> GroupComparisons:
    comp = data.comparison(comparison_id)
    return _run(data, [(comp, tuple(data.codebook.items), (), ())], p_adjust, data.codebook.analysis.min_answered,
                effect_ci)
