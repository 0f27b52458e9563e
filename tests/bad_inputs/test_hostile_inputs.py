"""Inputs written to hang, crash or fool the reader: each is refused in bounded time with the exact
located message (file, row, column or codebook key path; what was found; what was expected), exit
status 2, no traceback, and nothing written (the run is ``analyse --out``, which validates first).

Cases beyond issue 11's list are marked "(more)".
"""

from __future__ import annotations

import copy
import io
import os
import re
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

from imgshare.cli import main

from foundation.helpers import GOOD_ROWS, HEADER, MINI, without_progress, write_project

ID_RULE = ("expected an id of ASCII letters, digits and underscores that starts with a letter "
           "(at most 64 characters)")
LEVELS = "(1 = Strongly disagree; 2 = Disagree; 3 = Neutral; 4 = Agree; 5 = Strongly agree)"
UTF16_HINT = ("UTF-8 text; declare the file's encoding (questionnaires.<id>.encoding: {enc} in the codebook, "
              "or --encoding {enc}) or save the file as CSV UTF-8")


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), without_progress(err.getvalue())


# ------------------------------------------------------------------------------- makers


def codebook_text(text_of):
    """A project whose codebook is ``text_of(yaml of MINI)``."""
    def make(tmp: Path) -> Path:
        write_project(tmp)
        (tmp / "codebook.yml").write_text(text_of(yaml.safe_dump(MINI, sort_keys=False)), encoding="utf-8")
        return tmp / "codebook.yml"
    return make


def codebook(mutate):
    def make(tmp: Path) -> Path:
        cb = copy.deepcopy(MINI)
        mutate(cb)
        return write_project(tmp, codebook=cb)
    return make


def data(raw: bytes, **questionnaire):
    def make(tmp: Path) -> Path:
        cb = copy.deepcopy(MINI)
        cb["questionnaires"]["main"].update(questionnaire)
        return write_project(tmp, codebook=cb, raw=raw)
    return make


