"""TableSpec: validation of the description, immutability, footnote marks, the synthetic label."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from imgshare.errors import ImgshareError
from imgshare.tables import (
    SYNTHETIC_NOTE,
    Footnote,
    TableError,
    TableSpec,
    to_csv,
    to_html,
    to_markdown,
    to_typst,
)


def small_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "group": ["G1", "G1", "G2"],
        "row": ["r1", "r2", "r3"],
        "a": [1.2345, -0.5, float("nan")],
        "b": ["9 (3.2%)", "86 (30.5%)", "1 (0.4%)"],
        "c": ["x", "y", "z"],
    })


def spec_of(frame: pd.DataFrame | None = None, **kw) -> TableSpec:
    args = dict(label="tbl-small", title="Small", data=small_frame() if frame is None else frame,
                stub="row", groups="group", spanners={"Both": ["a", "b"]})
    args.update(kw)
    return TableSpec(**args)


def test_input_data_not_modified():
    frame = small_frame()
    before = frame.copy(deep=True)
    spec = spec_of(frame, formatters={"a": lambda v: f"{v:.1f}"}, footnotes=[Footnote("n", column="a", row=0)])
    for render in (to_html, to_typst, to_markdown, to_csv):
        render(spec)
    pd.testing.assert_frame_equal(frame, before)


def test_spec_does_not_follow_later_changes_to_the_frame():
    frame = small_frame()
    spec = spec_of(frame)
    frame.loc[0, "b"] = "changed"
    assert spec.cells().at[0, "b"] == "9 (3.2%)"


def test_spec_is_immutable():
    spec = spec_of(column_labels={"a": "A"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.title = "Other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        spec.column_labels["a"] = "B"  # type: ignore[index]


def test_default_cell_text_prints_floats_with_two_decimals_and_missing_as_empty():
    assert spec_of().cells()["a"].tolist() == ["1.23", "-0.50", ""]


def test_formatter_replaces_the_default():
    spec = spec_of(formatters={"a": lambda v: "n/a" if pd.isna(v) else f"{v:.3f}"})
    assert spec.cells()["a"].tolist() == ["1.234", "-0.500", "n/a"]


def test_cell_text_is_one_line():
    frame = small_frame()
    frame.loc[0, "c"] = "two\nlines\t here"
    assert spec_of(frame).cells().at[0, "c"] == "two lines here"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"label": "table-1"}, "table label 'table-1' must look like 'tbl-name'"),
        ({"label": "tbl-a b"}, "must look like 'tbl-name'"),
        ({"stub": "nope"}, "tbl-small: stub column 'nope' is not in the data"),
        ({"groups": "row", "stub": "row"}, "stub and the row groups must be different"),
        ({"spanners": {"S": ["a", "c"]}}, "spanner 'S' must span adjacent columns"),
        ({"spanners": {"S": ["a"], "T": ["a", "b"]}}, "column 'a' is under more than one spanner"),
        ({"spanners": {"S": ["row"]}}, "spanner 'S' names 'row', which is not a displayed column"),
        ({"spanners": {"S": []}}, "spanner 'S' spans no columns"),
        ({"align": {"a": "justify"}}, "alignment of 'a' must be one of left, center, right"),
        ({"column_labels": {"zz": "Z"}}, "column label given for unknown column 'zz'"),
        ({"formatters": {"a": "not callable"}}, "formatter of 'a' is not callable"),
        ({"footnotes": [Footnote("x", column="zz")]}, "names unknown column 'zz'"),
        ({"footnotes": [Footnote("x", column="a", row=3)]}, "names row 3; the table has 3"),
        ({"footnotes": [Footnote("x", row=1)]}, "must be marked at one place"),
        ({"footnotes": [Footnote("x", spanner="Nope")]}, "unknown spanner 'Nope'"),
    ],
)
def test_invalid_description_raises_one_line_table_error(change, message):
    with pytest.raises(TableError) as info:
        spec_of(**change)
    assert isinstance(info.value, ImgshareError)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_rows_of_a_group_must_be_contiguous():
    frame = small_frame()
    frame["group"] = ["G1", "G2", "G1"]
    with pytest.raises(TableError, match="rows of group 'G1' are not contiguous"):
        spec_of(frame)


def test_data_must_be_a_dataframe():
    with pytest.raises(TableError, match="must be a pandas DataFrame, found list"):
        TableSpec(label="tbl-x", title="x", data=[[1, 2]])  # type: ignore[arg-type]


def test_marks_run_in_reading_order_and_shared_text_shares_a_mark():
    notes = [
        Footnote("cell note", column="b", row=2),
        Footnote("label note", column="a"),
        "general note",
        Footnote("cell note", column="c", row=0),
        Footnote("spanner note", spanner="Both"),
        Footnote("title note", title=True),
    ]
    spec = spec_of(footnotes=notes)
    assert spec.notes_text() == (("", "general note"), ("a", "title note"), ("b", "spanner note"),
                                 ("c", "label note"), ("d", "cell note"))
    marks = spec.marks_at()
    assert marks[("cell", 0, "c")] == "d" and marks[("cell", 2, "b")] == "d"
    assert marks[("title",)] == "a" and marks[("spanner", "Both")] == "b" and marks[("label", "a")] == "c"


def test_number_like_columns_are_right_aligned_and_text_left():
    spec = spec_of()
    assert [spec.alignment(c) for c in ("row", "a", "b", "c")] == ["left", "right", "right", "left"]
    assert spec_of(align={"b": "center"}).alignment("b") == "center"


@pytest.mark.parametrize("render", [to_html, to_typst, to_markdown, to_csv])
def test_synthetic_flag_labels_every_format(render):
    labelled = render(spec_of(is_synthetic=True))
    plain = render(spec_of(is_synthetic=False))
    assert "Synthetic data" in labelled
    assert "Synthetic data" not in plain


def test_synthetic_note_comes_first_among_source_notes():
    spec = spec_of(is_synthetic=True, source_notes=["Source: survey 2019."])
    assert spec.all_source_notes == (SYNTHETIC_NOTE, "Source: survey 2019.")
