"""Run the whole analysis the codebook describes and keep every frame with its provenance."""

from __future__ import annotations

import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from .._progress import announce
from ..codebook import Codebook
from ..io import sha256_file
from ._agreement import _item_agreement, _item_level_counts, domain_agreement
from ._coded_cohort import CodedCohort
from ._comparisons import EFFECT_CI, N_BOOT, POSTHOC_ALPHA, _compare_groups, _item_comparisons, check_effect_ci
from ._descriptives import _descriptive_tables
from ._nonsubstantive import NONSUBSTANTIVE_COLUMNS, _nonsubstantive_answers
from ._numeric import NUMERIC_COLUMNS, _numeric_summary
from ._scores import min_answered_of, theme_score_summary
from ._themes import CORRELATION_ALPHA, _theme_correlations, _theme_reliability, theme_correlation_summary

__all__ = ["Results", "analyse", "FRAME_NAMES"]

#: Frame names in output order (each is ``<name>.csv`` and ``frames.<name>`` in results.json).
FRAME_NAMES = (
    "flow", "descriptives", "numeric_summary", "nonsubstantive", "item_levels", "item_agreement", "domain_agreement", "theme_score_summary",
    "theme_correlations", "theme_correlation_summary", "reliability", "comparisons", "comparison_groups",
    "posthoc", "item_tests",
)


