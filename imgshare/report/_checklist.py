"""The CHERRIES reporting checklist for web surveys, answered from the codebook and the participant flow.

Each of the checklist's items is answered with what the codebook and the analysis know
(questions asked conditionally, the number of items, completion rates, how incomplete
questionnaires were handled, weighting) and where the manuscript reports it; an item neither
source can answer is marked "Not reported", never guessed.

References
----------
Eysenbach G. Improving the quality of web surveys: the Checklist for Reporting Results of
Internet E-Surveys (CHERRIES). J Med Internet Res 2004;6:e34.
"""

from __future__ import annotations

from typing import Any

__all__ = ["cherries_table", "CHERRIES"]

NOT_REPORTED = "Not reported"

#: (key, section, item, what the checklist asks), in the checklist's order. A project answers what
#: the codebook cannot know in ``_quarto.yml``: ``imgshare: {checklist: {<key>: {answer, section}}}``.
CHERRIES = (
    ("design", "Design", "Describe survey design", "Target population and sample frame; convenience or systematic sample"),
    ("ethics", "Ethics and consent", "IRB approval", "Approval by an ethics committee"),
    ("consent", "Ethics and consent", "Informed consent", "How consent was obtained; what participants were told"),
    ("data-protection", "Ethics and consent", "Data protection", "How personal information was collected and stored"),
    ("testing", "Development", "Development and testing", "Usability and technical functionality tested"),
    ("open-closed", "Recruitment", "Open or closed survey", "Open to anyone, or by invitation"),
    ("contact", "Recruitment", "Contact mode", "How participants were first contacted"),
    ("advertising", "Recruitment", "Advertising the survey", "How and where the survey was announced"),
    ("delivery", "Administration", "Web or e-mail", "How the questionnaire was delivered and answered"),
    ("context", "Administration", "Context", "The website or setting of the survey"),
    ("voluntary", "Administration", "Mandatory or voluntary", "Whether taking part was voluntary"),
    ("incentives", "Administration", "Incentives", "Incentives offered"),
    ("dates", "Administration", "Time and date", "When the data were collected"),
    ("randomisation", "Administration", "Randomisation of items", "Whether item or questionnaire order was randomised"),
    ("adaptive", "Administration", "Adaptive questioning", "Questions shown only after certain answers"),
    ("items", "Administration", "Number of items", "Items per questionnaire"),
    ("screens", "Administration", "Number of screens", "Pages of the questionnaire"),
    ("completeness", "Administration", "Completeness check", "Whether answers were required before moving on"),
    ("review", "Administration", "Review step", "Whether respondents could review and change answers"),
    ("unique-visitors", "Response rates", "Unique site visitor", "How unique visitors were counted"),
    ("view-rate", "Response rates", "View rate", "Visitors who saw the first page"),
    ("participation-rate", "Response rates", "Participation rate", "Visitors who agreed to take part"),
    ("completion-rate", "Response rates", "Completion rate", "Questionnaires completed of those started"),
    ("multiple-entries", "Multiple entries", "Cookies, IP check, log files, registration",
     "How multiple entries were prevented"),
    ("incomplete", "Analysis", "Handling of incomplete questionnaires",
     "Whether and how incomplete questionnaires were used"),
    ("timestamps", "Analysis", "Atypical timestamps", "Questionnaires submitted implausibly fast"),
    ("correction", "Analysis", "Statistical correction", "Weighting or propensity scores for a non-representative sample"),
)
KEYS = tuple(key for key, *_ in CHERRIES)


