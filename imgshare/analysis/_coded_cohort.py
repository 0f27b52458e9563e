"""One analysis run's view of a cohort: every column read and encoded at most once, tables memoised.

:class:`CodedCohort` wraps a :class:`~imgshare.cohort.Cohort` for the duration of one call
(:func:`~imgshare.analysis.analyse` builds one and hands it to every step; a public function
called on its own builds its own). It never modifies the cohort and holds no state beyond that
call.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Comparison, Questionnaire
from ._common import AnalysisError, questionnaire_of, responses_of, weights_of
from ._column_encoding import Coded, count_keys, encode_series, mixed_radix, reverse_keyed

__all__ = ["CodedCohort"]

# Grouping variables of one questionnaire are counted together while their joint levels fit here.
_MAX_STRATA = 1 << 10
# Largest (strata x target) table counted in one go; larger ones are counted per grouping variable.
_MAX_TABLE = 1 << 20


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else np.nan


class CodedCohort:
    """Encodings and count tables of one cohort, built on first use and reused within one analysis."""

    def __init__(self, cohort: Any):
        self.cohort = cohort
        self.codebook = cohort.codebook
        self._memo: dict[Hashable, Any] = {}

    def memo(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """``build()`` once per key for the life of this object."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def questionnaire(self, qid: str) -> Questionnaire:
        return questionnaire_of(self.cohort, qid)

    def frame(self, qid: str) -> pd.DataFrame:
        return responses_of(self.cohort, qid)

    def n(self, qid: str) -> int:
        return len(self.frame(qid))

    def column(self, qid: str, column: str) -> Coded:
        """Column ``column`` of questionnaire ``qid`` encoded (non-numeric text = no answer)."""

        def build() -> Coded:
            frame = self.frame(qid)
            if column not in frame.columns:
                raise AnalysisError(f"questionnaire '{qid}': the responses have no column '{column}'")
            return encode_series(frame[column])

        return self.memo(("column", qid, column), build)

    def nonsubstantive(self, qid: str, column: str) -> np.ndarray | None:
        """Each respondent's non-substantive code for ``column`` (NaN: none given), or None when the
        column has no declared codes."""

        def build() -> np.ndarray | None:
            codes = getattr(self.cohort, "nonsubstantive", {}).get(qid)
            if codes is None or column not in codes.columns:
                return None
            return codes[column].reindex(self.frame(qid).index).to_numpy(dtype=float, na_value=np.nan)

        return self.memo(("nonsubstantive", qid, column), build)

    def n_nonsubstantive(self, qid: str, column: str) -> int:
        """Respondents asked ``column`` who gave a non-substantive answer."""
        given = self.nonsubstantive(qid, column)
        if given is None:
            return 0
        hit = ~np.isnan(given)
        asked = self.asked(qid, column)
        return int((hit if asked is None else hit & asked).sum())

    def keyed(self, qid: str, item: str) -> Coded:
        """Item codes with reverse-keying applied (mirrored within the scale)."""
        if not self.codebook.items[item].reverse:
            return self.column(qid, item)
        return self.memo(("keyed", qid, item),
                         lambda: reverse_keyed(self.column(qid, item), self.codebook.scale_of(item)))

    def weights(self, qid: str) -> np.ndarray | None:
        return self.memo(("weights", qid), lambda: weights_of(self.cohort, qid, self.frame(qid)))

    def asked(self, qid: str, column: str) -> np.ndarray | None:
        """Respondents asked ``column`` (every ``asked_if`` condition holds), or None when all were."""
        var = self.questionnaire(qid).variables.get(column)
        if var is None or not var.asked_if:
            return None

        def build() -> np.ndarray:
            mask = np.ones(self.n(qid), dtype=bool)
            for dep, codes in var.asked_if.items():
                coded = self.column(qid, dep)
                # A condition on an answer that was not given (missing) does not hold.
                hit = np.append(np.isin(coded.levels, np.asarray(codes, dtype=float)), False)
                mask &= hit[coded.codes]
            return mask

        return self.memo(("asked", qid, column), build)

    def _packs(self, qid: str) -> list[tuple[tuple[str, ...], tuple[int, ...], np.ndarray]]:
        """Grouping variables of ``qid`` packed into joint codes: (variables, radices, codes per row)."""

        def build():
            by = [c.by for c in self.codebook.comparisons.values()
                  if c.between != "questionnaires" and c.questionnaire == qid]
            packs: list[list[str]] = []
            size = _MAX_STRATA + 1
            for var in dict.fromkeys(by):
                radix = self.column(qid, var).k + 1
                if size * radix > _MAX_STRATA:
                    packs.append([])
                    size = 1
                packs[-1].append(var)
                size *= radix
            out = []
            for names in packs:
                parts = [(self.column(qid, v).codes, self.column(qid, v).k + 1) for v in names]
                out.append((tuple(names), tuple(r for _, r in parts), mixed_radix(parts, self.n(qid))))
            return out

        return self.memo(("packs", qid), build)

    def _pack_table(self, qid: str, names: tuple[str, ...], radices: tuple[int, ...], pack: np.ndarray,
                    target: Hashable, codes: np.ndarray, radix: int) -> np.ndarray:
        size = int(np.prod(radices))
        return self.memo(("by", qid, names, target), lambda: count_keys([(pack, size), (codes, radix)], self.n(qid)))

    def total_counts(self, qid: str, target: Hashable, codes: np.ndarray, radix: int) -> np.ndarray:
        """Counts of ``codes`` over all respondents (from the first grouping pack's table when it fits,
        so that the pass over the rows serves the group comparisons as well)."""
        for names, radices, pack in self._packs(qid)[:1]:
            if int(np.prod(radices)) * radix <= _MAX_TABLE:
                return self._pack_table(qid, names, radices, pack, target, codes, radix).sum(axis=0)
        return self.memo(("total", qid, target), lambda: count_keys([(codes, radix)], self.n(qid)))

    def by_table(self, qid: str, var: str, target: Hashable, codes: np.ndarray, radix: int) -> np.ndarray:
        """Counts of (``var`` level incl. missing) x (``codes`` value), shape ``(k_var + 1, radix)``.

        ``target`` names ``codes`` for the memo: tables are counted once per grouping pack and
        target, so every comparison on ``qid`` shares one pass over the rows.
        """
        for names, radices, pack in self._packs(qid):
            if var not in names:
                continue
            if int(np.prod(radices)) * radix > _MAX_TABLE:
                break
            full = self._pack_table(qid, names, radices, pack, target, codes, radix)
            axis = names.index(var)
            other = tuple(i for i in range(len(names)) if i != axis)
            table = full.reshape(*radices, radix)
            return table.sum(axis=other) if other else table
        coded = self.column(qid, var)
        return self.memo(("by", qid, (var,), target),
                         lambda: count_keys([(coded.codes, coded.k + 1), (codes, radix)], self.n(qid)))

    def _group_order(self, qid: str, var: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows of each level of ``var`` together (row order kept within a level), and where each level starts."""

        def build():
            coded = self.column(qid, var)
            order = np.argsort(coded.codes, kind="stable")
            edges = np.append(0, np.cumsum(coded.counts[: coded.k]))
            return order[: edges[-1]], edges

        return self.memo(("order", qid, var), build)

    def group_means(self, qid: str, var: str | None, target: Hashable,
                    coded: Callable[[], tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """numpy's mean of each group's non-missing values, per level of ``var`` (None: everyone).

        ``coded()`` gives the values as (codes per respondent, value per code; NaN = missing).
        Each group's values are taken in row order, so they are summed exactly as
        ``values[group & ~isnan(values)].mean()`` sums them.
        """

        def build() -> np.ndarray:
            codes, table = coded()
            if var is None:
                runs, edges = codes, np.array([0, codes.size])
            else:
                order, edges = self._group_order(qid, var)
                runs = codes[order]  # small integers: a cheaper gather than the values themselves
            means = []
            for i in range(len(edges) - 1):
                run = np.take(table, runs[edges[i] : edges[i + 1]])
                means.append(_mean(run[~np.isnan(run)]))
            return np.array(means)

        return self.memo(("means", qid, var, target), build)

    def comparison(self, comparison_id: str) -> Comparison:
        comps = self.codebook.comparisons
        if comparison_id not in comps:
            raise AnalysisError(f"unknown comparison '{comparison_id}' (known: {', '.join(comps) or 'none'})")
        return comps[comparison_id]
