"""Deterministic serialisation of :class:`Results`: results.json and one CSV per frame."""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..io import neutralise_formula, write_text_atomic

__all__ = ["results_to_json", "write_results", "SCHEMA"]

#: Identifies the layout of results.json (documented in docs/results-schema.md).
SCHEMA = "imgshare-results/1"


def _plain(value: Any) -> Any:
    """A JSON-ready value: NaN, infinities and pandas NA become None; numpy scalars unwrap."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        return [_plain(v) for v in items]
    raise TypeError(f"cannot serialise {type(value).__name__} to JSON")


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON-ready dicts (column names as keys)."""
    columns = [str(c) for c in frame.columns]
    return [
        {c: _plain(v) for c, v in zip(columns, row)}
        for row in frame.astype(object).itertuples(index=False, name=None)
    ]


def _generated() -> str | None:
    """The build time from SOURCE_DATE_EPOCH (reproducible builds), else no timestamp."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        stamp = int(epoch)
    except ValueError:
        return None
    return _dt.datetime.fromtimestamp(stamp, tz=_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def results_document(results: Any) -> dict[str, Any]:
    """The JSON document of ``results`` as plain Python data."""
    study = results.codebook.study
    doc = {
        "schema": SCHEMA,
        "study": {
            "id": study.id,
            "title": study.title,
            "citation": study.citation,
            "data": study.data,
            "synthetic": study.synthetic,
            "data_note": study.data_note,
        },
        "settings": _plain(dict(results.settings)),
        "provenance": _plain(dict(results.provenance)),
        "warnings": list(results.warnings),
        "frames": {name: frame_records(frame) for name, frame in results.frames().items()},
        "columns": {name: [str(c) for c in frame.columns] for name, frame in results.frames().items()},
    }
    generated = _generated()
    if generated is not None:
        doc["generated"] = generated
    return doc


def results_to_json(results: Any) -> str:
    """Serialise results deterministically.

    Keys are sorted, floats keep full precision (shortest repr that round-trips), NaN and
    infinities become ``null`` (each frame keeps its ``reason`` column saying why a value is
    undefined), and there is no timestamp unless ``SOURCE_DATE_EPOCH`` is set. The same
    results give byte-identical text.

    Parameters
    ----------
    results : Results
        The output of :func:`analyse`.

    Returns
    -------
    str
        UTF-8 JSON text ending in a newline.

    Examples
    --------
    >>> from imgshare.analysis import analyse
    >>> from imgshare.analysis._examples import example_cohort
    >>> text = results_to_json(analyse(example_cohort()))
    >>> text == results_to_json(analyse(example_cohort()))
    True
    """
    doc = results_document(results)
    return json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def frame_csv(frame: pd.DataFrame) -> str:
    """CSV text of a frame: full-precision floats, empty cells for missing values, LF endings.

    Text cells a spreadsheet would run as a formula get a leading apostrophe.
    """
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(lambda v: neutralise_formula(v) if isinstance(v, str) else v)
    return safe.to_csv(index=False, lineterminator="\n")


def write_results(results: Any, out_dir: Path | str) -> list[Path]:
    """Write ``results.json`` and ``<frame>.csv`` for every frame into ``out_dir``.

    Each file is written to a temporary file in ``out_dir`` and renamed into place
    (``os.replace``), so a reader never sees a half-written file.

    Parameters
    ----------
    results : Results
        The output of :func:`analyse`.
    out_dir : path-like
        Folder to write into (created if needed).

    Returns
    -------
    list of pathlib.Path
        The files written, results.json first, then the CSVs in frame order.
    """
    out = Path(out_dir)
    # Everything is rendered before the first file is replaced, so an interruption while
    # computing leaves every previous output as it was.
    texts = {"results.json": results_to_json(results)}
    texts.update({f"{name}.csv": frame_csv(frame) for name, frame in results.frames().items()})
    out.mkdir(parents=True, exist_ok=True)
    return [write_text_atomic(out / name, text) for name, text in texts.items()]
