"""Writing synthetic frames as the CSV files the codebook names."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..codebook import Codebook
from ._generate import SynthesisError

__all__ = ["write_synthetic", "to_csv_text"]

#: A synthetic file must say so in its name, so generated rows can never pass for (or
#: overwrite) a study's real data.
MARKER = "synthetic"


def to_csv_text(frame: pd.DataFrame) -> str:
    """The frame as UTF-8 CSV text: header row, comma separator, "\\n" line ends, blank = no answer."""
    return frame.to_csv(index=False, lineterminator="\n", na_rep="")


def write_synthetic(frames: Mapping[str, pd.DataFrame], codebook: Codebook, out_dir: str | Path) -> dict[str, Path]:
    """Write each questionnaire's synthetic frame to ``out_dir / <codebook file name>``.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        Output of :func:`synthesize`: one frame per questionnaire id.
    codebook : Codebook
        Names the file and the column order of each questionnaire.
    out_dir : str or Path
        Directory to write into (created if missing).

    Returns
    -------
    dict of str to Path
        The file written for each questionnaire.

    Raises
    ------
    SynthesisError
        When a frame is missing or has other columns than the codebook, or a file name
        does not contain "synthetic" (the codebook then points at real data, which must
        not be overwritten).
    """
    for qid, q in codebook.questionnaires.items():
        if MARKER not in Path(q.file).name.lower():
            raise SynthesisError(
                f"questionnaires.{qid}.file: '{q.file}' does not contain '{MARKER}'; refusing to write "
                "generated rows to a file that could hold real data")
        if qid not in frames:
            raise SynthesisError(f"no synthetic frame for questionnaire '{qid}'")
        if tuple(frames[qid].columns) != q.columns:
            raise SynthesisError(f"frame for questionnaire '{qid}' has columns {list(frames[qid].columns)}, "
                                 f"expected {list(q.columns)}")
    for qid in frames:
        if qid not in codebook.questionnaires:
            raise SynthesisError(f"frame '{qid}' is not a questionnaire of the codebook")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for qid, q in codebook.questionnaires.items():
        path = out_dir / q.file
        path.write_bytes(to_csv_text(frames[qid]).encode("utf-8"))
        written[qid] = path
    return written
