"""Analytic effect-size CIs equal independent computations from raw values with scipy.stats.

r (Mann-Whitney): DeLong's variance of the Mann-Whitney probability from the n1 x n2 pair
kernel, a logit-scale Wald interval, each bound mapped to r. epsilon-squared (Kruskal-Wallis):
the one-way ANOVA F on midranks (scipy.stats.f_oneway) and the noncentrality interval found
with scipy.optimize.brentq on scipy.stats.ncf.
"""

import numpy as np
import pytest
from scipy import optimize, stats

from imgshare.stats import kruskal_wallis, mann_whitney
from imgshare.stats._effect_ci import mann_whitney_probability_ci
from stats._stats_cases import call_quietly, dropna, group_cases

TOL = 1e-9
# Shapes with at least 2 observations per group and overlapping groups (where the CI is defined).
MW_CASES = ["likert5_ties", "likert4_no_neutral", "likert7", "missing_answers", "unequal_sizes", "tiny_tied",
            "large_n", "theme_scores", "continuous"]
KW_CASES = ["likert5_ties", "likert4_no_neutral", "likert7", "unequal_sizes", "group_of_one", "tiny_tied",
            "large_n", "theme_scores", "continuous"]


def _r_interval_from_raw(x: np.ndarray, y: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    n1, n2 = x.size, y.size
    kernel = (x[:, None] > y[None, :]) + 0.5 * (x[:, None] == y[None, :])
    theta = kernel.mean()
    v10, v01 = kernel.mean(axis=1), kernel.mean(axis=0)
    var = v10.var(ddof=1) / n1 + v01.var(ddof=1) / n2
    z = stats.norm.ppf(0.5 + confidence / 2)
    logit = np.log(theta / (1 - theta))
    half = z * np.sqrt(var) / (theta * (1 - theta))
    bounds = 1 / (1 + np.exp(-(logit + np.array([-half, half]))))
    pooled = np.concatenate([x, y])
    _, ties = np.unique(pooled, return_counts=True)
    n = n1 + n2
    sigma = np.sqrt(n1 * n2 / 12 * ((n + 1) - (ties**3 - ties).sum() / (n * (n - 1))))
    d = bounds * n1 * n2 - n1 * n2 / 2
    r = np.sign(d) * np.maximum(np.abs(d) - 0.5, 0) / sigma / np.sqrt(n)
    return float(r[0]), float(r[1])


@pytest.mark.parametrize("case", MW_CASES)
def test_r_interval_equals_delong_logit_interval_computed_from_the_raw_pairs(case):
    x, y = (dropna(g) for g in group_cases()[case][:2])
    if case == "large_n":  # the pair kernel would be 60,000 x 40,000: use a subsample of the same shape
        x, y = x[:3000], y[:2000]
    res = call_quietly(mann_whitney, x, y)
    low, high = _r_interval_from_raw(x, y)
    np.testing.assert_allclose([res.r_ci_low[0], res.r_ci_high[0]], [low, high], rtol=TOL, atol=1e-12)
    assert res.reason[0] == ""
    assert res.r_ci_low[0] <= res.r[0] <= res.r_ci_high[0]


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.99])
def test_r_interval_follows_the_confidence_level(confidence):
    x, y = (dropna(g) for g in group_cases()["likert7"][:2])
    res = mann_whitney(x, y, confidence=confidence)
    np.testing.assert_allclose([res.r_ci_low[0], res.r_ci_high[0]], _r_interval_from_raw(x, y, confidence),
                               rtol=TOL, atol=1e-12)


def test_r_interval_is_undefined_with_a_reason_when_groups_do_not_overlap_or_are_too_small():
    apart = call_quietly(mann_whitney, [1, 1, 2, 2], [4, 5, 5, 5])
    assert np.isnan(apart.r_ci_low[0]) and "do not overlap" in apart.reason[0]
    assert np.isfinite(apart.r[0]) and np.isfinite(apart.p[0])
    single = call_quietly(mann_whitney, [3], [1, 2, 4, 5])
    assert np.isnan(single.r_ci_high[0]) and "fewer than 2" in single.reason[0]


