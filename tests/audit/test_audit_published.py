"""The published-values file: the study's file is complete and resolves; bad files are rejected precisely."""

from __future__ import annotations

import re

import pytest

from imgshare.audit import PublishedError, load_published, parse_published, unresolved
from imgshare.errors import ImgshareError


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_study_file_parses_with_paper_and_poster_values(study_published):
    docs = {v.document for v in study_published.values}
    assert docs == {"paper", "poster"}
    assert study_published.documents["poster"].role == "secondary"
    assert len(study_published.values) >= 150


def test_every_study_value_resolves_against_the_codebook_unless_marked_not_computable(
        study_published, study_codebook):
    problems = unresolved(study_published, study_codebook)
    marked = {v.id for v in study_published.values if v.expected == "not computable"}
    assert set(problems["id"]) == marked
    assert marked == {"txt.role.other_radiographer.n"}


def test_every_printed_text_occurs_verbatim_in_its_document(study_published, paper_dir):
    paper = _norm((paper_dir / "bmjopen-2019-033835.txt").read_text(encoding="utf-8"))
    poster = _norm((paper_dir / "poster-values.md").read_text(encoding="utf-8"))
    missing = [v.id for v in study_published.values
               if _norm(v.printed) not in (poster if v.document == "poster" else paper)]
    missing += [n.printed for n in study_published.not_recorded if _norm(n.printed) not in paper]
    assert missing == []


def test_every_table_cell_is_recorded_as_a_count_and_a_percentage(study_published):
    cells = {}
    for v in study_published.values:
        if v.source.startswith("Table"):
            key = (v.source, v.questionnaire, v.column, v.levels)
            cells.setdefault(key, set()).add(v.kind)
    assert all(kinds == {"count", "percent"} for kinds in cells.values())
    per_table = {}
    for source, *_ in cells:
        per_table[source] = per_table.get(source, 0) + 1
    assert per_table == {"Table 1": 6, "Table 2": 9, "Table 3": 3, "Table 4": 6, "Table 5": 3, "Table 6": 5,
                         "Table 7": 5}


@pytest.mark.parametrize("kind, value, questionnaire", [
    ("flow", 355, "patients"), ("flow", 73, "patients"), ("flow", 282, "patients"),
    ("flow", 131, "experts"), ("flow", 10, "experts"), ("flow", 121, "experts"),
    ("flow_percent", 20, "patients"),
    ("percent", 95, "patients"), ("count", 267, "patients"), ("percent", 81, "patients"),
    ("count", 217, "patients"), ("percent", 94.3, "patients"), ("count", 266, "patients"),
    ("percent", 2, "patients"), ("count", 5, "patients"), ("percent", 88, "patients"),
    ("percent", 81, "experts"), ("percent", 77, "experts"), ("count", 93, "experts"),
    ("percent", 29, "experts"), ("count", 36, "experts"),
    ("spearman", 0.703, "patients"), ("spearman", 0.652, "experts"), ("spearman", 0.724, "patients"),
    ("spearman", 0.371, "experts"), ("spearman_min", 0.525, "patients"), ("spearman_max", 0.695, "patients"),
    ("spearman_min", 0.0, "experts"), ("spearman_max", 0.592, "experts"), ("spearman", 0.648, "patients"),
    ("spearman", 0.512, "experts"), ("spearman", 0.652, "patients"), ("spearman", 0.468, "experts"),
    ("domain_mean_agree", 78.49, "patients"), ("domain_mean_agree", 73.35, "experts"),
    ("domain_mean_agree", 5.1, "patients"), ("domain_mean_agree", 27.76, "experts"),
])
def test_numbers_the_brief_names_are_recorded(study_published, kind, value, questionnaire):
    assert any(v.kind == kind and v.value == value and v.questionnaire == (questionnaire,)
               for v in study_published.values)


def test_the_abstracts_403_is_both_questionnaires(study_published):
    v = study_published.by_id["abs.usable"]
    assert (v.kind, v.value, set(v.questionnaire)) == ("flow", 403, {"patients", "experts"})


def test_every_significance_claim_is_recorded(study_published):
    claims = {(v.theme, v.questionnaire[0]) for v in study_published.values if v.kind == "significant"}
    assert claims == {(t, q) for t in ("knowledge", "communication", "engagement", "emotion", "understanding")
                      for q in ("patients", "experts")}


