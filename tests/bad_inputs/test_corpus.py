"""A corpus of malformed inputs. Each gets exit status 2 and a precise one-line message naming
file, row and column with what was found and what was expected (or, where the data are still
analysable, exit 0 and a stated warning) — never a traceback."""

import copy
import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest
import yaml

from imgshare.cli import main

from foundation.helpers import GOOD_ROWS, HEADER, MINI, without_progress, write_project


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), without_progress(err.getvalue())


def csv_case(rows=None, header=HEADER, codebook=None, raw=None):
    def make(tmp):
        return write_project(tmp, rows, header, codebook, raw=raw)
    return make


def cb_case(mutate):
    def make(tmp):
        cb = copy.deepcopy(MINI)
        mutate(cb)
        return write_project(tmp, codebook=cb)
    return make


def _set(path, value):
    def mutate(cb):
        node = cb
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return mutate


def _with(base, path, value):
    cb = copy.deepcopy(base)
    node = cb
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return cb


def _xlsx_merged(tmp):
    from openpyxl import Workbook

    cb = copy.deepcopy(MINI)
    cb["questionnaires"]["main"]["file"] = "main.xlsx"
    path = write_project(tmp, codebook=cb)
    wb = Workbook()
    ws = wb.active
    ws.append(["Respondent", "Answers", None, None, "grp", "sub", "age", "why"])
    ws.merge_cells("B1:D1")
    wb.save(tmp / "main.xlsx")
    return path


def _xlsx_not_a_workbook(tmp):
    cb = copy.deepcopy(MINI)
    cb["questionnaires"]["main"]["file"] = "main.xlsx"
    path = write_project(tmp, codebook=cb)
    (tmp / "main.xlsx").write_text("this is not a workbook")
    return path


def _sav(labels):
    def make(tmp):
        import pyreadstat

        cb = copy.deepcopy(MINI)
        cb["questionnaires"]["main"]["file"] = "main.sav"
        path = write_project(tmp, codebook=cb)
        df = pd.DataFrame({"rid": ["a", "b"], "Q1": [1.0, 2.0], "Q2": [2.0, 4.0], "Q3": [3.0, 1.0],
                           "grp": [1.0, 2.0], "sub": [1.0, None], "age": [40.0, 50.0], "why": ["", ""]})
        pyreadstat.write_sav(df, str(tmp / "main.sav"), variable_value_labels={"grp": labels})
        return path
    return make


def _raw_codebook(text):
    def make(tmp):
        write_project(tmp)
        (tmp / "codebook.yml").write_text(text)
        return tmp / "codebook.yml"
    return make


