"""`imgshare report` through Quarto, with a stub `quarto` (these machines cannot install Quarto).

The stub answers ``--version``, records each ``render`` call (arguments, working folder,
environment), runs the manuscript's setup computation in the Python Quarto would start its
kernel with (``QUARTO_PYTHON``), as every format's kernel does, and writes the output file.
A second stub, a Python whose path also holds empty Jupyter packages, stands in for a Python with
Quarto's Jupyter engine installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from imgshare.cli import main
from imgshare.report._quarto import JUPYTER_MODULES, check_quarto_python, missing_modules, quarto_python

from report.conftest import make_project
from report.reportdocs import REPO, SECOND_SURVEY

#: What every format's kernel does first under Quarto: the manuscript's setup cell.
SETUP = ("import imgshare.report\n"
         "study = imgshare.report.study()\n"
         "print(len(study.results.descriptives))\n")

STUB = '''\
#!{python}
import json, os, pathlib, subprocess, sys
args = sys.argv[1:]
if args == ["--version"]:
    print(os.environ.get("STUB_QUARTO_VERSION", "1.10.18"))
    sys.exit(0)
doc = pathlib.Path(args[1])
to = args[args.index("--to") + 1]
out = pathlib.Path(args[args.index("--output-dir") + 1])
cache = pathlib.Path(os.environ["IMGSHARE_PROJECT_DIR"]) / ".imgshare-cache"
entries = lambda: sorted(p.name for p in cache.glob("analysis-*.pickle")) if cache.is_dir() else []
before = entries()
kernel = subprocess.run([os.environ["QUARTO_PYTHON"], "-c", {setup!r}], cwd=doc.parent,
                        capture_output=True, text=True)
record = {{"argv": args, "cwd": os.getcwd(), "before": before, "after": entries(),
          "kernel": [kernel.returncode, kernel.stdout.strip(), kernel.stderr[-800:]],
          "env": {{k: os.environ.get(k) for k in ("QUARTO_PYTHON", "IMGSHARE_PROJECT_DIR", "IMGSHARE_CODEBOOK",
                                                  "IMGSHARE_MIN_CELL", "IMGSHARE_DATA_DIR")}}}}
with open(os.environ["STUB_QUARTO_LOG"], "a") as fh:
    fh.write(json.dumps(record) + "\\n")
if kernel.returncode or os.environ.get("STUB_QUARTO_FAIL") == to:
    print("Starting python3 kernel...Done", file=sys.stderr)
    print("ERROR: stub quarto was told to fail rendering " + to, file=sys.stderr)
    sys.exit(1)
ext = {{"html": "html", "imgshare-manuscript-typst": "pdf", "docx": "docx"}}[to]
out.mkdir(parents=True, exist_ok=True)
if ext == "docx":
    # A real Word package (imgshare finishes the DOCX Quarto writes): the project's reference document.
    ref = doc.parent / "_extensions" / "imgshare-manuscript" / "reference.docx"
    (out / (doc.stem + ".docx")).write_bytes(ref.read_bytes())
else:
    (out / (doc.stem + "." + ext)).write_text("rendered " + to + " by the stub")
'''


def executable(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


@pytest.fixture
def stub(tmp_path, monkeypatch):
    """A stub quarto first on PATH, a Python 'with Jupyter' as QUARTO_PYTHON, and the call log."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    executable(bin_dir / "quarto", STUB.format(python=sys.executable, setup=SETUP))
    fake = tmp_path / "fake-jupyter"
    for module in JUPYTER_MODULES:
        if module != "yaml":
            (fake / module).mkdir(parents=True)
            (fake / module / "__init__.py").write_text("")
    python = executable(bin_dir / "python-with-jupyter",
                        f'#!/bin/sh\nPYTHONPATH="{fake}${{PYTHONPATH:+:$PYTHONPATH}}" exec "{sys.executable}" "$@"\n')
    log = tmp_path / "quarto-calls.jsonl"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("QUARTO_PATH", raising=False)
    monkeypatch.setenv("QUARTO_PYTHON", str(python))
    monkeypatch.setenv("STUB_QUARTO_LOG", str(log))

    class Stub:
        def __init__(self):
            self.python, self.fake, self.log = python, fake, log

        def calls(self) -> list[dict]:
            return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return Stub()


@pytest.fixture
def survey_project(tmp_path) -> Path:
    """The fixture project with the second example survey as its data (what the setup analyses)."""
    project = make_project(tmp_path / "project")
    shutil.rmtree(project / "data")
    shutil.copytree(SECOND_SURVEY.parent, project / "data", ignore=shutil.ignore_patterns("*.py"))
    return project


def report(project: Path, out: Path, *extra: str) -> int:
    return main(["report", "--project", str(project), "--out", str(out), "--quiet", *extra])


def test_report_renders_each_format_with_its_own_quarto_render_call(stub, survey_project, tmp_path, capsys):
    out = tmp_path / "out"
    assert report(survey_project, out, "--to", "html,pdf,docx", "--min-cell", "5") == 0
    calls = stub.calls()
    assert [c["argv"][c["argv"].index("--to") + 1] for c in calls] == ["html", "imgshare-manuscript-typst", "docx"]
    for call in calls:
        argv = call["argv"]
        assert argv[:2] == ["render", str(survey_project / "report.qmd")]
        assert argv.count("--to") == 1 and "," not in argv[argv.index("--to") + 1]
        assert Path(call["cwd"]) == survey_project
        assert call["env"]["IMGSHARE_PROJECT_DIR"] == str(survey_project)
        assert call["env"]["IMGSHARE_CODEBOOK"] == str(survey_project / "data" / "codebook.yml")
        assert call["env"]["IMGSHARE_MIN_CELL"] == "5"
        assert call["env"]["QUARTO_PYTHON"] == str(stub.python)
    assert sorted(p.name for p in out.iterdir()) == ["report.docx", "report.html", "report.pdf"]
    assert (out / "report.pdf").read_text() == "rendered imgshare-manuscript-typst by the stub"
    printed = capsys.readouterr().out.split()
    assert printed.count("wrote") == 3


