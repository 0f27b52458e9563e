"""consistency(): the paper's printed numbers checked against each other, one finding at a time."""

from __future__ import annotations

import pytest

from imgshare.audit import consistency


@pytest.fixture(scope="module")
def paper(study_published, study_codebook):
    return consistency(study_published, study_codebook)


def _finding(frame, check, subject):
    rows = frame[(frame["check"] == check) & (frame["subject"] == subject)]
    assert len(rows) == 1, f"{check} {subject}: {len(rows)} rows"
    return rows.iloc[0]


# ---------------------------------------------------------------- the paper, finding by finding

def test_table_1_prints_30_49_for_86_of_282_by_truncation(paper):
    row = _finding(paper, "n_vs_percent", "t1.age.2.pct")
    assert (row["finding"], row["severity"]) == ("truncated", "note")
    assert "86/282 = 30.49645%" in row["note"] and "rounding gives 30.50" in row["note"]


def test_table_6_prints_1_41_for_4_of_282_by_truncation(paper):
    row = _finding(paper, "n_vs_percent", "t6.good_idea.1.pct")
    assert row["finding"] == "truncated"
    assert "4/282 = 1.41844%" in row["note"]


def test_poster_81_2_percent_is_impossible_out_of_121(paper):
    row = _finding(paper, "grim", "poster.good_idea.pct")
    assert (row["finding"], row["severity"]) == ("impossible", "problem")
    assert "98/121 = 80.9917%, 99/121 = 81.8182%" in row["note"]
    assert _finding(paper, "n_vs_percent", "poster.good_idea.pct")["finding"] == "inconsistent"


def test_poster_36_36_percent_is_44_of_121_not_the_printed_45(paper):
    assert _finding(paper, "grim", "poster.R4.pct")["finding"] == "possible"
    row = _finding(paper, "n_vs_percent", "poster.R4.pct")
    assert (row["finding"], row["severity"]) == ("inconsistent", "problem")
    assert "45/121 = 37.19008%" in row["note"] and "36.36 is 44/121" in row["note"]


def test_poster_27_28_percent_for_33_is_33_of_121_misprinted(paper):
    assert _finding(paper, "grim", "poster.R2.pct")["finding"] == "impossible"
    row = _finding(paper, "n_vs_percent", "poster.R2.pct")
    assert row["finding"] == "inconsistent" and "33/121 = 27.27273%" in row["note"]


def test_poster_85_13_percent_for_103_is_85_12(paper):
    assert _finding(paper, "grim", "poster.E4.pct")["finding"] == "impossible"
    assert "which prints as 85.12" in _finding(paper, "n_vs_percent", "poster.E4.pct")["note"]


def test_poster_good_idea_count_conflicts_with_table_7(paper):
    row = _finding(paper, "repeat", "poster.good_idea.n vs t7.good_idea.4.n + t7.good_idea.5.n")
    assert (row["finding"], row["note"]) == ("conflict", "95 vs 69 + 30 = 99")


def test_experts_significance_claim_is_contradicted_by_r_zero(paper):
    row = _finding(paper, "significance", "sig.engagement.experts")
    assert (row["finding"], row["severity"]) == ("contradicted", "problem")
    others = paper[(paper["check"] == "significance") & (paper["subject"] != "sig.engagement.experts")]
    assert set(others["finding"]) == {"supported"} and len(others) == 9


def test_text_percentages_that_only_truncation_explains(paper):
    truncated = set(paper.loc[(paper["check"] == "n_vs_percent") & (paper["finding"] == "truncated"), "subject"])
    assert {"txt.role.3.pct", "txt.experience.1.pct", "txt.good_idea.experts.agree.pct"} <= truncated
    row = _finding(paper, "n_vs_percent", "txt.good_idea.experts.agree.pct")
    assert "99/121 = 81.818%" in row["note"] and "rounding gives 82" in row["note"]


@pytest.mark.parametrize("table, convention", [
    ("Table 1", "truncated"), ("Table 2", "rounded"), ("Table 3", "rounded"), ("Table 4", "rounded"),
    ("Table 5", "truncated"), ("Table 6", "truncated"), ("Table 7", "rounded"),
])
def test_each_table_is_classified_by_its_rounding_convention(paper, table, convention):
    assert _finding(paper, "convention", table)["finding"] == convention


def test_the_demographics_text_mixes_rounding_and_truncation(paper):
    row = _finding(paper, "convention", "Results: Respondent demographics and characteristics")
    assert row["finding"] == "mixed"
    assert "txt.had_imaging.1.pct" in row["note"] and "txt.role.3.pct" in row["note"]


def test_every_table_block_and_the_flow_add_up(paper):
    sums = paper[paper["check"] == "block_sum"]
    assert set(sums["finding"]) == {"adds up"}
    assert {"t1.age", "t2.saw_images", "t7.good_idea", "res.patients.flow", "res.experts.flow",
            "abs.usable"} <= set(sums["subject"])
    assert set(paper.loc[paper["check"] == "block_percent_sum", "finding"]) == {"sums to 100 within rounding"}
    assert _finding(paper, "block_sum", "t2.saw_images")["note"] == "217 + 41 + 9 = 267; total printed: 267"