def test_mann_whitney_probability_interval_covers_the_true_value_about_95_percent_of_the_time():
    rng = np.random.default_rng(7)
    px, py = np.array([0.1, 0.2, 0.2, 0.3, 0.2]), np.array([0.2, 0.3, 0.2, 0.2, 0.1])
    below_y = np.cumsum(py) - py
    truth = float(px @ (below_y + py / 2))
    hits = 0
    reps = 2000
    for _ in range(reps):
        table = np.vstack([rng.multinomial(40, px), rng.multinomial(35, py)]).astype(float)
        _, low, high, _ = mann_whitney_probability_ci(table, 0.95)
        hits += low <= truth <= high
    assert 0.93 <= hits / reps <= 0.97


def _eta2_interval_from_raw(groups: list[np.ndarray], confidence: float = 0.95) -> tuple[float, float, float]:
    pooled = np.concatenate(groups)
    ranks = stats.rankdata(pooled)
    parts = np.split(ranks, np.cumsum([g.size for g in groups])[:-1])
    f_obs = stats.f_oneway(*parts).statistic
    n, g = pooled.size, len(groups)
    dfn, dfd = g - 1, n - g
    tail = (1 - confidence) / 2

    def lam(target):
        fn = lambda lam: stats.ncf.cdf(f_obs, dfn, dfd, lam) - target  # noqa: E731
        if fn(0.0) <= 0:
            return 0.0
        hi = 1.0
        while fn(hi) > 0:
            hi *= 2
        return optimize.brentq(fn, 0.0, hi, xtol=1e-14, rtol=1e-15, maxiter=500)

    grand = ranks.mean()
    ssb = sum(p.size * (p.mean() - grand) ** 2 for p in parts)
    sst = ((ranks - grand) ** 2).sum()
    low, high = lam(1 - tail), lam(tail)
    return ssb / sst, low / (low + n), high / (high + n)


@pytest.mark.parametrize("case", KW_CASES)
def test_epsilon_squared_interval_equals_noncentral_f_interval_of_the_anova_on_ranks(case):
    groups = [dropna(g) for g in group_cases()[case]]
    if len(groups) < 3:
        groups = groups + [groups[0][::2]]
    res = call_quietly(kruskal_wallis, *groups).test.iloc[0]
    eta2, low, high = _eta2_interval_from_raw(groups)
    np.testing.assert_allclose(res.epsilon2, eta2, rtol=1e-10)  # epsilon-squared is the rank ANOVA's eta-squared
    np.testing.assert_allclose([res.ci_low, res.ci_high], [low, high], rtol=TOL, atol=1e-12)
    assert res.reason == ""
    assert res.ci_low <= res.epsilon2 <= res.ci_high


def test_epsilon_squared_interval_starts_at_zero_when_the_groups_barely_differ():
    rng = np.random.default_rng(3)
    groups = [rng.integers(1, 6, 200).astype(float) for _ in range(3)]
    res = kruskal_wallis(*groups).test.iloc[0]
    assert res.p > 0.5
    assert res.ci_low == 0.0 and res.ci_high > res.epsilon2


def test_epsilon_squared_interval_is_undefined_with_a_reason_for_completely_separated_constant_groups():
    res = call_quietly(kruskal_wallis, [1, 1], [2, 2], [3, 3]).test.iloc[0]
    assert res.epsilon2 == 1.0 and np.isnan(res.ci_low) and "epsilon-squared = 1" in res.reason


def test_epsilon_squared_interval_is_fast_to_find_at_a_million_respondents():
    """Large noncentralities (lambda ~ 1e4..1e5) stay inside the bracket search (no cap at 1e4)."""
    rng = np.random.default_rng(5)
    levels = np.arange(1, 6)
    tables = [rng.multinomial(n, p) for n, p in ((400_000, [.1, .2, .3, .2, .2]), (350_000, [.2, .2, .3, .2, .1]),
                                                  (250_000, [.3, .2, .2, .2, .1]))]
    from imgshare.stats import LevelCounts

    res = kruskal_wallis(*(LevelCounts(levels, t) for t in tables)).test.iloc[0]
    assert 0 < res.ci_low < res.epsilon2 < res.ci_high < 1
    # The interval is narrow at this N: a few thousandths around the estimate.
    assert res.ci_high - res.ci_low < 0.01
