"""Small codebooks and data files made in code for loading and cohort tests."""

from pathlib import Path

import yaml

MINI = {
    "format": 1,
    "study": {"id": "mini", "title": "Mini"},
    "scales": {"a5": {"levels": {1: "Strongly disagree", 2: "Disagree", 3: "Neutral", 4: "Agree",
                                 5: "Strongly agree"},
                      "disagree": [1, 2], "neutral": [3], "agree": [4, 5]}},
    "items": {"Q1": {"text": "One", "scale": "a5"}, "Q2": {"text": "Two", "scale": "a5"},
              "Q3": {"text": "Three", "scale": "a5", "required": False}},
    "questionnaires": {"main": {
        "file": "main.csv", "id": "rid", "items": ["Q1", "Q2", "Q3"],
        "variables": {
            "grp": {"type": "categorical", "levels": {1: "Yes", 2: "No"}},
            "sub": {"type": "categorical", "levels": {1: "A", 2: "B"}, "asked_if": {"grp": [1]}},
            "age": {"type": "number"},
            "why": {"type": "text"},
        },
        "exclusions": [{"id": "incomplete", "reason": "Item non-response", "missing_any": "required"}],
    }},
}

HEADER = "rid,Q1,Q2,Q3,grp,sub,age,why"
GOOD_ROWS = [
    "r1,1,2,3,1,1,34,fine",
    "r2,4,5,,2,,51,",
    "r3,Agree, strongly disagree ,5,1,2,,",
]


def write_project(tmp: Path, rows=None, header=HEADER, codebook=None, name="main.csv", raw: bytes | None = None) -> Path:
    cb = codebook or MINI
    (tmp / "codebook.yml").write_text(yaml.safe_dump(cb, sort_keys=False), encoding="utf-8")
    path = tmp / name
    if raw is not None:
        path.write_bytes(raw)
    else:
        lines = [header, *(GOOD_ROWS if rows is None else rows)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp / "codebook.yml"


def without_progress(stderr: str) -> str:
    """stderr without the commands' progress lines ("imgshare: <stage>: ..."), which go to stderr
    when it is not a terminal: what is left is what the command reported (errors, warnings)."""
    return "".join(line for line in stderr.splitlines(keepends=True) if not line.startswith("imgshare: "))
