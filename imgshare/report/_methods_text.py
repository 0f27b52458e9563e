"""The manuscript's statistical-methods paragraphs, written from what the analysis actually ran.

Only what was run and what the manuscript shows is described. Codebook labels are escaped with
:func:`~imgshare.report._markdown.plain`; the result is :class:`~imgshare.report.Markdown`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._markdown import Markdown, plain

__all__ = ["methods_markdown", "ADJUST_NAMES"]

ADJUST_NAMES = {"holm": "Holm's step-down method", "fdr_bh": "the Benjamini-Hochberg false discovery rate",
                 "bonferroni": "the Bonferroni correction"}


def _join(words: list[str], last: str = "and") -> str:
    words = [str(w) for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def _pct(share: float) -> str:
    return f"{100 * share:g}%"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _descriptives(results: Any) -> str:
    cb = results.codebook
    weighted = [q for q in cb.questionnaires.values() if q.weight]
    ci = " (with Wilson score 95% confidence intervals)" if results.settings.get("ci") else ""
    text = (f"Categorical answers are reported as counts and percentages{ci} of the respondents who were asked "
            "each question and answered it; non-response is reported separately.")
    if weighted:
        labels = _join([f"{plain(q.label)} (weight column {plain(q.weight)})" for q in weighted])
        text += (f" Percentages for {labels} are weighted; their intervals use Kish's effective sample size, "
                 "while rank tests, correlations and reliability are unweighted.")
    if any(v.type == "number" for q in cb.questionnaires.values() for v in q.variables.values()):
        text += (" Numeric answers are summarised by the number who answered, mean (SD), median (first and third "
                 "quartiles, linear interpolation) and range, with the number who left them blank.")
    scales = [cb.scales[s] for s in sorted({cb.items[i].scale for q in cb.questionnaires.values() for i in q.items})]
    text += _agreement_sentence(cb, scales)
    return text


def _agreement_sentence(cb: Any, scales: list) -> str:
    """What a statement's (and a domain's) agreement is, in each scale's own words; reverse-worded
    statements enter domain means keyed; non-substantive answers are set apart."""
    from ..codebook import common_words, scale_words

    words = common_words(scales)

    def answering(sc) -> str:
        return _join([f"\u201c{plain(lv.label)}\u201d" for lv in sc.levels if lv.code in sc.agree], "or")

    # Custom scale words come from the codebook: plain text, escaped like every label.
    noun, prep = plain(words.noun), plain(words.preposition)
    if words.kind != "mixed":
        agree = "; ".join(answering(sc) + (f" on the {plain(sc.label)} scale" if len(scales) > 1 else "")
                          for sc in scales)
        text = (f" {plain(words.noun[:1].upper() + words.noun[1:])} {prep} a statement is the percentage "
                f"answering {agree}; the {noun} of a domain is the unweighted mean of its statements' "
                "percentages")
    else:
        parts = [f"{plain(scale_words(sc).noun)} {plain(scale_words(sc).preposition)} a statement on the "
                 f"{plain(sc.label)} scale is the percentage answering {answering(sc)}" for sc in scales]
        text = (f" {_join(parts)[:1].upper()}{_join(parts)[1:]}; the mean of a domain is the unweighted mean of its "
                "statements' percentages")
    reverse = [i for d in cb.domains.values() for i in d.items if i in cb.items and cb.items[i].reverse]
    if reverse:
        text += (f", a reverse-worded statement counting with its keyed {noun} (the percentage answering on "
                 f"the other side of the scale; {_plural(len(dict.fromkeys(reverse)), 'statement')})")
    text += "."
    declared = list(dict.fromkeys(lv.label for sc in scales for lv in sc.missing))
    declared += [lv.label for i in cb.items.values() for lv in i.missing if lv.label not in declared]
    if declared:
        text += (f" Answers that are not on a scale ({_join([chr(8220) + plain(x) + chr(8221) for x in declared])}) "
                 "are counted and reported separately; they are left out of the percentages, scores and tests.")
    return text


def _themes(results: Any) -> str:
    cb = results.codebook
    if results.theme_score_summary.empty:
        return ""
    reverse = sorted({i for q in cb.questionnaires.values() for i in q.items if cb.items[i].reverse
                      and any(i in t.items for t in cb.themes.values())})
    share = results.settings.get("min_answered", 0.5)
    text = ("Theme scores are the mean of a respondent's item codes"
            + (f" after reverse-scoring {_plural(len(reverse), 'item')} ({_join([chr(8220) + plain(cb.items[i].short or cb.items[i].text) + chr(8221) for i in reverse])})"
               if reverse else "")
            + f"; a score was computed when at least {_pct(share)} of the theme's items were answered and is "
            "otherwise missing.")
    if not results.theme_correlations.empty:
        text += (" Items within each theme were correlated with Spearman's rank correlation (midranks for ties, "
                 "pairwise-complete cases, two-sided p from the t distribution with n - 2 degrees of freedom, "
                 "95% confidence intervals by Fisher's z with the Bonett-Wright standard error), counting "
                 f"correlations significant at alpha = {results.settings.get('correlation_alpha', 0.001):g}.")
    rel = results.reliability
    if not rel.empty and rel["alpha"].notna().any():
        text += (" Internal consistency is Cronbach's alpha on complete cases with Feldt's 95% confidence "
                 "interval.")
    return text


def _comparisons(results: Any) -> str:
    tests: pd.DataFrame = results.comparisons
    if tests.empty:
        return ""
    cb = results.codebook
    ran = tests[tests["statistic"].notna()]
    mw = ran[ran["test"] == "mann-whitney"]
    kw = ran[ran["test"] == "kruskal-wallis"]
    rho = ran[ran["test"] == "spearman"]
    labels = _join([plain(c.label) for c in cb.comparisons.values()])
    verb = "was" if len(cb.comparisons) == 1 else "were"
    numbers = " and numeric answers" if (tests["outcome_kind"] == "variable").any() else ""
    parts = [f"The {_plural(len(cb.comparisons), 'comparison')} ({labels}) {verb} run on items (codes as "
             f"answered), theme scores{numbers}."]
    if len(mw):
        exact = int((mw["p_method"] == "exact").sum())
        if exact == len(mw):
            how = "exact p-values, as no test had ties and every test had a group of at most 8"
        elif exact:
            how = (f"the normal approximation with tie and continuity corrections, exact p-values for the "
                   f"{_plural(exact, 'test')} without ties and with a group of at most 8")
        else:
            how = "the normal approximation with tie and continuity corrections"
        parts.append(f"Two groups were compared with the two-sided Mann-Whitney U test ({_plural(len(mw), 'test')}), "
                     f"using {how}; the effect size is r = z/sqrt(N), with the continuity-corrected z.")
    if len(kw):
        parts.append(f"More than two groups were compared with the Kruskal-Wallis H test ({_plural(len(kw), 'test')}; "
                     "tie-corrected, chi-squared reference distribution); the effect size is "
                     "epsilon-squared = H/(N - 1).")
    if len(rho):
        parts.append(f"A comparison by a numeric answer was run as Spearman's rank correlation of each outcome with "
                     f"it ({_plural(len(rho), 'correlation')}; pairwise-complete cases, p from the t distribution, "
                     "95% confidence interval by Fisher's z).")
    if len(ran) > len(rho):
        from ..analysis import effect_ci_sentence  # the method the analysis used (settings.effect_ci)

        parts.append(effect_ci_sentence(results.settings, has_mann_whitney=bool(len(mw)),
                                        has_kruskal_wallis=bool(len(kw))))
    dropped = int((tests["dropped_groups"].astype(str) != "").sum())
    if dropped:
        parts.append(f"Groups without respondents were left out ({_plural(dropped, 'test')} affected).")
    undefined = tests[tests["statistic"].isna()]
    if len(undefined):
        reasons = _join(sorted({str(r) for r in undefined["reason"] if r}))
        parts.append(f"{_plural(len(undefined), 'test')} could not be computed ({reasons}).")
    p_adjust = results.settings.get("p_adjust")
    alpha = results.settings.get("posthoc_alpha", 0.05)
    if p_adjust:
        parts.append(f"p-values were adjusted over all {len(ran)} tests with {ADJUST_NAMES.get(p_adjust, p_adjust)}.")
    if len(kw):
        n_post = results.posthoc.groupby(["comparison", "outcome"]).ngroups if not results.posthoc.empty else 0
        if n_post:
            parts.append(f"Each Kruskal-Wallis test with {'adjusted ' if p_adjust else ''}p < {alpha:g} was followed "
                         "by Dunn's pairwise tests with Holm adjustment within the outcome.")
    charted = _charted_item_tests(results)
    if charted:
        parts.append(f"For the comparisons between two questionnaires, each statement was also tested on its own "
                     f"({_plural(charted, 'test')}; exploratory, outside any adjustment) and the result is printed "
                     "beside the statement's bars in the paired charts.")
    parts.append(f"Tests are two-sided at alpha = {alpha:g}.")
    return " ".join(parts)


def _charted_item_tests(results: Any) -> int:
    """Item-by-item tests the paired charts print (two-questionnaire comparisons only)."""
    cb = results.codebook
    charted = [cid for cid, c in cb.comparisons.items() if c.between == "questionnaires" and len(c.groups) == 2]
    items = results.item_tests
    if items.empty or not charted:
        return 0
    return int(items.loc[items["comparison"].isin(charted), "statistic"].notna().sum())


def _software(results: Any) -> str:
    sw = results.provenance.get("software", {})
    names = [("Python", "python"), ("imgshare", "imgshare"), ("pandas", "pandas"), ("NumPy", "numpy"),
             ("SciPy", "scipy")]
    listed = _join([f"{label} {sw[key]}" for label, key in names if key in sw])
    return f"Analyses were run with {listed}." if listed else ""


def methods_markdown(results: Any, numbers: Any = None) -> Markdown:
    """The statistical-analysis paragraphs for the manuscript, from what :func:`analyse` ran.

    Parameters
    ----------
    results : Results
        The output of :func:`imgshare.analysis.analyse` (before disclosure control: the text
        states methods and numbers of tests, never counts of people).
    numbers : NumberStyle, optional
        Unused for now (the text prints no estimates); kept so every prose writer takes one.

    Returns
    -------
    Markdown
        One paragraph per topic. Labels come from the codebook, escaped; a synthetic cohort is
        said to be synthetic.

    Notes
    -----
    Only what was actually run is described: the tests used and how many, exact vs
    asymptotic p, tie/continuity corrections, effect sizes and their CIs, post-hoc tests and
    any family-wide adjustment, the theme-score missing-data rule and software versions.

    References
    ----------
    Lang TA, Altman DG. Basic statistical reporting for articles published in biomedical
    journals: the SAMPL guidelines. Int J Nurs Stud 2015;52:5-9.

    Examples
    --------
    >>> from imgshare.analysis import analyse
    >>> from imgshare.analysis._examples import example_cohort
    >>> "Mann-Whitney U" in methods_markdown(analyse(example_cohort()))
    True
    """
    paragraphs = [_descriptives(results), _themes(results), _comparisons(results), _software(results)]
    if results.codebook.study.synthetic:
        note = plain(results.codebook.study.data_note) or "The data are synthetic."
        paragraphs.append(f"All statistics were computed on a synthetic cohort, not on real responses. {note}")
    return Markdown("\n\n".join(p for p in paragraphs if p) + "\n")