def test_every_format_kernel_after_the_first_reads_the_one_cached_analysis(stub, survey_project, tmp_path):
    assert report(survey_project, tmp_path / "out", "--to", "html,pdf,docx") == 0
    calls = stub.calls()
    assert all(c["kernel"][0] == 0 for c in calls), [c["kernel"][2] for c in calls]
    first, *later = calls
    assert first["before"] == [] and len(first["after"]) == 1
    assert all(c["before"] == first["after"] == c["after"] for c in later)  # no second entry: no recompute
    assert len({c["kernel"][1] for c in calls}) == 1 and int(first["kernel"][1]) > 0


def test_quarto_python_defaults_to_the_python_running_imgshare(stub, survey_project, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "QUARTO_PYTHON"}
    env["PYTHONPATH"] = str(stub.fake)  # this Python 'has' the Jupyter packages
    proc = subprocess.run([sys.executable, "-m", "imgshare", "report", "--project", str(survey_project),
                           "--out", str(tmp_path / "out"), "--to", "html", "--quiet"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    (call,) = stub.calls()
    assert call["env"]["QUARTO_PYTHON"] == sys.executable


def test_missing_jupyter_packages_stop_the_report_before_anything_is_written(stub, survey_project, tmp_path,
                                                                            monkeypatch, capsys):
    bare = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=300)
    python = bare / "bin" / "python"
    monkeypatch.setenv("QUARTO_PYTHON", str(python))
    out = tmp_path / "out"
    assert report(survey_project, out, "--to", "html,pdf") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    for package in ("nbformat", "nbclient", "ipykernel", "jupyter-client"):
        assert package in err
    assert f"{python} -m pip install nbformat nbclient ipykernel jupyter-client" in err
    assert "Traceback" not in err
    assert not out.exists() and stub.calls() == []


def test_a_quarto_python_without_imgshare_is_told_so_with_the_way_out(tmp_path):
    bare = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=300)
    python = str(bare / "bin" / "python")
    assert missing_modules(python, ("json", "imgshare", "nbformat"), cwd=tmp_path) == ["imgshare", "nbformat"]
    # started where a clone's imgshare/ folder is, as the kernel is in the project folder, it is found
    assert missing_modules(python, ("imgshare",), cwd=REPO) == []
    from imgshare.report import ReportError

    with pytest.raises(ReportError, match="lacks .*imgshare.*unset QUARTO_PYTHON"):
        check_quarto_python({"QUARTO_PYTHON": python, "PATH": os.environ["PATH"]}, cwd=tmp_path)


def test_a_quarto_python_that_cannot_run_is_one_clear_error(tmp_path):
    from imgshare.report import ReportError

    with pytest.raises(ReportError, match="QUARTO_PYTHON=.*cannot be run"):
        check_quarto_python({"QUARTO_PYTHON": str(tmp_path / "no-such-python")})


def test_quarto_python_is_quarto_python_when_set_else_this_interpreter():
    assert quarto_python({"QUARTO_PYTHON": "/opt/py/bin/python3"}) == "/opt/py/bin/python3"
    assert quarto_python({}) == sys.executable


def test_a_failing_quarto_render_leaves_earlier_outputs_untouched(stub, survey_project, tmp_path,
                                                                 monkeypatch, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("the previous render")
    monkeypatch.setenv("STUB_QUARTO_FAIL", "docx")
    assert report(survey_project, out, "--to", "html,docx") == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("quarto render --to docx failed: ERROR: stub quarto was told to fail rendering docx")
    assert len(err.splitlines()) == 1
    assert [p.name for p in out.iterdir()] == ["report.html"]
    assert (out / "report.html").read_text() == "the previous render"


def test_builtin_engine_ignores_quarto_on_path(stub, tmp_path):
    from imgshare.report import render_report

    project = make_project(tmp_path / "mini")
    result = render_report(project, out_dir=tmp_path / "out", formats="html", quiet=True, engine="builtin")
    assert result.engine == "builtin" and stub.calls() == []
    assert "<header id=\"title-block-header\" class=\"title-block\">" in result.outputs["html"].read_text()


def test_the_generic_manuscript_goes_through_quarto_too(stub, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--codebook", str(SECOND_SURVEY), "--to", "html", "--quiet"]) == 0
    (call,) = stub.calls()
    assert call["argv"][1].endswith("report.qmd") and call["kernel"][0] == 0, call["kernel"]
    assert call["env"]["IMGSHARE_CODEBOOK"] == str(SECOND_SURVEY.resolve())
    assert (tmp_path / "_output" / "report.html").is_file()


def test_stub_is_a_faithful_enough_quarto_for_version_detection(stub):
    from imgshare.report._quarto import find_quarto

    found = find_quarto()
    assert found is not None and found.version == (1, 10, 18) and found.path.name == "quarto"


def test_docs_name_the_one_command_per_format():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for fmt in ("html", "imgshare-manuscript-typst", "docx"):
        assert f"quarto render report.qmd --to {fmt}" in text
    assert "make quarto-env" in text