ERRORS = {
    "empty file": (csv_case(raw=b""), "main.csv: the file is empty; a header row and at least one data row"),
    "whitespace-only file": (csv_case(raw=b"  \n\n \n"), "main.csv: the file has no content (only whitespace)"),
    "header only": (csv_case(rows=[]), "main.csv: no data rows (header only); at least one respondent row"),
    "wrong delimiter": (csv_case(raw=("\n".join([HEADER, *GOOD_ROWS[:2]]).replace(",", ";") + "\n").encode(),
                                 codebook=_with(MINI, ["questionnaires", "main", "delimiter"], ",")),
                        "main.csv: the header has a single column 'rid;Q1;Q2;Q3;grp;sub;age;why'; columns separated by ','; the file seems to use ';'"),
    "latin-1 bytes in utf-8": (csv_case(raw="\n".join([HEADER, GOOD_ROWS[0], "r2,4,5,,2,,51,na\xefve"]).encode("latin-1")),
                               "main.csv:3: byte b'\\xef' is not valid utf-8"),
    "unknown encoding": (csv_case(codebook=_with(MINI, ["questionnaires", "main", "encoding"], "klingon")),
                         "main.csv: unknown encoding 'klingon'; a Python codec name"),
    "duplicated respondent ids": (csv_case([GOOD_ROWS[0], GOOD_ROWS[0]]),
                                  "main.csv:3:rid: duplicate respondent id 'r1' (first on row 2); expected each respondent once"),
    "blank respondent id": (csv_case([GOOD_ROWS[0], ",4,5,,2,,51,"]),
                            "main.csv:3:rid: found a blank respondent id; expected a unique id on every row"),
    "unknown label": (csv_case([GOOD_ROWS[0], "r2,Somewhat agree,5,,2,,51,"]),
                      "main.csv:3:Q1: found 'Somewhat agree'; expected a code or label of scale a5 (1 = Strongly disagree;"),
    "out-of-range code": (csv_case([GOOD_ROWS[0], "r2,6,5,,2,,51,"]), "main.csv:3:Q1: found '6'; expected a code or label"),
    "zero code": (csv_case([GOOD_ROWS[0], "r2,4,0,,2,,51,"]), "main.csv:3:Q2: found '0'"),
    "fractional code": (csv_case([GOOD_ROWS[0], "r2,4.5,5,,2,,51,"]), "main.csv:3:Q1: found '4.5'"),
    "categorical code out of range": (csv_case([GOOD_ROWS[0], "r2,4,5,,3,,51,"]),
                                      "main.csv:3:grp: found '3'; expected a code or label of variable grp (1 = Yes; 2 = No) or blank"),
    "text in a number column": (csv_case([GOOD_ROWS[0], "r2,4,5,,2,,about 50,"]),
                                "main.csv:3:age: found 'about 50'; expected a number or blank"),
    "required column missing": (csv_case([r.rsplit(",", 1)[0] for r in GOOD_ROWS], header=HEADER.rsplit(",", 1)[0]),
                                "main.csv:why: column is missing; expected column 'why'"),
    "truncated file": (csv_case(raw=("\n".join([HEADER, GOOD_ROWS[0], "r2,4,5,,2"])).encode()),
                       "main.csv:3: 5 fields; 8 fields as in the header"),
    "row with too many fields": (csv_case([GOOD_ROWS[0], "r2,4,5,,2,,51,,extra"]), "main.csv:3: 9 fields; 8 fields"),
    "binary garbage renamed .csv": (csv_case(raw=bytes(range(256)) * 16), "main.csv: binary data (NUL bytes), not a text file"),
    "blank header row": (csv_case(raw=b",,,\nr1,1,2,3\n"), "main.csv:1: the header row is blank; column names in row 1"),
    "duplicate column names": (csv_case([r + ",3" for r in GOOD_ROWS], header=HEADER + ",Q3"),
                               "main.csv:1:Q3: duplicate column name (also column 4); each column name once"),
    "answer to a question not asked": (csv_case([GOOD_ROWS[0], "r2,4,5,,2,2,51,"]),
                                       "main.csv:3:sub: found an answer although grp is 2 (not asked); expected blank unless grp is 1"),
    "excel merged header rows": (_xlsx_merged, "main.xlsx:1:C: an empty column name (merged header cells?)"),
    "xlsx that is not a workbook": (_xlsx_not_a_workbook, "main.xlsx: not a readable .xlsx workbook"),
    "sav labels run the other way": (_sav({1.0: "No", 2.0: "Yes"}),
                                     "main.sav:grp: value label 1 = 'No' in the file is the codebook's label of code 2; "
                                     "expected 1 = 'Yes' as in the codebook (variable grp)"),
    "every respondent excluded": (csv_case(["r1,1,,3,1,1,20,", "r2,,2,3,2,,20,"]),
                                  "main.csv: every one of the 2 respondents is excluded (Item non-response: 2); at least one respondent left"),
    "data file not found": (csv_case(codebook=_with(MINI, ["questionnaires", "main", "file"], "absent.csv")),
                            "absent.csv: file not found; a data file named in the codebook"),
    "codebook unknown item in theme": (cb_case(_set(["themes"], {"t": {"items": ["Q1", "Q9"]}})),
                                       "codebook.yml: themes.t.items[1]: unknown item 'Q9'"),
    "codebook duplicate ids": (_raw_codebook(yaml.safe_dump(MINI, sort_keys=False).replace(
        "  Q2:\n", "  Q1:\n", 1)), "codebook.yml: line 25, column 3: invalid YAML (duplicate key 'Q1' (ids must be unique))"),
    "codebook overlapping agree/disagree": (cb_case(_set(["scales", "a5", "agree"], [2, 4, 5])),
                                            "codebook.yml: scales.a5: agree and disagree overlap (codes [2])"),
    "codebook even scale with neutral": (cb_case(_set(["scales", "a5"], {"levels": {1: "a", 2: "b", 3: "c", 4: "d"},
                                                                                 "disagree": [1], "neutral": [2], "agree": [3, 4]})),
                                         "codebook.yml: scales.a5.neutral: an even (4-point) scale has no neutral level"),
    "codebook not yaml": (_raw_codebook("items: [unclosed\n"), "codebook.yml: line 2, column 1: invalid YAML"),
    "codebook is a list": (_raw_codebook("- a\n- b\n"), "codebook.yml: expected a mapping, found a list"),
    "codebook exclusion on unknown column": (cb_case(_set(["questionnaires", "main", "exclusions"],
                                                          [{"reason": "x", "missing_any": ["Q7"]}])),
                                             "questionnaires.main.exclusions[0].missing_any[0]: unknown column 'Q7'"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_malformed_input_gets_exit_2_and_a_precise_message(case, tmp_path):
    make, expected = ERRORS[case]
    cb_path = make(tmp_path)
    code, out, err = run("validate", "-c", str(cb_path))
    assert code == 2, (case, out, err)
    assert expected in err, err
    assert "Traceback" not in err


def test_corpus_has_at_least_30_cases():
    assert len(ERRORS) + len(WARNINGS) + len(ACCEPTED) >= 30


WARNINGS = {
    "unexpected extra columns": (csv_case([r + ",x" for r in GOOD_ROWS], header=HEADER + ",StartDate"),
                                 "main.csv: 1 column(s) not in the codebook were ignored: StartDate"),
    "item everyone answered the same": (csv_case(["r1,4,2,3,1,1,34,", "r2,4,5,,2,,51,", "r3,4,1,5,1,2,,"]),
                                        "every respondent who answered item Q1 chose 'Agree'"),
    "group with a single respondent": (cb_case(_set(["comparisons"], {"g": {"questionnaire": "main", "by": "grp", "items": ["Q1"]}})),
                                       "comparison g (g): group 'No' has a single respondent"),
}


@pytest.mark.parametrize("case", sorted(WARNINGS))
def test_analysable_oddity_is_a_stated_warning(case, tmp_path):
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort

    make, expected = WARNINGS[case]
    cb_path = make(tmp_path)
    cohort = build_cohort(load_codebook(cb_path))
    assert any(expected in w for w in cohort.warnings), cohort.warnings


ACCEPTED = {
    "utf-8 BOM": csv_case(raw=b"\xef\xbb\xbf" + ("\n".join([HEADER, *GOOD_ROWS]) + "\n").encode()),
    "mixed line endings": csv_case(raw=(HEADER + "\r\n" + GOOD_ROWS[0] + "\n" + GOOD_ROWS[1] + "\r" + "\n"
                                        + GOOD_ROWS[2] + "\n").encode()),
    "blank and whitespace-only cells": csv_case(["r1,1,2,  ,1,1,34, ", "r2,4,5,\t,2,,51,", "r3,4,1,5,1,2,,"]),
    "tab delimited": csv_case(raw=("\n".join([HEADER, *GOOD_ROWS]).replace(",", "\t") + "\n").encode()),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_tolerable_variation_is_read(case, tmp_path):
    code, out, err = run("validate", "-c", str(ACCEPTED[case](tmp_path)))
    assert code == 0, err
    assert "main.csv: 3 received" in out


def test_whitespace_only_required_cell_counts_as_non_response(tmp_path):
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort

    cohort = build_cohort(load_codebook(write_project(tmp_path, ["r1,1,   ,3,1,1,34,", *GOOD_ROWS[1:]])))
    assert list(cohort.excluded["main"].index) == ["r1"]


def test_no_traceback_from_the_console_script(tmp_path):
    cb = write_project(tmp_path, raw=bytes(range(256)))
    proc = subprocess.run([sys.executable, "-m", "imgshare", "validate", "-c", str(cb)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "main.csv: binary data (NUL bytes), not a text file; a CSV text file (or .xlsx / .sav with the right extension)"
