"""The Gaussian copula: latent normals, exact-count discretisation and Spearman calibration.

The last, fine stage of the calibration (count-preserving swaps) is in :mod:`._swaps`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata

__all__ = [
    "CopulaFit",
    "nearest_correlation",
    "whitened_normal",
    "discretize_exact",
    "cut_points",
    "discretize_by_cuts",
    "pairwise_spearman",
    "fit_copula",
]

#: Latent correlations are kept inside (-LIMIT, LIMIT) so the matrix stays invertible.
LIMIT = 0.98


@dataclass(frozen=True)
class CopulaFit:
    """Result of :func:`fit_copula`.

    ``latent`` is the n x d latent matrix (mean shifts included), ``codes`` the discretised
    answers (``-1`` = no answer), ``correlation`` the latent correlation matrix used,
    ``achieved`` the Spearman rho of each target pair, ``iterations`` the steps taken.
    """

    latent: np.ndarray
    codes: np.ndarray
    correlation: np.ndarray
    achieved: np.ndarray
    iterations: int


def nearest_correlation(r: np.ndarray, floor: float = 1e-4) -> np.ndarray:
    """A positive-definite correlation matrix close to ``r`` (eigenvalues clipped at ``floor``).

    Parameters
    ----------
    r : ndarray
        Symmetric matrix with unit diagonal.
    floor : float
        Smallest eigenvalue allowed before rescaling to unit diagonal.

    Returns
    -------
    ndarray
        ``r`` itself (a copy) when it is already positive definite.

    Examples
    --------
    >>> m = nearest_correlation(np.array([[1, .9, -.9], [.9, 1, .9], [-.9, .9, 1]]))
    >>> bool(np.all(np.linalg.eigvalsh(m) > 0))
    True
    """
    w, v = np.linalg.eigh(r)
    if w.min() >= floor:
        return r.copy()
    m = (v * np.maximum(w, floor)) @ v.T
    d = np.sqrt(np.diag(m))
    m = m / np.outer(d, d)
    np.fill_diagonal(m, 1.0)
    return m


def whitened_normal(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """n x d standard normals whose SAMPLE covariance is exactly the identity.

    Removing sampling noise from the latent correlations lets the calibration below
    converge on the correlation structure rather than on one draw's accidents.
    """
    eps = rng.standard_normal((n, d))
    if n <= d + 1:
        return eps
    eps = eps - eps.mean(axis=0)
    chol = np.linalg.cholesky(eps.T @ eps / n)
    return np.linalg.solve(chol, eps.T).T


def discretize_exact(z: np.ndarray, codes: np.ndarray, counts: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """Map latent values to scale codes so that code ``codes[k]`` is given exactly ``counts[k]`` times.

    The ``counts[0]`` smallest values among ``answered`` rows get ``codes[0]``, the next
    ``counts[1]`` get ``codes[1]``, and so on; unanswered rows get ``-1``.

    Examples
    --------
    >>> discretize_exact(np.array([.3, -1., 2., .1]), np.array([1, 2]), np.array([3, 1]),
    ...                  np.ones(4, bool)).tolist()
    [1, 1, 2, 1]
    """
    out = np.full(z.shape[0], -1, dtype=np.int64)
    rows = np.flatnonzero(answered)
    order = rows[np.argsort(z[rows], kind="stable")]
    out[order] = np.repeat(codes, counts)
    return out


def cut_points(z: np.ndarray, codes_assigned: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Latent thresholds between consecutive levels of an exactly discretised column.

    Each threshold is the midpoint between the largest latent value of level k and the
    smallest of level k + 1; an empty leading (trailing) level gets -inf (+inf).
    """
    zs = np.sort(z[codes_assigned >= 0])
    n = zs.shape[0]
    cum = np.cumsum(counts)[:-1]
    cuts = np.empty(cum.shape[0])
    for k, c in enumerate(cum):
        if c <= 0:
            cuts[k] = -np.inf
        elif c >= n:
            cuts[k] = np.inf
        else:
            cuts[k] = (zs[c - 1] + zs[c]) / 2
    return cuts