def rows(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def _alias_bomb(anchor_value: str) -> str:
    """Nine levels of nine aliases each: 9**9 (387 million) copies of one value once expanded."""
    lines = [f"b0: &b0 [{', '.join([anchor_value] * 9)}]"]
    lines += [f"b{i}: &b{i} [{', '.join(f'*b{i - 1}' for _ in range(9))}]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


def bomb_at(key: str):
    """The MINI codebook with an alias bomb defined first and used at ``key`` (a dotted path)."""
    def text_of(base: str) -> str:
        data = yaml.safe_load(base)
        node = data
        parts = key.split(".")
        for p in parts[:-1]:
            node = node[p]
        node[parts[-1]] = "BOMB_HERE"
        body = yaml.safe_dump(data, sort_keys=False).replace("BOMB_HERE", "*b8")
        return _alias_bomb("true") + body
    return text_of


def _cut_in_the_middle(line: str) -> str:
    """The rule for an overlong message line: its first 300 and last 200 characters, and the count cut."""
    return f"{line[:300]} … [{len(line) - 500:,} characters cut] … {line[-200:]}"


def _set(cb, path, value):
    node = cb
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def setting(path, value):
    return codebook(lambda cb: _set(cb, path, value))


def rename_key(section_path, old, new):
    def mutate(cb):
        node = cb
        for key in section_path:
            node = node[key]
        node[new] = node.pop(old)
    return mutate


def xlsx(cells=None, edit=None):
    """The MINI data as main.xlsx; ``cells`` set extra cells, ``edit`` rewrites the sheet XML."""
    def make(tmp: Path) -> Path:
        from openpyxl import Workbook

        cb = copy.deepcopy(MINI)
        cb["questionnaires"]["main"]["file"] = "main.xlsx"
        path = write_project(tmp, codebook=cb)
        wb = Workbook()
        ws = wb.active
        for line in [HEADER, *GOOD_ROWS]:
            ws.append([c.strip() for c in line.split(",")])
        for ref, value in (cells or {}).items():
            ws[ref] = value
        wb.save(tmp / "main.xlsx")
        if edit:
            _rewrite_member(tmp / "main.xlsx", "xl/worksheets/sheet1.xml", edit)
        return path
    return make


def _rewrite_member(path: Path, member: str, edit) -> None:
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in items:
            z.writestr(info, edit(body.decode()).encode() if info.filename == member else body)


# ------------------------------------------------------------------------------- the corpus
# Each value: (maker, expected stderr). "{cb}" stands for the codebook path.

CODEBOOK_CASES = {
    "alias bomb where true/false is expected": (
        codebook_text(bomb_at("items.Q1.reverse")),
        "{cb}: line 5, column 5: aliases (*name) expand this part to 66,430 values; expected at most 10,000 "
        "values added by aliases (an alias bomb?)"),
    "alias bomb where a code list is expected": (
        codebook_text(bomb_at("scales.a5.agree")),
        "{cb}: line 5, column 5: aliases (*name) expand this part to 66,430 values; expected at most 10,000 "
        "values added by aliases (an alias bomb?)"),
    "recursive alias (more)": (
        codebook_text(lambda base: "loop: &loop [1, *loop]\n" + base),
        "{cb}: line 1, column 7: an alias (*name) refers to the list or mapping that contains it; expected no "
        "recursive alias"),
    "5,000 nested lists": (
        codebook_text(lambda base: "deep: " + "[" * 5000 + "]" * 5000 + "\n" + base),
        "{cb}: line 1, column 70: lists and mappings nested deeper than 64 levels; expected a shallower file"),
    "5,000 nested mappings (more)": (
        codebook_text(lambda base: "deep: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n" + base),
        "{cb}: line 1, column 256: lists and mappings nested deeper than 64 levels; expected a shallower file"),
    "2 MB string where a code list is expected": (
        setting(["scales", "a5", "agree"], "x" * 2_000_000),
        "{cb}: scales.a5.agree[0]: expected an integer code, found '" + "x" * 79 + "… (2,000,000 characters)\n"
        "{cb}: scales.a5: codes [4, 5] are in none of agree, neutral, disagree"),
    "a 5,000-digit number (more)": (
        codebook_text(lambda base: base.replace("format: 1", "format: " + "9" * 5000)),
        "{cb}: line 1, column 9: found a number of 5,000 characters; expected at most 4,300 digits"),
    "an impossible date (more)": (
        codebook_text(lambda base: base.replace("title: Mini", "title: 2020-13-45")),
        "{cb}: line 4, column 10: found an impossible date '2020-13-45' (month must be in 1..12); expected a "
        "real date, or quotes around text"),
    "a list as a mapping key (more)": (
        codebook_text(lambda base: base + "? [a, b]\n: c\n"),
        "{cb}: line 62, column 3: invalid YAML (found unhashable key)"),
    "id with an accent and an emoji": (
        codebook(rename_key(["items"], "Q3", "rôle😀")),
        "{cb}: items.rôle😀: found 'rôle😀'; " + ID_RULE + "\n"
        "{cb}: questionnaires.main.items[2]: unknown item 'Q3'"),
    "id that is a path": (
        codebook(rename_key(["scales"], "a5", "../../x")),
        "{cb}: scales.../../x: found '../../x'; " + ID_RULE + "\n"
        "{cb}: items.Q1.scale: unknown scale 'a5'\n{cb}: items.Q2.scale: unknown scale 'a5'\n"
        "{cb}: items.Q3.scale: unknown scale 'a5'"),
    "id that YAML reads as true (more)": (
        codebook_text(lambda base: base.replace("  main:\n", "  yes:\n", 1)),
        "{cb}: questionnaires.True: found true or false (YAML reads unquoted yes, no, on, off as true or false); "
        + ID_RULE),
    "id that is a number (more)": (
        codebook(rename_key(["questionnaires", "main", "variables"], "age", 12)),
        "{cb}: questionnaires.main.variables.12: found the number 12; " + ID_RULE),
    "id of 65 characters (more)": (
        codebook(rename_key(["questionnaires", "main", "variables"], "why", "w" * 65)),
        "{cb}: questionnaires.main.variables." + "w" * 65 + ": found '" + "w" * 65 + "'; " + ID_RULE),
    "exclusion id with a hyphen (more)": (
        setting(["questionnaires", "main", "exclusions", 0, "id"], "in-complete"),
        "{cb}: questionnaires.main.exclusions[0].id: found 'in-complete'; " + ID_RULE),
    "id with a line break (more)": (
        codebook(rename_key(["items"], "Q3", "Q3\nX")),
        "{cb}: items.Q3\\nX: found 'Q3\\nX'; " + ID_RULE + "\n"
        "{cb}: questionnaires.main.items[2]: unknown item 'Q3'"),
    "scale: ''": (
        setting(["items", "Q1", "scale"], ""),
        "{cb}: items.Q1.scale: found '' (empty); expected the id of a scale declared under 'scales'"),
    "file: ''": (
        setting(["questionnaires", "main", "file"], ""),
        "{cb}: questionnaires.main.file: found '' (empty); expected the name of the questionnaire's data file"),
    "id: '  ' (more)": (
        setting(["questionnaires", "main", "id"], "  "),
        "{cb}: questionnaires.main.id: found '  ' (empty); expected the name of the respondent id column"),
}

DATA_CASES = {
    "file: names a folder": (
        lambda tmp: (tmp / "sub.csv").mkdir() or data(rows(*GOOD_ROWS), file="sub.csv")(tmp),
        "{dir}/sub.csv: a folder, not a data file; a data file named in the codebook (questionnaires.<id>.file)"),
    "CR-only line endings": (
        data(("\r".join([HEADER, *GOOD_ROWS]) + "\r").encode()),
        "main.csv: lines end with CR alone (classic Mac OS line endings); lines ended by LF or CRLF; save the "
        "file again as CSV (Windows or UTF-8)"),
    "UTF-16 with a byte order mark": (
        data(rows(*GOOD_ROWS).decode().encode("utf-16")),
        "main.csv: UTF-16 text (the file starts with a UTF-16 byte order mark); " + UTF16_HINT.format(enc="utf-16")),
    "UTF-16-LE without a byte order mark (more)": (
        data(rows(*GOOD_ROWS).decode().encode("utf-16-le")),
        "main.csv: UTF-16-LE text without a byte order mark (every other byte is NUL); "
        + UTF16_HINT.format(enc="utf-16-le")),
    "UTF-32 (more)": (
        data(rows(*GOOD_ROWS).decode().encode("utf-32")),
        "main.csv: UTF-32 text (the file starts with a UTF-32 byte order mark); " + UTF16_HINT.format(enc="utf-32")),
    "a NUL byte after the first block (more)": (
        data(rows(*GOOD_ROWS) + b"x" * 100_000 + b"\x00\n"),
        "main.csv:5: a NUL byte at file offset 100,102 (binary data (NUL bytes), not a text file); a CSV text file "
        "(or .xlsx / .sav with the right extension)"),
    "1e0 as a code": (
        data(rows("r1,1e0,2,3,1,1,34,")),
        f"main.csv:2:Q1: found '1e0'; expected a code or label of scale a5 {LEVELS} or blank"),
    "an Arabic-Indic digit as a code": (
        data(rows("r1,\u0664,2,3,1,1,34,")),
        f"main.csv:2:Q1: found '\u0664'; expected a code or label of scale a5 {LEVELS} or blank"),
    "a full-width digit as a code (more)": (
        data(rows("r1,\uff14,2,3,1,1,34,")),
        f"main.csv:2:Q1: found '\uff14'; expected a code or label of scale a5 {LEVELS} or blank"),
    "4_0 and inf as codes (more)": (
        data(rows("r1,4_0,inf,3,1,1,34,")),
        f"main.csv:2:Q1: found '4_0'; expected a code or label of scale a5 {LEVELS} or blank\n"
        f"main.csv:2:Q2: found 'inf'; expected a code or label of scale a5 {LEVELS} or blank"),
    "a 2 MB cell (more)": (
        data(rows("r1," + "x" * 2_000_000 + ",2,3,1,1,34,")),
        _cut_in_the_middle("main.csv:2:Q1: found '" + "x" * 2_000_000
                           + f"'; expected a code or label of scale a5 {LEVELS} or blank")),
    "xlsx with a cell at XFD1048576": (
        xlsx({"XFD1048576": 1}),
        "main.xlsx: sheet 'Sheet' declares the range A1:XFD1048576 (1,048,576 rows x 16,384 columns = "
        "17,179,869,184 cells); a sheet of at most 20,000,000 cells; delete stray cells far outside the data "
        "or save the sheet as CSV"),
    "xlsx whose dimension hides a far cell (more)": (
        xlsx({"XFD1048576": 1}, edit=lambda xml: xml.replace('ref="A1:XFD1048576"', 'ref="A1:H4"')),
        "main.xlsx: sheet 'Sheet' has cells as far as the range A1:XFD1048576 (1,048,576 rows x 16,384 "
        "columns = 17,179,869,184 cells); a sheet of at most 20,000,000 cells; delete stray cells far outside "
        "the data or save the sheet as CSV"),
    "xlsx whose dimension hides a far formula (more)": (
        xlsx({"XFD1048576": "=1+1"}, edit=lambda xml: xml.replace('ref="A1:XFD1048576"', 'ref="A1:H4"')),
        "main.xlsx:1048576:XFD: a formula =1+1 without a saved value (the workbook was not recalculated and saved "
        "by a spreadsheet program); values: open the file in Excel or LibreOffice and save it, or paste the "
        "column as values"),
    "xlsx formula without a saved value": (
        xlsx({"B3": "=2+2"}),
        "main.xlsx:3:B: a formula =2+2 without a saved value (the workbook was not recalculated and saved by a "
        "spreadsheet program); values: open the file in Excel or LibreOffice and save it, or paste the column "
        "as values"),
    "xlsx error cell (more)": (
        xlsx({"C2": "#DIV/0!"}),
        "main.xlsx:2:C: the error value #DIV/0!; a code, a label or a blank cell"),
    "xlsx sheet that does not exist (more)": (
        lambda tmp: (xlsx()(tmp), _set_sheet(tmp, "Answers"))[0],
        "main.xlsx: no sheet named 'Answers'; one of the workbook's sheets ('Sheet')"),
}


def _set_sheet(tmp: Path, sheet: str) -> None:
    cb = yaml.safe_load((tmp / "codebook.yml").read_text())
    cb["questionnaires"]["main"]["sheet"] = sheet
    (tmp / "codebook.yml").write_text(yaml.safe_dump(cb, sort_keys=False))


CASES = {**CODEBOOK_CASES, **DATA_CASES}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_gets_the_exact_located_message_and_nothing_is_written(case, tmp_path):
    make, expected = CASES[case]
    cb_path = make(tmp_path)
    out = tmp_path / "out"
    code, stdout, err = run("analyse", "-c", str(cb_path), "--out", str(out))
    assert code == 2, (stdout, err)
    assert err.rstrip("\n") == expected.format(cb=cb_path, dir=tmp_path)
    assert "Traceback" not in err
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_every_message_line_stays_short_whatever_the_input_held(tmp_path):
    """A 2 MB key and a 2 MB value: each line of the message is bounded."""
    big = "k" * 2_000_000
    cb = copy.deepcopy(MINI)
    cb["items"][big] = {"text": "x", "scale": "nope" * 500_000}
    cb_path = write_project(tmp_path, codebook=cb)
    code, _, err = run("validate", "-c", str(cb_path))
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 2
    assert max(len(line) for line in lines) < 700
    assert lines[0].startswith(f"{cb_path}: items.kkkk")
    assert lines[0].endswith(" (2,000,000 characters); " + ID_RULE)
    assert lines[1].endswith("'")  # "unknown scale 'nopenope…nope'": cut in the middle, both ends kept
    assert "characters cut" in lines[1]


def test_undeclared_columns_warning_is_one_short_line(tmp_path):
    extra = [f"StartDate_{i:05d}" for i in range(5000)]
    header = HEADER + "," + ",".join(extra)
    body = [r + "," * len(extra) for r in GOOD_ROWS]
    cb_path = write_project(tmp_path, rows=body, header=header)
    code, _, err = run("validate", "-c", str(cb_path))
    assert code == 0, err
    listed = ", ".join(extra[:10])
    assert err.strip() == (f"warning: main.csv: 5000 column(s) not in the codebook were ignored: {listed} "
                           "and 4,990 more")


def test_sparse_file_of_nul_bytes_is_refused_after_its_first_block(tmp_path):
    """A 512 MB sparse file costs the reader one block, not 512 MB: the child's peak memory shows it."""
    import subprocess
    import sys

    probe = ("import resource, sys; from imgshare.cli import main; rc = main(['validate', '-c', sys.argv[1]]); "
             "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(rc)")

    def peak_kb(raw_size: int, folder: Path) -> tuple[int, str]:
        folder.mkdir()
        cb_path = write_project(folder, raw=b"\x00")
        with open(folder / "main.csv", "r+b") as fh:
            fh.truncate(raw_size)  # a hole: no disk blocks, reads as NUL bytes
        proc = subprocess.run([sys.executable, "-c", probe, str(cb_path)], capture_output=True, text=True)
        assert proc.returncode == 2, proc.stderr
        return int(proc.stdout.split("PEAK")[1].split()[0]), proc.stderr.strip()

    small_kb, small_err = peak_kb(1024, tmp_path / "small")
    sparse_kb, sparse_err = peak_kb(512 << 20, tmp_path / "sparse")
    expected = ("main.csv: binary data (NUL bytes), not a text file; a CSV text file (or .xlsx / .sav with the "
                "right extension)")
    assert small_err == sparse_err == expected
    assert sparse_kb - small_kb < 32 * 1024, f"peak grew by {(sparse_kb - small_kb) / 1024:.0f} MB"


def test_merge_keys_are_ordinary_yaml_and_still_read(tmp_path):
    """(more) A merge key ('<<: *x') is ordinary YAML and is still read (no false alarm)."""
    def text_of(base: str) -> str:
        return base.replace("  Q2:\n    text: Two\n", "  Q2:\n    <<: *q1\n    text: Two\n").replace(
            "  Q1:\n", "  Q1: &q1\n", 1)
    cb_path = codebook_text(text_of)(tmp_path)
    code, out, err = run("validate", "-c", str(cb_path))
    assert code == 0, err
    assert "main.csv: 3 received" in out


ACCEPTED = {
    "UTF-16 declared in the codebook": data(rows(*GOOD_ROWS).decode().encode("utf-16"), encoding="utf-16"),
    "codes written 04, 4.0 and +4": data(rows("r1,04,4.0,+4,1,1,34,", *GOOD_ROWS[1:])),
    "xlsx whose dimension understates its cells": xlsx(edit=lambda xml: xml.replace('ref="A1:H4"', 'ref="A1:B2"')),
    "xlsx whose cells carry no references": xlsx(edit=lambda xml: re.sub(r'(<c) r="[A-Z]+[0-9]+"', r"\1", xml)),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_tolerable_variation_is_read_whole(case, tmp_path):
    code, out, err = run("validate", "-c", str(ACCEPTED[case](tmp_path)))
    assert code == 0, err
    assert "3 received, 0 excluded, 3 analysed" in out


def test_the_corpus_is_larger_than_the_issue_list():
    assert sum("(more)" in name for name in CASES) >= 15
    assert len(CASES) >= 35
    assert os.environ.get("IMGSHARE_DEBUG") is None  # messages, not tracebacks, are under test
