"""The study manuscript written on the manuscript object prints every number the earlier manuscript printed.

``fixtures/study_numbers_before_api.txt`` holds every number token of report.html as rendered by
the landed main before the rewrite (documents that computed with pandas themselves). Each must
appear again, in reading order, to at least the precision it had: the rewrite changed who computes,
not what is printed. Deliberate changes are listed below with their reason.
"""

from __future__ import annotations

import difflib
import html as _html
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "study_numbers_before_api.txt"

#: Tokens the rewrite removed on purpose (issue 14: the methods state only what the manuscript
#: shows; prose in the paper's language, not the tool's), with their reasons.
REMOVED = [
    ("1", "Dunn's tests 'done for 1 test': the count of post-hoc families is the tool speaking"),
    ("105", "item-by-item tests 'shown in charts': only the 15 charted ones are shown, and counted"),
    ("7", "'The codebook defines 7 group comparisons' was the tool speaking, not the paper"),
    ("95%", "the comparisons' introduction no longer repeats the interval level the methods state"),
]


def number_tokens(page: str) -> list[str]:
    # Not data: scripts, figures, the table of contents, section numbers and file digests.
    page = re.sub(r"<(script|style|svg|nav|code)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<span class=\"(header-|toc-)?section-number\">[\d.]+</span>", " ", page)
    page = re.sub(r"<[^>]+>", " ", page)
    page = _html.unescape(page).replace("\u2212", "-")
    page = re.sub(r"\b\d{4}-\d\d-\d\d\b", " ", page)  # the build date depends on SOURCE_DATE_EPOCH
    # Numbers of figures, tables and sections follow the layout, not the data.
    page = re.sub(r"\b(Figure|Table|Section)\s+[\d.]*\d", " ", page)
    return re.findall(r"-?(?:\d+(?:[.,]\d+)*|\.\d+)%?", page)


def key(token: str) -> tuple:
    """A coarse key to align the two token lists: percentage or not, and the value to a whole number
    (30.50% and 30.5%, 0.70 and .70, 10085 and 10085.0 share a key); :func:`same_value` then
    compares each aligned pair exactly."""
    if token.count(".") > 1:  # a version number such as 3.11.7
        return ("text", token)
    value = Decimal(token.rstrip("%").replace(",", ""))
    return (token.endswith("%"), value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def same_value(before: str, after: str) -> bool:
    """Whether two printings agree: within half a unit of the coarser one's last digit (so 4.96 prints the
    same proportion as 5.0, and 0.034 is not 0.041)."""
    if before.count(".") > 1 or after.count(".") > 1:
        return before == after
    if before.endswith("%") != after.endswith("%"):
        return False

    def parse(token):
        text = token.rstrip("%").replace(",", "")
        places = len(text.split(".")[1]) if "." in text else 0
        return Decimal(text), Decimal(5).scaleb(-places - 1)

    (b, hb), (a, ha) = parse(before), parse(after)
    return abs(a - b) <= max(hb, ha)


def missing_numbers(before: list[str], after: list[str]) -> list[str]:
    """Tokens of ``before`` that the best in-order alignment with ``after`` leaves unmatched or
    matches to a different value."""
    matcher = difflib.SequenceMatcher(None, [key(t) for t in before], [key(t) for t in after], autojunk=False)
    missing = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            missing += [b for b, a in zip(before[i1:i2], after[j1:j2]) if not same_value(b, a)]
        elif op == "delete":
            missing += before[i1:i2]
        elif op == "replace":  # values near a rounding boundary get different keys: align them exactly
            missing += _unmatched(before[i1:i2], after[j1:j2])
    return missing


def _unmatched(before: list[str], after: list[str]) -> list[str]:
    """Tokens of ``before`` outside a longest common subsequence under :func:`same_value`."""
    rows = [[0] * (len(after) + 1) for _ in range(len(before) + 1)]
    for i in range(len(before) - 1, -1, -1):
        for j in range(len(after) - 1, -1, -1):
            rows[i][j] = (rows[i + 1][j + 1] + 1 if same_value(before[i], after[j])
                          else max(rows[i + 1][j], rows[i][j + 1]))
    out, i, j = [], 0, 0
    while i < len(before):
        if j < len(after) and same_value(before[i], after[j]) and rows[i][j] == rows[i + 1][j + 1] + 1:
            i, j = i + 1, j + 1
        elif j < len(after) and rows[i][j + 1] >= rows[i + 1][j]:
            j += 1
        else:
            out.append(before[i])
            i += 1
    return out


#: Issue 15 (fast at every size): effect-size confidence intervals are analytic by default (for r
#: the DeLong logit-scale interval of the Mann-Whitney probability, for epsilon-squared the
#: noncentral-F interval of the ANOVA on ranks) instead of 2000-resample percentile bootstraps, so
#: the methods no longer print the resample count and every interval bound may print differently.
#: Such a token must be a bound of the bootstrap intervals the earlier manuscript printed.
RESAMPLES = "2000"


def _bootstrap_bounds() -> list[float]:
    """Every effect-size CI bound of the study under the earlier method (bootstrap, fixed seeds)."""
    import numpy as np

    from imgshare.analysis import analyse
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort

    results = analyse(build_cohort(load_codebook(Path(__file__).parents[2] / "data" / "codebook.yml")),
                      effect_ci="bootstrap")
    values = [results.comparisons[c] for c in ("effect_ci_low", "effect_ci_high")]
    values += [results.item_tests[c] for c in ("effect_ci_low", "effect_ci_high")]
    return [float(v) for frame in values for v in frame.to_numpy(dtype=float) if np.isfinite(v)]


def test_every_number_printed_before_the_rewrite_is_printed_in_the_same_order(study):
    before = [ln for ln in FIXTURE.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    # The appendices moved to the supplement, which follows the manuscript.
    after = [token for doc in ("report", "supplement")
             for token in number_tokens(study.documents[doc]["html"].read_text(encoding="utf-8"))]
    missing = missing_numbers(before, after)
    removed = [token for token, _ in REMOVED]
    for token in removed:
        missing.remove(token)
    missing.remove(RESAMPLES)
    bounds = _bootstrap_bounds()
    # Printed to two decimals: a former bound lies within half a unit of the last digit.
    not_bounds = [t for t in missing if not any(abs(float(t) - b) <= 0.005 + 1e-9 for b in bounds)]
    assert not_bounds == []


def test_the_number_check_notices_a_changed_value():
    assert same_value("30.5%", "30.50%") and same_value(".70", "0.70") and same_value("10085.0", "10085")
    assert same_value("5.0", "4.96") and not same_value("0.034", "0.041")
    assert not same_value("30.5%", "30.6%") and not same_value("282", "281") and not same_value("5", "5%")
    assert missing_numbers(["1", "282", "30.5%"], ["1", "281", "30.50%"]) == ["282"]