def discretize_by_cuts(z: np.ndarray, codes: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Map latent values to codes with fixed thresholds (for rows beyond the calibrated sample)."""
    return codes[np.searchsorted(cuts, z, side="left")]


def pairwise_spearman(codes: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Spearman's rho for each column pair of ``codes``, over rows answering both (``-1`` = none).

    Notes
    -----
    rho is Pearson's correlation of the mid-ranks (ties averaged), as in
    ``scipy.stats.spearmanr``:

    .. math:: \\rho = \\frac{\\sum_i (r_i - \\bar r)(s_i - \\bar s)}
                           {\\sqrt{\\sum_i (r_i - \\bar r)^2 \\sum_i (s_i - \\bar s)^2}}

    References
    ----------
    Spearman C. The proof and measurement of association between two things.
    Am J Psychol 1904;15:72-101.

    Examples
    --------
    >>> codes = np.array([[1, 1], [2, 3], [3, 2], [3, 3], [-1, 1]])
    >>> round(float(pairwise_spearman(codes, np.array([[0, 1]]))[0]), 4)  # last row skipped
    0.5
    """
    out = np.empty(len(pairs))
    for k, (a, b) in enumerate(pairs):
        both = (codes[:, a] >= 0) & (codes[:, b] >= 0)
        ra = rankdata(codes[both, a])
        rb = rankdata(codes[both, b])
        sa, sb = ra.std(), rb.std()
        out[k] = np.nan if sa == 0 or sb == 0 else float(np.mean((ra - ra.mean()) * (rb - rb.mean())) / (sa * sb))
    return out


def fit_copula(
    eps: np.ndarray,
    base: np.ndarray,
    pairs: np.ndarray,
    targets: np.ndarray,
    shift: np.ndarray,
    level_codes: list[np.ndarray],
    level_counts: list[np.ndarray],
    answered: np.ndarray,
    tolerance: float,
    max_iterations: int,
) -> CopulaFit:
    """Find latent correlations whose discretised answers show the target Spearman rhos.

    Parameters
    ----------
    eps : ndarray, shape (n, d)
        Whitened standard normals (fixed across iterations: common random numbers).
    base : ndarray, shape (d, d)
        Latent correlation matrix; entries at ``pairs`` are the starting values.
    pairs : ndarray of int, shape (p, 2)
        Column pairs with a Spearman target.
    targets : ndarray, shape (p,)
        Target Spearman rhos.
    shift : ndarray, shape (n, d)
        Latent mean shifts (group effects), added before discretising.
    level_codes, level_counts : list of ndarray
        Per column, the scale codes in order and their exact counts among answered rows.
    answered : ndarray of bool, shape (n, d)
        Which rows answer which column.
    tolerance : float
        Stop when every |achieved - target| <= tolerance.
    max_iterations : int
        Upper bound on fixed-point steps.

    Returns
    -------
    CopulaFit

    Notes
    -----
    Latent ``Z = eps L' + shift`` with ``L L' = R``; column j is cut into levels by rank so its
    counts are exact. Discretisation attenuates correlation, so each step moves the latent
    entry by the remaining gap, ``R_ab <- R_ab + (rho*_ab - rho_ab(R))``, a fixed-point
    iteration that converges because rho is increasing in R_ab with slope below 2.
    The matrix is projected back to positive definite after each step.

    References
    ----------
    Nelsen RB. An Introduction to Copulas. 2nd ed. Springer; 2006.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> codes5, counts = np.arange(1, 6), np.array([10, 20, 40, 80, 50])
    >>> fit = fit_copula(whitened_normal(rng, 200, 2), np.eye(2), np.array([[0, 1]]), np.array([0.6]),
    ...                  np.zeros((200, 2)), [codes5, codes5], [counts, counts], np.ones((200, 2), bool),
    ...                  0.01, 50)
    >>> abs(float(fit.achieved[0]) - 0.6) <= 0.01, np.bincount(fit.codes[:, 0])[1:].tolist()
    (True, [10, 20, 40, 80, 50])
    """
    r = base.copy()
    n, d = eps.shape
    best = None
    for step in range(1, max_iterations + 1):
        rc = nearest_correlation(r)
        z = eps @ np.linalg.cholesky(rc).T + shift
        codes = np.column_stack([
            discretize_exact(z[:, j], level_codes[j], level_counts[j], answered[:, j]) for j in range(d)
        ]) if d else np.empty((n, 0), dtype=np.int64)
        achieved = pairwise_spearman(codes, pairs)
        gap = targets - achieved
        # a constant column has no rho: it can never meet its target
        worst = float(np.max(np.abs(np.nan_to_num(gap, nan=np.inf)))) if len(gap) else 0.0
        if best is None or worst < best[0]:
            best = (worst, CopulaFit(z, codes, rc, achieved, step))
        if worst <= tolerance:
            break
        # Ranks make rho a step function of R, so full steps can cycle between two
        # neighbouring steps; a shrinking gain (Robbins-Monro) settles between them.
        gain = 1.0 / (1.0 + step / 10.0)
        for (a, b), g in zip(pairs, np.nan_to_num(gap)):
            r[a, b] = r[b, a] = float(np.clip(r[a, b] + gain * g, -LIMIT, LIMIT))
    return best[1]