def test_poster_values_are_secondary_and_the_good_idea_count_is_an_expected_mismatch(study_published):
    poster = [v for v in study_published.values if v.document == "poster"]
    assert len(poster) == 16
    assert study_published.source_kind(poster[0]) == "poster"
    good = study_published.by_id["poster.good_idea.n"]
    assert (good.value, good.expected) == (95, "mismatch") and "99" in good.reason


def _one(**over):
    base = {"id": "x", "source": "Table 1", "printed": "12 (40%)", "value": 12, "kind": "count",
            "questionnaire": "q", "variable": "v", "levels": [1]}
    base.update(over)
    return {"values": [base]}


@pytest.mark.parametrize("over, message", [
    ({"colour": "red"}, "values[0] (x): unknown key 'colour'"),
    ({"kind": "median"}, "unknown kind 'median'"),
    ({"value": "twelve"}, "value: expected a number, found 'twelve'"),
    ({"value": 13}, "printed text '12 (40%)' does not contain '13'"),
    ({"kind": "percent", "value": 40}, "does not contain '40' (check value, decimals and percent_sign)"),
    ({"kind": "percent", "value": 40, "percent_sign": True, "decimals": 1}, "does not contain '40.0%'"),
    ({"value": 12.5}, "value 12.5 has more decimals than the 0 printed"),
    ({"levels": "agreed"}, "levels: expected codes or one of agree, neutral, disagree, found 'agreed'"),
    ({"levels": "agree"}, "levels: 'agree' is a Likert category; a variable needs codes"),
    ({"item": "A"}, "a count value needs exactly one of 'item' or 'variable'"),
    ({"of": "nowhere"}, "of: unknown entry 'nowhere'"),
    ({"expected": "mismatch"}, "expected mismatch: give the 'reason'"),
    ({"expected": "match"}, "expected: one of mismatch, not computable, found 'match'"),
    ({"denominator": "everyone"}, "denominator: expected one of answering, asked, analysed"),
    ({"kind": "flow", "stage": "started"}, "stage: expected one of received, excluded, analysed"),
    ({"questionnaire": ["q", "r"]}, "a count value concerns one questionnaire"),
    ({"document": "preprint"}, "unknown document 'preprint'"),
])
def test_an_invalid_value_is_rejected_with_a_precise_message(over, message):
    with pytest.raises(PublishedError) as info:
        parse_published(_one(**over), source="pub.yml")
    assert message in str(info.value)
    assert str(info.value).startswith("pub.yml: values[0] (x): ")
    assert isinstance(info.value, ImgshareError)


def test_a_reference_must_name_a_count_and_ids_must_be_unique():
    rho = {"id": "r", "source": "T", "printed": "0.5", "value": 0.5, "decimals": 1, "kind": "spearman",
           "questionnaire": "q", "theme": "t"}
    pct = {"id": "p", "source": "T", "printed": "3 (50%)", "value": 50, "percent_sign": True, "kind": "percent",
           "questionnaire": "q", "variable": "v", "levels": [1], "of": "r"}
    with pytest.raises(PublishedError) as info:
        parse_published({"values": [rho, pct, dict(rho)]})
    text = str(info.value)
    assert "values[2] (r): duplicate id" in text
    assert "values[1] (p): of: entry 'r' is a spearman, not a count" in text


def test_a_missing_or_malformed_file_is_a_user_error(tmp_path):
    with pytest.raises(PublishedError, match="file not found"):
        load_published(tmp_path / "absent.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("values: [\n  {id: x\n", encoding="utf-8")
    with pytest.raises(PublishedError, match=r"line \d+: invalid YAML"):
        load_published(bad)


def test_number_words_count_as_printed():
    pub = parse_published(_one(printed="one radiographer", value=1))
    assert pub.values[0].shown == "1"


def test_source_kind_tells_tables_text_and_secondary_documents(verdicts_published):
    kinds = {v.id: verdicts_published.source_kind(v) for v in verdicts_published.values}
    assert kinds["a1.agree.n"] == "table"
    assert kinds["flow.received"] == "text"
    assert kinds["used.yes.pct"] == "poster"
