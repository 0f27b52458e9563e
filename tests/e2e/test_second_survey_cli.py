"""The second survey goes through every command with only its own codebook and data files."""

import json

import pytest
import yaml

from imgshare.cli import main


@pytest.fixture()
def run(capsys):
    def _run(*args):
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err
    return _run


def test_validate_reports_flow_and_warnings(run, second_codebook_path):
    code, out, err = run("validate", "-c", str(second_codebook_path))
    assert code == 0
    assert "staff.csv: 64 received, 6 excluded, 58 analysed" in out
    assert "managers.xlsx: 23 received, 1 excluded, 22 analysed" in out
    assert "every respondent who answered item W5 chose 'Agree'" in err
    assert "group 'Research' has a single respondent" in err


def test_analyse_writes_results_for_every_comparison(run, second_codebook_path, tmp_path):
    code, _, _ = run("analyse", "-c", str(second_codebook_path), "--out", str(tmp_path))
    assert code == 0
    results = json.loads((tmp_path / "results.json").read_text())
    comparisons = {row["comparison"] for row in results["frames"]["comparisons"]}
    assert comparisons == {"staff_vs_managers", "department", "contract", "span"}
    agreement = {row["item"]: row for row in results["frames"]["item_agreement"] if row["questionnaire"] == "staff"}
    assert agreement["W1"]["pct_neutral"] is None      # a 6-point scale has no neutral level


def test_check_against_a_published_file_of_this_survey(run, second_codebook_path, tmp_path):
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort

    staff = build_cohort(load_codebook(second_codebook_path)).responses["staff"]
    n_part_time = int((staff["contract"] == 2).sum())
    published = {"format": 1, "values": [
        {"id": "flow.staff", "source": "Results", "printed": "58 staff were analysed", "value": 58,
         "kind": "flow", "questionnaire": "staff", "stage": "analysed"},
        {"id": "contract.pt", "source": "Table 1", "printed": f"Part time {n_part_time}", "value": n_part_time,
         "kind": "count", "questionnaire": "staff", "variable": "contract", "levels": [2]},
        {"id": "contract.wrong", "source": "Table 1", "printed": "Full time 99", "value": 99,
         "kind": "count", "questionnaire": "staff", "variable": "contract", "levels": [1]},
    ]}
    path = tmp_path / "published.yml"
    path.write_text(yaml.safe_dump(published, sort_keys=False))
    code, out, _ = run("check", "-c", str(second_codebook_path), "--published", str(path))
    assert code == 1                                   # one unexpected mismatch
    assert out.strip().splitlines()[-1] == "2 of 3 published values reproduced"
