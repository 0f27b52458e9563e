"""The provenance appendix: what the numbers were computed from, and with which software."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from importlib import metadata
from typing import Any

from ..escape import markdown as md_escape

__all__ = ["provenance_markdown", "report_software", "build_date"]

#: Distributions the manuscript's tables and figures depend on beyond the analysis
#: (``Results.provenance`` records python, imgshare, pandas, numpy and scipy).
PRESENTATION_PACKAGES = ("plotnine", "matplotlib", "great-tables")


def report_software() -> dict[str, str]:
    """Versions of the presentation packages (plotnine, matplotlib, great-tables)."""
    out = {}
    for dist in PRESENTATION_PACKAGES:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def build_date(env: Mapping[str, str] | None = None) -> str | None:
    """The build date (UTC, ISO 8601) from ``SOURCE_DATE_EPOCH``, or None when it is unset:
    a manuscript carries no clock time, so the same inputs give the same files.

    Examples
    --------
    >>> build_date({"SOURCE_DATE_EPOCH": "1700000000"}), build_date({})
    ('2023-11-14', None)
    """
    env = os.environ if env is None else env
    value = env.get("SOURCE_DATE_EPOCH", "")
    if not value.isdigit():
        return None
    return _dt.datetime.fromtimestamp(int(value), tz=_dt.timezone.utc).date().isoformat()


def _file_line(what: str, entry: Mapping[str, Any]) -> str:
    name = md_escape(entry.get("file") or "(none)")
    if entry.get("sha256"):
        # The digest on a line of its own: 64 unbreakable characters would stretch a justified line.
        return f"- {what}: {name}\\\n  SHA-256 `{entry['sha256']}`"
    return f"- {what}: {name}, not hashed ({md_escape(entry.get('reason') or 'no file')})"


def provenance_markdown(provenance: Mapping[str, Any], codebook: Any, *, extra_software: Mapping[str, str] | None = None,
                        env: Mapping[str, str] | None = None) -> str:
    """A bullet list: the codebook and each data file with its SHA-256, the software versions
    and the build date (only when ``SOURCE_DATE_EPOCH`` is set)."""
    lines = [_file_line("Codebook", provenance.get("codebook", {}))]
    for qid, entry in provenance.get("data", {}).items():
        label = codebook.questionnaires[qid].label if qid in codebook.questionnaires else qid
        lines.append(_file_line(f"Data, {md_escape(label)}", entry))
    software = {**provenance.get("software", {}), **(extra_software or {})}
    names = {"python": "Python", "numpy": "NumPy", "scipy": "SciPy"}
    lines.append("- Software: " + ", ".join(f"{md_escape(names.get(k, k))} {md_escape(v)}"
                                           for k, v in software.items()))
    date = build_date(env)
    lines.append(f"- Built: {date} (from SOURCE\\_DATE\\_EPOCH)" if date else
                 "- Built: no date recorded (set SOURCE\\_DATE\\_EPOCH to record one)")
    return "\n".join(lines) + "\n"
