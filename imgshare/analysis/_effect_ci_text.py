"""The sentence a methods section needs about the effect-size confidence intervals."""

from __future__ import annotations

__all__ = ["effect_ci_sentence"]


def effect_ci_sentence(settings: dict, *, has_mann_whitney: bool = True, has_kruskal_wallis: bool = True) -> str:
    """The sentence saying how the effect-size confidence intervals were computed.

    Written from ``results.settings["effect_ci"]`` (the method the analysis actually used;
    results written before that setting existed used the bootstrap).

    Examples
    --------
    >>> effect_ci_sentence({"effect_ci": "bootstrap", "n_boot": 2000})
    "Effect-size 95% confidence intervals are percentile bootstraps (2000 resamples of each group's answers, fixed seeds)."
    >>> effect_ci_sentence({"effect_ci": "analytic"}, has_kruskal_wallis=False)
    "Effect-size 95% confidence intervals are analytic: for r, the interval of the Mann-Whitney probability P(X > Y) + P(X = Y)/2 with DeLong's variance on the logit scale (Perme and Manevski 2019), mapped to r."
    """
    level = f"{100 * settings.get('ci_level', 0.95):g}%"
    method = settings.get("effect_ci", "bootstrap")
    if method == "bootstrap":
        return (f"Effect-size {level} confidence intervals are percentile bootstraps ({settings.get('n_boot')} "
                "resamples of each group's answers, fixed seeds).")
    if method == "none":
        return "No confidence intervals were computed for the effect sizes."
    parts = []
    if has_mann_whitney:
        parts.append("for r, the interval of the Mann-Whitney probability P(X > Y) + P(X = Y)/2 with DeLong's "
                     "variance on the logit scale (Perme and Manevski 2019), mapped to r")
    if has_kruskal_wallis:
        parts.append("for epsilon-squared, which equals eta-squared of a one-way ANOVA on the ranks, the "
                     "noncentral F interval of that ANOVA (Steiger 2004)")
    return f"Effect-size {level} confidence intervals are analytic: {'; '.join(parts)}."