@dataclass(frozen=True)
class Results:
    """Everything :func:`analyse` computed, unrounded, with the settings and provenance.

    Frames (see docs/results-schema.md for their columns): ``flow``, ``descriptives``,
    ``numeric_summary``, ``nonsubstantive``, ``item_levels``, ``item_agreement``, ``domain_agreement``, ``theme_score_summary``,
    ``theme_correlations``, ``theme_correlation_summary``, ``reliability``, ``comparisons``,
    ``comparison_groups``, ``posthoc``, ``item_tests``.
    """

    codebook: Codebook
    flow: pd.DataFrame
    descriptives: pd.DataFrame
    item_levels: pd.DataFrame
    item_agreement: pd.DataFrame
    domain_agreement: pd.DataFrame
    theme_score_summary: pd.DataFrame
    theme_correlations: pd.DataFrame
    theme_correlation_summary: pd.DataFrame
    reliability: pd.DataFrame
    comparisons: pd.DataFrame
    comparison_groups: pd.DataFrame
    posthoc: pd.DataFrame
    item_tests: pd.DataFrame
    numeric_summary: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NUMERIC_COLUMNS))
    nonsubstantive: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NONSUBSTANTIVE_COLUMNS))
    warnings: tuple[str, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return self.codebook.study.synthetic

    def frames(self) -> dict[str, pd.DataFrame]:
        """The result frames by name, in output order."""
        return {name: getattr(self, name) for name in FRAME_NAMES}


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def software_versions() -> dict[str, str]:
    """Versions of the software that computed the results."""
    from .. import __version__

    import numpy
    import scipy

    # The modules' own version strings: the same as their installed metadata, without scanning
    # every installed distribution's metadata on each call.
    return {
        "python": platform.python_version(),
        "imgshare": __version__,
        "pandas": pd.__version__,
        "numpy": getattr(numpy, "__version__", None) or _version("numpy"),
        "scipy": getattr(scipy, "__version__", None) or _version("scipy"),
    }


def _file_entry(path: Path | str | None, base: Path) -> dict[str, Any]:
    """File name (relative to the codebook folder when inside it) and SHA-256, or why there is none."""
    if path is None:
        return {"file": None, "sha256": None, "reason": "no file"}
    path = Path(path)
    try:
        shown = path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        shown = path.name
    if not path.is_file():
        return {"file": shown, "sha256": None, "reason": "file not found when the results were computed"}
    return {"file": shown, "sha256": sha256_file(path), "reason": ""}


def provenance(cohort: Any) -> dict[str, Any]:
    """Codebook and data-file hashes and software versions (no absolute paths, no clock)."""
    cb = cohort.codebook
    base = Path(cb.base_dir)
    source = Path(cb.source)
    codebook = _file_entry(source if source.is_absolute() or source.is_file() else None, base)
    if codebook["reason"] == "no file":
        codebook = {"file": source.name, "sha256": None, "reason": "codebook was not read from a file"}
    files = dict(cohort.files)
    return {
        "codebook": codebook,
        "data": {qid: _file_entry(files.get(qid), base) for qid in cb.questionnaires},
        "software": software_versions(),
    }


def _analysis_warnings(comparisons: pd.DataFrame, groups: pd.DataFrame) -> list[str]:
    out = []
    left_out = groups[~groups["included"].to_numpy(dtype=bool)]
    for comp, kind, outcome, label, reason in zip(*(left_out[c].tolist() for c in (
            "comparison", "outcome_kind", "outcome", "group_label", "reason"))):
        out.append(f"comparison '{comp}', {kind} '{outcome}': group '{label}' left out ({reason})")
    for comp, kind, outcome, reason in zip(*(comparisons[c].tolist() for c in (
            "comparison", "outcome_kind", "outcome", "reason"))):
        if str(reason) != "":
            out.append(f"comparison '{comp}', {kind} '{outcome}': {reason}")
    return out


def analyse(
    cohort: Any, *, p_adjust: str | None = None, ci: bool = True, min_answered: float | None = None,
    effect_ci: str = EFFECT_CI,
) -> Results:
    """Compute every table and test the codebook calls for.

    Parameters
    ----------
    cohort : Cohort
        The analysed cohort (:func:`imgshare.cohort.build_cohort`).
    p_adjust : {None, "holm", "fdr_bh", "bonferroni"}, default None
        Family-wide adjustment over all codebook comparisons (adds ``p_adj``).
    ci : bool, default True
        Wilson 95% intervals on the descriptive tables.
    min_answered : float, optional
        Share of a theme's items a respondent must answer to get a theme score; default the
        codebook's ``analysis.min_answered`` (0.5 unless set).
    effect_ci : {"analytic", "bootstrap", "none"}, default "analytic"
        Method of the effect-size confidence intervals of the group comparisons (see
        :func:`compare_groups`); "bootstrap" is a percentile bootstrap of 2000 resamples.

    Returns
    -------
    Results
        All frames plus flow, warnings, settings and provenance (SHA-256 of the codebook and
        each data file, software versions).

    Notes
    -----
    Composition only: see :func:`categorical_table`, :func:`item_agreement`,
    :func:`theme_scores`, :func:`theme_correlations`, :func:`theme_reliability` and
    :func:`compare_groups` for the statistics. ``item_tests`` runs :func:`item_comparisons`
    for every codebook comparison (exploratory, outside the ``p_adjust`` family).

    References
    ----------
    See the functions above.

    Examples
    --------
    >>> from imgshare.analysis._examples import example_cohort
    >>> res = analyse(example_cohort())
    >>> sorted(res.frames())[:3], res.synthetic
    (['comparison_groups', 'comparisons', 'descriptives'], True)
    """
    check_effect_ci(effect_ci)
    min_answered = min_answered_of(cohort, min_answered)
    announce("analyse", f"{sum(len(f) for f in cohort.responses.values()):,} respondents")
    # One encoding of the cohort for every step: each column is read and counted once.
    data = CodedCohort(cohort)
    agreement = _item_agreement(data)
    correlations = _theme_correlations(data, min_answered)
    compared = _compare_groups(data, p_adjust, min_answered, effect_ci)
    item_parts = [_item_comparisons(data, cid, None, effect_ci).tests for cid in cohort.codebook.comparisons]
    item_tests = pd.concat(item_parts, ignore_index=True) if item_parts else compared.tests.iloc[0:0]
    score_summary = theme_score_summary(data, min_answered)
    settings = {
        "p_adjust": p_adjust,
        "ci": ci,
        "ci_level": 0.95,
        "min_answered": min_answered,
        "correlation_alpha": CORRELATION_ALPHA,
        "posthoc_alpha": POSTHOC_ALPHA,
        "posthoc_p_adjust": "holm",
        "effect_ci": effect_ci,
        "n_boot": N_BOOT if effect_ci == "bootstrap" else None,
    }
    return Results(
        codebook=cohort.codebook,
        flow=cohort.flow.copy(),
        descriptives=_descriptive_tables(data, ci),
        item_levels=_item_level_counts(data),
        item_agreement=agreement,
        domain_agreement=domain_agreement(cohort, agreement),
        theme_score_summary=score_summary,
        theme_correlations=correlations,
        theme_correlation_summary=theme_correlation_summary(cohort, correlations=correlations),
        reliability=_theme_reliability(data, min_answered),
        comparisons=compared.tests,
        comparison_groups=compared.groups,
        posthoc=compared.posthoc,
        item_tests=item_tests,
        numeric_summary=_numeric_summary(data),
        nonsubstantive=_nonsubstantive_answers(data),
        warnings=tuple(cohort.warnings) + tuple(_analysis_warnings(compared.tests, compared.groups)),
        settings=settings,
        provenance=provenance(cohort),
    )
