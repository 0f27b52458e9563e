"""Loading CSV, Excel and SPSS files and the precise one-line validation messages."""

import copy

import pandas as pd
import pyreadstat
import pytest

from imgshare.codebook import load_codebook
from imgshare.errors import DataError
from imgshare.loading import load_questionnaire

from foundation.helpers import GOOD_ROWS, HEADER, MINI, write_project


def load(cb_path, **kw):
    return load_questionnaire(load_codebook(cb_path), "main", **kw)


def problems_of(cb_path) -> str:
    with pytest.raises(DataError) as info:
        load(cb_path)
    return str(info.value)


def test_codes_and_labels_both_read_case_and_space_insensitive(tmp_path):
    frame = load(write_project(tmp_path)).frame
    assert frame.loc["r3", "Q1"] == 4 and frame.loc["r3", "Q2"] == 1
    assert str(frame["Q1"].dtype) == "Int64"
    assert frame["Q3"].isna().sum() == 1


def test_types_of_columns(tmp_path):
    frame = load(write_project(tmp_path)).frame
    assert str(frame["age"].dtype) == "Float64" and frame.loc["r2", "age"] == 51
    assert str(frame["why"].dtype) == "string" and pd.isna(frame.loc["r2", "why"])
    assert list(frame.index) == ["r1", "r2", "r3"]


def test_bom_and_semicolon_delimiter(tmp_path):
    text = "\n".join([HEADER, *GOOD_ROWS]).replace(",", ";") + "\n"
    cb = write_project(tmp_path, raw=b"\xef\xbb\xbf" + text.encode())
    assert len(load(cb).frame) == 3


def test_crlf_and_mixed_line_endings(tmp_path):
    raw = (HEADER + "\r\n" + GOOD_ROWS[0] + "\n" + GOOD_ROWS[1] + "\r\n" + GOOD_ROWS[2] + "\r\n").encode()
    assert len(load(write_project(tmp_path, raw=raw)).frame) == 3


def test_latin1_bytes_in_utf8_file_name_the_row(tmp_path):
    raw = "\n".join([HEADER, GOOD_ROWS[0], "r2,4,5,,2,,51,caf\xe9"]).encode("latin-1")
    message = problems_of(write_project(tmp_path, raw=raw))
    assert message.startswith("main.csv:3: byte b'\\xe9' is not valid utf-8")
    assert "declare the file's encoding" in message


def test_declared_encoding_reads_latin1(tmp_path):
    raw = "\n".join([HEADER, GOOD_ROWS[0], "r2,4,5,,2,,51,caf\xe9"]).encode("latin-1")
    cb = write_project(tmp_path, raw=raw)
    assert load(cb, encoding="latin-1").frame.loc["r2", "why"] == "café"


def test_out_of_range_code(tmp_path):
    rows = [GOOD_ROWS[0], "r2,7,5,,2,,51,"]
    assert "main.csv:3:Q1: found '7'; expected a code or label of scale a5" in problems_of(write_project(tmp_path, rows))


def test_unknown_label(tmp_path):
    rows = [GOOD_ROWS[0], "r2,Agree a lot,5,,2,,51,"]
    assert "main.csv:3:Q1: found 'Agree a lot'" in problems_of(write_project(tmp_path, rows))


def test_non_numeric_number(tmp_path):
    rows = [GOOD_ROWS[0], "r2,4,5,,2,,fifty,"]
    assert "main.csv:3:age: found 'fifty'; expected a number or blank" in problems_of(write_project(tmp_path, rows))


def test_duplicate_ids_name_both_rows(tmp_path):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[0].replace("fine", "again")]
    message = problems_of(write_project(tmp_path, rows))
    assert "main.csv:4:rid: duplicate respondent id 'r1' (first on row 2); expected each respondent once" in message


def test_missing_required_column(tmp_path):
    header = HEADER.replace(",Q2", "")
    rows = [r.split(",") for r in GOOD_ROWS]
    rows = [",".join(r[:2] + r[3:]) for r in rows]
    assert "main.csv:Q2: column is missing; expected column 'Q2'" in problems_of(write_project(tmp_path, rows, header))


def test_extra_column_is_a_warning_not_silent(tmp_path):
    header = HEADER + ",IPAddress"
    rows = [r + ",1.2.3.4" for r in GOOD_ROWS]
    loaded = load(write_project(tmp_path, rows, header))
    assert loaded.warnings == ("main.csv: 1 column(s) not in the codebook were ignored: IPAddress",)


def test_header_only_file(tmp_path):
    assert "main.csv: no data rows (header only)" in problems_of(write_project(tmp_path, rows=[]))


def test_empty_file(tmp_path):
    assert problems_of(write_project(tmp_path, raw=b"")) == \
        "main.csv: the file is empty; a header row and at least one data row"


def test_truncated_row(tmp_path):
    rows = [GOOD_ROWS[0], "r2,4,5"]
    assert "main.csv:3: 3 fields; 8 fields as in the header" in problems_of(write_project(tmp_path, rows))


def test_binary_garbage(tmp_path):
    message = problems_of(write_project(tmp_path, raw=bytes(range(256)) * 4))
    assert message.startswith("main.csv: binary data (NUL bytes), not a text file")


