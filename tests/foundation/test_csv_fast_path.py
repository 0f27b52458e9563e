"""Large CSV files take the fast path (pyarrow, block by block, compact columns); what is read and
every located message stay those of the precise path."""

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgshare._arrow_text import short_text_keys
from imgshare._readers import read_raw
from imgshare.codebook import load_codebook
from imgshare.errors import DataError
from imgshare.loading import load_questionnaire

from foundation.helpers import GOOD_ROWS, HEADER, write_project


def cells(frame: pd.DataFrame) -> list[list[str]]:
    return [[str(v) for v in row] for row in frame.astype(object).itertuples(index=False)]


def oracle(text: str, sep: str = ",") -> tuple[list[str], list[list[str]]]:
    """The csv module's reading of the same text: header names stripped, blank lines skipped."""
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep) if r and any(c.strip() for c in r)]
    return [h.strip() for h in rows[0]], rows[1:]


#: Rows of a file of several parse blocks (about 3 MB).
N = 150_000


def big_rows(n: int, seed: int = 3) -> list[str]:
    rng = np.random.default_rng(seed)
    answers = rng.integers(1, 6, (n, 3)).astype(str)
    answers[rng.random((n, 3)) < 0.05] = ""
    group = rng.integers(1, 3, n)
    return [f"r{i},{a},{b},{c},{g},{'1' if g == 1 else ''},{20 + i % 50},"
            for i, (a, b, c, g) in enumerate(zip(*answers.T, group))]


TRICKY = {
    "quoted delimiters, quotes and line breaks": (
        'id,a,b\n1,"x, y","say ""hi"""\n2,"two\nlines",\n3, spaced ,"  "\n'),
    "CRLF and a byte order mark": "\ufeffid,a,b\r\n1,2,3\r\n4,,6\r\n",
    "labels, blanks and one-byte codes mixed": "id,a,b\n1,Agree,4\n2, strongly disagree ,\n3,5, \n4,,2\n",
    "non-ASCII text": "id,a,b\n1,café,ü\n2,日本,\n3,,ü\n",
    "semicolons": "id;a;b\n1;2;3\n4;5;6\n",
}


@pytest.mark.parametrize("text", TRICKY.values(), ids=TRICKY.keys())
def test_fast_path_reads_the_cells_the_csv_module_reads(text, tmp_path):
    path = tmp_path / "main.csv"
    path.write_bytes(text.encode("utf-8"))
    raw = read_raw(path)
    header, rows = oracle(text.lstrip("\ufeff"), ";" if "id;a" in text else ",")
    assert list(raw.frame.columns) == header
    assert cells(raw.frame) == rows


def test_a_large_file_of_one_digit_answers_is_read_as_small_codes_and_the_same_cells(tmp_path):
    rows = big_rows(N)
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    path = tmp_path / "main.csv"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 2 << 20  # several parse blocks
    raw = read_raw(path)
    assert raw.rows is None  # consecutive rows: no blank line was skipped
    q1 = raw.frame["Q1"]
    assert isinstance(q1.dtype, pd.CategoricalDtype) and q1.cat.codes.dtype == np.int8
    assert sorted(q1.cat.categories) == ["", "1", "2", "3", "4", "5"]
    assert not isinstance(raw.frame["rid"].dtype, pd.CategoricalDtype)  # all distinct: kept as text
    assert cells(raw.frame) == oracle(text)[1]


def test_a_blank_line_deep_in_a_large_file_keeps_true_row_numbers(tmp_path):
    rows = big_rows(N)
    rows[140_000] = ""  # spreadsheet row 140,002
    rows[140_001] = "r140001,9,1,1,1,1,1,"
    cb = write_project(tmp_path, rows)
    with pytest.raises(DataError) as info:
        load_questionnaire(load_codebook(cb), "main")
    assert str(info.value).splitlines() == ["main.csv:140003:Q1: found '9'; expected a code or label of scale a5 "
                                            "(1 = Strongly disagree; 2 = Disagree; 3 = Neutral; 4 = Agree; "
                                            "5 = Strongly agree) or blank"]


def test_invalid_utf8_deep_in_a_large_file_names_its_row(tmp_path):
    rows = big_rows(N)
    raw = (HEADER + "\n" + "\n".join(rows[:140_000])).encode() + b"\nr140000,1,1,1,1,1,40,caf\xe9\n"
    cb = write_project(tmp_path, raw=raw)
    with pytest.raises(DataError) as info:
        load_questionnaire(load_codebook(cb), "main")
    assert str(info.value).startswith("main.csv:140002: byte b'\\xe9' is not valid utf-8")


def test_a_nul_byte_deep_in_a_large_file_is_refused_with_its_row(tmp_path):
    rows = big_rows(N)
    raw = (HEADER + "\n" + "\n".join(rows[:140_000])).encode() + b"\nr140000,1,1,1,1,1,40,a\x00b\n"
    cb = write_project(tmp_path, raw=raw)
    with pytest.raises(DataError) as info:
        load_questionnaire(load_codebook(cb), "main")
    assert str(info.value).startswith("main.csv:140002: a NUL byte at file offset")


@pytest.mark.parametrize("rid", ["r7", "respondent-000007", " r7 "], ids=["short id", "long id", "padded id"])
def test_a_repeated_id_deep_in_a_large_file_names_both_rows(rid, tmp_path):
    rows = big_rows(N)
    rows = [r.replace("r", "respondent-00000", 1) if rid.startswith("resp") else r for r in rows]
    rows[148_000] = rid + rows[148_000][rows[148_000].index(","):]
    first = rid.strip()
    cb = write_project(tmp_path, rows)
    with pytest.raises(DataError) as info:
        load_questionnaire(load_codebook(cb), "main")
    assert f"main.csv:148002:rid: duplicate respondent id '{first}' (first on row 9); expected each respondent once" \
        in str(info.value)


def test_distinct_ids_of_any_length_load(tmp_path):
    rows = [f"{'x' * (i % 12)}{i}" + r[r.index(","):] for i, r in enumerate(big_rows(20_000))]
    frame = load_questionnaire(load_codebook(write_project(tmp_path, rows)), "main").frame
    assert frame.index.is_unique and len(frame) == 20_000


def test_a_row_longer_than_a_parse_block_is_read_whole(tmp_path):
    long_text = "word " * 600_000  # 3 MB in one cell
    rows = [*GOOD_ROWS[:2], f"r3,1,1,1,1,1,40,{long_text}"]
    frame = load_questionnaire(load_codebook(write_project(tmp_path, rows)), "main").frame
    assert frame.loc["r3", "why"] == long_text and len(frame) == 3


def test_a_header_longer_than_the_first_block_is_read(tmp_path):
    extra = [f"extra_column_{i}" for i in range(8_000)]  # a header line of about 140 KB
    header = HEADER + "," + ",".join(extra)
    rows = [r + "," * len(extra) for r in GOOD_ROWS]
    loaded = load_questionnaire(load_codebook(write_project(tmp_path, rows, header=header)), "main")
    assert list(loaded.frame.index) == ["r1", "r2", "r3"]
    assert "8000 column(s) not in the codebook were ignored" in loaded.warnings[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                        max_size=8), min_size=1, max_size=30))
def test_packed_keys_are_equal_exactly_when_the_texts_are(texts):
    keys = short_text_keys(pd.Series(texts, dtype="string[pyarrow]"))
    fits = all(len(t.encode("utf-8")) <= 8 for t in texts)
    assert (keys is not None) == fits
    if keys is not None:
        for i, a in enumerate(texts):
            for j, b in enumerate(texts):
                assert (keys[i] == keys[j]) == (a == b)
