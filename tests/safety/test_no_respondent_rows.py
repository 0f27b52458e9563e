"""No respondent-level row ever leaves imgshare: outputs are searched for respondent ids."""

import re

import pandas as pd
import pytest

from imgshare.cli import main


def respondent_ids(root, codebook_rel):
    from imgshare.codebook import load_codebook

    cb = load_codebook(root / codebook_rel)
    ids = set()
    for qid, q in cb.questionnaires.items():
        path = cb.data_path(qid)
        frame = (pd.read_excel(path, dtype=str) if path.suffix == ".xlsx"
                 else pd.read_csv(path, dtype=str, skiprows=range(1, q.header_rows)))
        ids |= set(frame[q.id_column].dropna())
    return ids


def assert_no_ids(folder, ids):
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(i)}(?![\w-])" for i in sorted(ids)))
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="ignore")
            hit = pattern.search(text)
            assert hit is None, f"{path.name} contains respondent id {hit.group(0)!r}"


@pytest.mark.parametrize("codebook", ["data/codebook.yml", "tests/fixtures/second_survey/codebook.yml"])
def test_analysis_outputs_hold_no_respondent_id(root, tmp_path, codebook):
    assert main(["analyse", "-c", str(root / codebook), "--out", str(tmp_path)]) == 0
    assert_no_ids(tmp_path, respondent_ids(root, codebook))
