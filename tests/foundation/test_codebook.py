"""Codebook parsing: the study and second codebooks load; each invalid codebook is rejected
with its key path and reason."""

import copy

import pytest
import yaml

from imgshare.codebook import load_codebook, parse_codebook
from imgshare.errors import CodebookError


@pytest.fixture()
def study_dict(study_codebook_path):
    return yaml.safe_load(study_codebook_path.read_text(encoding="utf-8"))


def rejection(data) -> str:
    with pytest.raises(CodebookError) as info:
        parse_codebook(data, source="cb.yml")
    return str(info.value)


def test_study_codebook_describes_the_paper(study_codebook_path):
    cb = load_codebook(study_codebook_path)
    assert list(cb.questionnaires) == ["patients", "experts"]
    assert cb.study.synthetic
    assert list(cb.themes) == ["knowledge", "communication", "engagement", "emotion", "understanding"]
    assert cb.themes["engagement"].items == ("E1", "E2", "E3", "E4")
    assert {cb.themes[t].domain for t in ("knowledge", "communication", "engagement")} == {"benefits"}
    assert {cb.themes[t].domain for t in ("emotion", "understanding")} == {"risks"}
    assert {"R5", "R6"} <= set(cb.domains["risks"].items)
    scale = cb.scales["agree5"]
    assert scale.n_points == 5 and scale.agree == {4, 5} and scale.neutral == {3} and scale.disagree == {1, 2}
    assert cb.questionnaires["patients"].variables["saw_images"].asked_if == {"had_imaging": (1,)}


def test_reconstructed_item_wording_is_marked(study_codebook_path):
    cb = load_codebook(study_codebook_path)
    assert cb.items["good_idea"].wording == "published"
    assert all(cb.items[i].wording == "reconstructed" for i in cb.items if i != "good_idea")


def test_second_codebook_has_even_scales_and_reverse_items(second_codebook_path):
    cb = load_codebook(second_codebook_path)
    assert cb.scales["agree6"].n_points == 6 and not cb.scales["agree6"].has_neutral
    assert cb.scales["freq4"].n_points == 4
    assert cb.items["W3"].reverse and cb.scale_of("W3").reversed_code(2) == 5
    assert cb.questionnaires["staff"].header_rows == 3


def test_unknown_theme_item_names_key_path(study_dict):
    study_dict["themes"]["engagement"]["items"][2] = "E9"
    assert "cb.yml: themes.engagement.items[2]: unknown item 'E9'" in rejection(study_dict)


def test_unknown_scale_of_item(study_dict):
    study_dict["items"]["K1"]["scale"] = "agree7"
    assert "items.K1.scale: unknown scale 'agree7'" in rejection(study_dict)


def test_overlapping_agree_and_disagree_sets(study_dict):
    study_dict["scales"]["agree5"]["agree"] = [2, 4, 5]
    assert "scales.agree5: agree and disagree overlap (codes [2])" in rejection(study_dict)


def test_even_scale_declaring_neutral_is_rejected(second_codebook_path):
    data = yaml.safe_load(second_codebook_path.read_text())
    data["scales"]["agree6"]["neutral"] = [3]
    data["scales"]["agree6"]["disagree"] = [1, 2]
    assert "scales.agree6.neutral: an even (6-point) scale has no neutral level" in rejection(data)


def test_duplicate_item_in_a_list(study_dict):
    study_dict["questionnaires"]["patients"]["items"].append("K1")
    assert "questionnaires.patients.items[15]: duplicate id 'K1'" in rejection(study_dict)


def test_duplicate_level_codes_are_rejected(study_dict):
    study_dict["questionnaires"]["experts"]["variables"]["role"]["levels"] = [
        {"code": 1, "label": "Clinical"}, {"code": 1, "label": "Technical"}]
    assert "questionnaires.experts.variables.role.levels: duplicate level codes" in rejection(study_dict)


def test_comparison_on_unknown_variable(study_dict):
    study_dict["comparisons"]["age_group"]["by"] = "age"
    assert "comparisons.age_group.by: unknown variable 'age' in questionnaire 'patients'" in rejection(study_dict)


def test_comparison_level_not_in_variable(study_dict):
    study_dict["comparisons"]["had_imaging"]["levels"] = [1, 9]
    assert "comparisons.had_imaging.levels[1]: code 9 is not a level of 'had_imaging'" in rejection(study_dict)


def test_asked_if_on_unknown_variable(study_dict):
    study_dict["questionnaires"]["patients"]["variables"]["saw_images"]["asked_if"] = {"imaging": [1]}
    assert "saw_images.asked_if.imaging: unknown variable 'imaging'" in rejection(study_dict)


def test_unknown_key_is_reported_with_allowed_keys(study_dict):
    study_dict["items"]["K1"]["reversed"] = True
    assert "items.K1.reversed: unknown key (expected one of:" in rejection(study_dict)


def test_all_problems_reported_at_once(study_dict):
    study_dict["themes"]["knowledge"]["items"] = ["K1", "X1"]
    study_dict["items"]["K2"]["scale"] = "nope"
    message = rejection(study_dict)
    assert "themes.knowledge.items[1]: unknown item 'X1'" in message
    assert "items.K2.scale: unknown scale 'nope'" in message


def test_missing_file_and_bad_yaml_are_one_line_errors(tmp_path):
    with pytest.raises(CodebookError, match="file not found"):
        load_codebook(tmp_path / "absent.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("scales: [\n  agree: 1\n")
    with pytest.raises(CodebookError, match=r"bad.yml: line \d+, column \d+: invalid YAML"):
        load_codebook(bad)


def test_parsing_does_not_modify_input(study_dict):
    before = copy.deepcopy(study_dict)
    parse_codebook(study_dict)
    assert study_dict == before


def test_worked_example_in_the_docs_is_a_valid_codebook(root):
    import re

    text = (root / "docs" / "codebook.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    cb = parse_codebook(yaml.safe_load(example))
    assert cb.items["A2"].reverse and not cb.scales["agree4"].has_neutral
    assert cb.comparisons["first_visit"].themes == ("access",)


def test_group_names_name_compared_levels_for_the_prose(study_dict):
    cb = parse_codebook(study_dict)
    assert cb.comparisons["saw_images"].group_name(2) == "patients who had not seen their images"
    assert cb.comparisons["age_group"].group_name(1) is None


def test_group_names_must_be_compared_level_codes_with_text(study_dict):
    comps = study_dict["comparisons"]
    comps["had_imaging"]["group_names"] = {3: "unsure patients", 1: ""}
    comps["patients_vs_experts"]["group_names"] = {1: "patients"}
    comps["role"]["group_names"] = {"Clinical": "clinicians"}
    text = rejection(study_dict)
    assert "comparisons.had_imaging.group_names.3: code 3 is not a compared level of 'had_imaging' (compared: 1, 2)" in text
    assert "comparisons.had_imaging.group_names.1: expected the group's name as text" in text
    assert "comparisons.patients_vs_experts.group_names: names the levels of a categorical 'by' variable" in text
    assert "comparisons.role.group_names.Clinical: expected a level code of 'role'" in text