def test_figure_5_means_checked_against_the_codebooks_item_counts(paper):
    impossible = set(paper.loc[(paper["check"] == "grim_mean") & (paper["finding"] == "impossible"), "subject"])
    assert impossible == {"txt.benefits.patients.mean_agree", "disc.benefits.patients.mean_agree",
                          "disc.risks.experts.mean_agree"}
    assert "assuming all 8 items of 'benefits'" in _finding(paper, "grim_mean",
                                                            "txt.benefits.patients.mean_agree")["note"]


def test_the_papers_problems_are_exactly_these(paper):
    problems = paper[paper["severity"] == "problem"]
    assert sorted(zip(problems["check"], problems["subject"])) == sorted([
        ("grim", "poster.good_idea.pct"), ("n_vs_percent", "poster.good_idea.pct"),
        ("grim", "poster.E4.pct"), ("n_vs_percent", "poster.E4.pct"),
        ("n_vs_percent", "poster.R4.pct"),
        ("grim", "poster.R2.pct"), ("n_vs_percent", "poster.R2.pct"),
        ("significance", "sig.engagement.experts"),
        ("repeat", "poster.good_idea.n vs t7.good_idea.4.n + t7.good_idea.5.n"),
        ("grim_mean", "txt.benefits.patients.mean_agree"), ("grim_mean", "disc.benefits.patients.mean_agree"),
        ("grim_mean", "disc.risks.experts.mean_agree"),
    ])


def test_without_a_codebook_only_paper_facts_are_used(study_published):
    frame = consistency(study_published)
    assert "grim_mean" not in set(frame["check"])
    assert not frame["subject"].str.contains("poster.good_idea.n vs").any()
    assert _finding(frame, "grim", "poster.good_idea.pct")["finding"] == "impossible"


# ---------------------------------------------------------------- the mini fixture's deliberate problems

@pytest.fixture(scope="module")
def mini(problems_published, mini_codebook):
    return consistency(problems_published, mini_codebook)


@pytest.mark.parametrize("table, convention", [
    ("Table A", "rounded"), ("Table B", "truncated"), ("Table C", "mixed"), ("Table D", "ambiguous"),
])
def test_mini_tables_conventions(mini, table, convention):
    assert _finding(mini, "convention", table)["finding"] == convention


def test_mini_impossible_and_inconsistent_percentages(mini):
    assert _finding(mini, "grim", "x.impossible")["finding"] == "impossible"
    row = _finding(mini, "n_vs_percent", "x.wrong_n")
    assert row["finding"] == "inconsistent" and "36.36% is 44/121" in row["note"]


def test_mini_block_that_does_not_add_up(mini):
    assert _finding(mini, "block_sum", "te")["note"] == "50 + 60 = 110; total printed: 121"
    assert _finding(mini, "block_sum", "te")["severity"] == "problem"
    assert _finding(mini, "block_percent_sum", "te")["finding"] == "does not sum to 100"
    assert _finding(mini, "block_sum", "ta")["finding"] == "adds up"


def test_mini_repeats_conflict_or_need_truncation(mini):
    assert _finding(mini, "repeat", "ta.1.pct vs x.truncated")["finding"] == "consistent if truncated"
    assert _finding(mini, "repeat", "td.1.pct vs x.conflict")["finding"] == "conflict"
    assert _finding(mini, "repeat", "x.disagree.n vs ta.1.n + ta.2.n")["note"] == "97 vs 93 + 3 = 96"


def test_mini_significance_claims(mini):
    assert _finding(mini, "significance", "x.sig.weak")["finding"] == "contradicted"
    assert _finding(mini, "significance", "x.sig.strong")["finding"] == "supported"


def test_mini_means_on_the_item_grid(mini):
    assert _finding(mini, "grim_mean", "x.mean.possible")["finding"] == "possible"
    assert "11/33 = 33.33333%, 12/33 = 36.36364%" in _finding(mini, "grim_mean", "x.mean.impossible")["note"]


def test_a_weighted_questionnaire_is_left_out_of_grim(problems_published, mini_codebook):
    import dataclasses

    q = dataclasses.replace(mini_codebook.questionnaires["people"], weight="w")
    weighted = dataclasses.replace(mini_codebook, questionnaires={"people": q})
    frame = consistency(problems_published, weighted)
    assert not frame["check"].isin(["grim", "n_vs_percent"]).any()


def test_every_expected_mismatch_in_the_study_file_follows_from_a_paper_problem(study_published, paper):
    problems = paper[paper["severity"] == "problem"]
    implicated = set()
    for subject in problems["subject"]:
        implicated |= {part.strip() for side in subject.split(" vs ") for part in side.split(" + ")}
    for ident in list(implicated):
        entry = study_published.by_id.get(ident)
        implicated |= set(entry.n) if entry is not None else set()
    expected = {v.id for v in study_published.values if v.expected == "mismatch"}
    assert expected <= implicated