def project_answers(config: Any, where: str = "imgshare.checklist") -> dict[str, tuple[str, str]]:
    """(answer, section) per item key from a project's ``imgshare.checklist`` mapping.

    >>> project_answers({"dates": {"answer": "May-June 2019", "section": "Methods"}})
    {'dates': ('May-June 2019', 'Methods')}
    """
    from ._errors import ReportError

    if config is None:
        return {}
    if not isinstance(config, dict):
        raise ReportError(f"{where} must be a mapping of checklist items, found {type(config).__name__}",
                          "_quarto.yml")
    out = {}
    for key, entry in config.items():
        if key not in KEYS:
            raise ReportError(f"{where}.{key}: unknown checklist item; expected one of {', '.join(KEYS)}",
                              "_quarto.yml")
        if not isinstance(entry, dict) or not isinstance(entry.get("answer"), str) \
                or not isinstance(entry.get("section", ""), str) or set(entry) - {"answer", "section"}:
            raise ReportError(f"{where}.{key}: expected {{answer: text, section: text}}, found {entry!r}"[:200],
                              "_quarto.yml")
        out[key] = (entry["answer"], entry.get("section", ""))
    return out


def _answers(study: Any) -> dict[str, tuple[str, str]]:
    """(answer, where reported) for the items the codebook and the flow can answer."""
    cb = study.codebook
    out: dict[str, tuple[str, str]] = {}
    conditional = {q.label: sum(1 for v in q.variables.values() if v.asked_if) for q in cb.questionnaires.values()}
    if any(conditional.values()):
        out["adaptive"] = ("Yes: " + "; ".join(f"{label}, {n} question{'s' if n != 1 else ''} asked "
                                                          "depending on an earlier answer"
                                                          for label, n in conditional.items() if n),
                                       "Methods; tables of respondents' characteristics (footnotes)")
    else:
        out["adaptive"] = ("No question depended on an earlier answer", "Methods")
    out["items"] = ("; ".join(
        f"{q.label}: {len(q.items)} statements and {len(q.variables)} other questions"
        for q in cb.questionnaires.values()), "Methods")
    rates = []
    flow = study.results.flow  # disclosure-controlled: a withheld count is missing
    for qid, q in cb.questionnaires.items():
        part = flow[flow["questionnaire"] == qid]
        received = part.loc[part["stage"] == "received", "n"].sum(min_count=1)
        analysed = part.loc[part["stage"] == "analysed", "n"].sum(min_count=1)
        if received != received or analysed != analysed:  # NaN: withheld
            rates.append(f"{q.label}: withheld (small counts)")
        else:
            rates.append(f"{q.label}: {study.numbers.n_pct(analysed, received)} of {study.numbers.count(received)} "
                         "returned questionnaires analysed")
    out["completion-rate"] = ("; ".join(rates), "Results: participant flow")
    rules = []
    for q in cb.questionnaires.values():
        for ex in q.exclusions:
            rules.append(f"{q.label}: {ex.reason}")
    out["incomplete"] = (
        ("Excluded before analysis (" + "; ".join(rules) + "); none of their answers was used")
        if rules else "All returned questionnaires were analysed", "Methods; Results: participant flow")
    weighted = [q.label for q in cb.questionnaires.values() if q.weight]
    out["correction"] = ((f"Survey weights for {', '.join(weighted)}", "Methods") if weighted
                                     else ("None (unweighted analysis)", "Methods"))
    return out


def cherries_table(study: Any, label: str = "tbl-cherries", given: dict[str, tuple[str, str]] | None = None):
    """The CHERRIES checklist as a :class:`~imgshare.tables.TableSpec`: answers computed from the
    codebook and the flow, then the project's own answers (``given``) for the rest."""
    import pandas as pd

    from ..tables import TableSpec

    answers = {**_answers(study), **(given or {})}
    rows = [(section, item, asks, *answers.get(key, (NOT_REPORTED, "")))
            for key, section, item, asks in CHERRIES]
    data = pd.DataFrame(rows, columns=["section", "item", "asks", "answer", "where"])
    return TableSpec(
        label=label, title="CHERRIES checklist for web surveys, answered from the codebook and the data",
        data=data, stub="item", stubhead="Item", groups="section",
        column_labels={"asks": "The checklist asks", "answer": "Answer", "where": "Reported in"},
        footnotes=["Answered from the codebook and the participant flow, and for the rest from the manuscript's "
                   "own statements ('imgshare: checklist' in _quarto.yml); 'Not reported' marks what none of these "
                   "records. Eysenbach G. J Med Internet Res 2004;6:e34."],
        is_synthetic=study.codebook.study.synthetic)