def test_answer_to_a_question_not_asked(tmp_path):
    rows = [GOOD_ROWS[0], "r2,4,5,,2,1,51,"]
    assert "main.csv:3:sub: found an answer although grp is 2 (not asked); expected blank unless grp is 1" \
        in problems_of(write_project(tmp_path, rows))


def test_blank_lines_keep_true_row_numbers(tmp_path):
    rows = [GOOD_ROWS[0], "", GOOD_ROWS[1], "r9,9,1,1,1,1,1,"]
    assert "main.csv:5:Q1: found '9'" in problems_of(write_project(tmp_path, rows))


def test_problems_are_capped_with_a_count(tmp_path):
    rows = [f"r{i},9,1,1,1,1,1," for i in range(200)]
    message = problems_of(write_project(tmp_path, rows))
    assert message.splitlines()[-1] == "... and 180 more problems"


def test_qualtrics_header_rows_are_skipped(tmp_path):
    cb = copy.deepcopy(MINI)
    cb["questionnaires"]["main"]["header_rows"] = 3
    rows = ["Question,text,x,x,x,x,x,x", "ImportId,x,x,x,x,x,x,x", *GOOD_ROWS[:1], "r2,9,1,1,1,1,1,"]
    message = problems_of(write_project(tmp_path, rows, codebook=cb))
    assert "main.csv:5:Q1: found '9'" in message


def test_excel_file_reads_labels(tmp_path):
    cb = copy.deepcopy(MINI)
    cb["questionnaires"]["main"]["file"] = "main.xlsx"
    write_project(tmp_path, codebook=cb)
    df = pd.DataFrame([r.split(",") for r in GOOD_ROWS], columns=HEADER.split(","))
    df["age"] = pd.to_numeric(df["age"])
    df.to_excel(tmp_path / "main.xlsx", index=False)
    frame = load(tmp_path / "codebook.yml").frame
    assert frame.loc["r1", "age"] == 34 and frame.loc["r3", "Q1"] == 4


def test_excel_merged_header_is_reported(tmp_path):
    from openpyxl import Workbook

    cb = copy.deepcopy(MINI)
    cb["questionnaires"]["main"]["file"] = "main.xlsx"
    write_project(tmp_path, codebook=cb)
    wb = Workbook()
    ws = wb.active
    ws.append(["Respondent", "Items", None, None, "grp", "sub", "age", "why"])
    ws.merge_cells("B1:D1")
    ws.append(["rid", "Q1", "Q2", "Q3", "grp", "sub", "age", "why"])
    wb.save(tmp_path / "main.xlsx")
    assert "main.xlsx:1:C: an empty column name (merged header cells?)" in problems_of(tmp_path / "codebook.yml")


def _write_sav(tmp_path, labels):
    cb = copy.deepcopy(MINI)
    cb["questionnaires"]["main"]["file"] = "main.sav"
    write_project(tmp_path, codebook=cb)
    df = pd.DataFrame({"rid": ["a", "b"], "Q1": [1.0, 5.0], "Q2": [2.0, 4.0], "Q3": [3.0, None],
                       "grp": [1.0, 2.0], "sub": [1.0, None], "age": [40.0, 50.0], "why": ["", "x"]})
    pyreadstat.write_sav(df, str(tmp_path / "main.sav"), variable_value_labels={"Q1": labels})
    return tmp_path / "codebook.yml"


def test_spss_file_reads_codes(tmp_path):
    labels = {1.0: "Strongly disagree", 2.0: "Disagree", 3.0: "Neutral", 4.0: "Agree", 5.0: "Strongly agree"}
    frame = load(_write_sav(tmp_path, labels)).frame
    assert frame.loc["b", "Q1"] == 5 and frame.loc["a", "sub"] == 1 and pd.isna(frame.loc["b", "sub"])


def test_spss_value_labels_running_the_other_way_are_an_error(tmp_path):
    labels = {1.0: "Strongly agree", 2.0: "Disagree", 3.0: "Neutral", 4.0: "Agree", 5.0: "Strongly disagree"}
    message = problems_of(_write_sav(tmp_path, labels))
    assert ("main.sav:Q1: value label 1 = 'Strongly agree' in the file is the codebook's label of code 5; "
            "expected 1 = 'Strongly disagree'") in message


def test_spss_value_labels_differing_from_the_codebook_are_a_warning_naming_both(tmp_path):
    labels = {1.0: "strongly disagre", 2.0: "Disagree", 3.0: "Neither", 4.0: "Agree", 5.0: "Strongly agree"}
    loaded = load(_write_sav(tmp_path, labels))
    assert loaded.frame.loc["b", "Q1"] == 5
    assert ("main.sav:Q1: value label 1 = 'strongly disagre' in the file differs from the codebook's "
            "1 = 'Strongly disagree' (scale a5); the codebook's label is used") in loaded.warnings
    assert any("3 = 'Neither'" in w and "3 = 'Neutral'" in w for w in loaded.warnings)


def test_every_problem_is_one_line_without_traceback(tmp_path):
    rows = [GOOD_ROWS[0], "r2,7,x,,3,,abc,", GOOD_ROWS[0]]
    lines = problems_of(write_project(tmp_path, rows)).splitlines()
    assert len(lines) == 5
    assert all(line.startswith("main.csv:") and "; expected" in line for line in lines)
