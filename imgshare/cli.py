"""Command-line interface: a thin shell over the package's stages.

Every user error is one line per problem on stderr and exit status 2; an unexpected internal error
is reported in one line with exit status 1 (set IMGSHARE_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ._outputs import check_output_file, check_output_folder, os_error_message
from .errors import ImgshareError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="imgshare: codebook + questionnaire data in, Likert study manuscript out.",
    pretty_exceptions_enable=False,
)

CodebookOpt = Annotated[Path, typer.Option("--codebook", "-c", help="Codebook YAML file.")]
DataOpt = Annotated[Optional[Path], typer.Option("--data", "-d", help="Folder with the data files (default: the codebook's folder).")]
EncodingOpt = Annotated[Optional[str], typer.Option("--encoding", help="Text encoding of CSV files, overriding the codebook.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]
DEFAULT_CODEBOOK = Path("data/codebook.yml")


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _codebook_path(codebook: Path) -> Path:
    """The codebook to read; a missing default one gets a message saying how to name one."""
    if codebook == DEFAULT_CODEBOOK and not codebook.exists():
        raise ImgshareError(f"{codebook}: file not found in {Path.cwd()}; pass the codebook with -c PATH, "
                            "or draft one with: imgshare codebook --from survey.sav -o codebook.yml")
    return codebook


def _published_path(published: Path | None, codebook: Path) -> Path:
    """``--published`` as given (or ``published.yml`` beside the codebook), else looked up beside the
    codebook; not found anywhere: a message naming where it was looked for."""
    base = codebook.parent
    places = [base / "published.yml"] if published is None else [published]
    if published is not None and not published.is_absolute():
        places.append(base / published)
    for place in places:
        if place.exists():
            return place
    looked = " and ".join(str(p) for p in dict.fromkeys(places))
    raise ImgshareError(f"{published or 'published.yml'}: file not found (looked for {looked}); pass --published "
                        "PATH to the published-values file (its format: docs/published-format.md)")


def _load(codebook: Path, data: Path | None, encoding: str | None):
    from .codebook import load_codebook
    from .cohort import build_cohort

    cb = load_codebook(_codebook_path(codebook))
    return cb, build_cohort(cb, data, encoding)


@app.command()
def validate(codebook: CodebookOpt = DEFAULT_CODEBOOK, data: DataOpt = None, encoding: EncodingOpt = None) -> None:
    """Check the codebook and every data file; list all problems (exit 2 if any)."""
    cb, cohort = _load(codebook, data, encoding)
    for w in cohort.warnings:
        _err(f"warning: {w}")
    for qid, path in cohort.files.items():
        part = cohort.flow[cohort.flow.questionnaire == qid]
        n = {s: int(part.loc[part.stage == s, "n"].sum()) for s in ("received", "excluded", "analysed")}
        typer.echo(f"ok  {path.name}: {n['received']} received, {n['excluded']} excluded, {n['analysed']} analysed")
    if cb.study.synthetic:
        typer.echo("note: the codebook declares these data SYNTHETIC")


@app.command("codebook")
def codebook_cmd(
    from_file: Annotated[Path, typer.Option(
        "--from", help="SPSS .sav, Stata .dta or REDCap data dictionary .csv to draft a codebook from.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the draft here (default: stdout).")] = None,
) -> None:
    """Draft a codebook from an SPSS or Stata file's labels, or from a REDCap data dictionary."""
    from .draft import draft_codebook
    from .io import write_text_atomic

    if out is not None:
        check_output_file(out)
    text = draft_codebook(from_file, out)
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(out, text)
        typer.echo(f"draft codebook written to {out}")


@app.command()
def synth(
    seed: Annotated[int, typer.Option(help="Random seed (the committed cohort uses 2020).")] = 2020,
    codebook: CodebookOpt = DEFAULT_CODEBOOK,
    calibration: Annotated[Path, typer.Option(help="Calibration targets YAML.")] = Path("data/calibration.yml"),
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder (default: the codebook's folder).")] = None,
) -> None:
    """Generate the synthetic study cohort (deterministic for a seed)."""
    from .codebook import load_codebook
    from .synth import load_calibration, synthesize, write_synthetic

    if out is not None:
        check_output_folder(out)
    cb = load_codebook(codebook)
    if out is None:
        check_output_folder(cb.base_dir)
    frames = synthesize(cb, load_calibration(calibration), seed)
    paths = write_synthetic(frames, cb, out or cb.base_dir)
    for p in paths.values():
        typer.echo(f"wrote {p}")


@app.command()
def analyse(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for results.json and the CSVs.")] = Path("_output/analysis"),
    codebook: CodebookOpt = DEFAULT_CODEBOOK,
    data: DataOpt = None,
    encoding: EncodingOpt = None,
    p_adjust: Annotated[Optional[str], typer.Option(help="Adjust p-values over all tests: holm or fdr_bh.")] = None,
    min_cell: Annotated[int, typer.Option(min=0, help="Withhold counts 1..K-1 and what would reveal them; 0 = off.")] = 0,
    effect_ci: Annotated[str, typer.Option(
        "--effect-ci", help="Effect-size confidence intervals: analytic (default), bootstrap (2000 resamples) "
                            "or none.")] = "analytic",
    quiet: QuietOpt = False,
) -> None:
    """Compute every table and test; write results.json and one CSV per table."""
    from ._progress import announce, console_reporter, reporting

    if p_adjust not in (None, "holm", "fdr_bh"):
        raise ImgshareError(f"--p-adjust: found {p_adjust!r}; expected holm or fdr_bh")
    if effect_ci not in ("analytic", "bootstrap", "none"):
        raise ImgshareError(f"--effect-ci: found {effect_ci!r}; expected analytic, bootstrap or none")
    check_output_folder(out)
    with reporting(console_reporter(quiet)):
        _, cohort = _load(codebook, data, encoding)
        from .analysis import analyse as run_analysis
        from .analysis import write_results
        from .disclosure import protect

        results = protect(run_analysis(cohort, p_adjust=p_adjust, effect_ci=effect_ci), min_cell)
        announce("write", f"{out}/")
        written = write_results(results, out)
    for w in results.warnings:
        _err(f"warning: {w}")
    typer.echo(f"analysis written to {out}/ ({len(written)} files)")


@app.command()
def figures(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the figure and table pack.")] = Path("_output/figures"),
    codebook: CodebookOpt = DEFAULT_CODEBOOK,
    data: DataOpt = None,
    encoding: EncodingOpt = None,
    min_cell: Annotated[int, typer.Option(min=0, help="Withhold counts 1..K-1 and what would reveal them; 0 = off.")] = 0,
    quiet: QuietOpt = False,
) -> None:
    """Write every figure (PNG 300 dpi + SVG) and table (HTML, CSV, Typst), named by label."""
    from ._progress import console_reporter, reporting

    check_output_folder(out)
    with reporting(console_reporter(quiet)):
        results = _shared_analysis(codebook, data, encoding, min_cell)
        from .exhibits import build_exhibits
        from .pack import write_exhibits

        paths = write_exhibits(build_exhibits(results, min_cell=min_cell), out)
    typer.echo(f"{len(paths)} files written to {out}/")


def _shared_analysis(codebook: Path, data: Path | None, encoding: str | None, min_cell: int):
    """The analysis results, through the render's analysis cache in ``./.imgshare-cache`` when the
    data are read as the codebook says: ``imgshare figures`` and ``imgshare report`` (same codebook,
    data and --min-cell) then compute them once between them."""
    if encoding is not None:  # read differently from a render: compute here, share nothing
        from .analysis import analyse as run_analysis

        return run_analysis(_load(codebook, data, encoding)[1])
    from .report._analysis_cache import cached_analysis
    from .report._context import ReportContext

    ctx = ReportContext(Path.cwd().resolve(), Path(codebook).resolve(), Path(data).resolve() if data else None,
                        min_cell)
    return cached_analysis(ctx).results


@app.command()
def check(
    codebook: CodebookOpt = DEFAULT_CODEBOOK,
    data: DataOpt = None,
    published: Annotated[Optional[Path], typer.Option(
        help="Published values YAML (default: published.yml beside the codebook; a relative path is also "
             "looked for there).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json or md.")] = "text",
) -> None:
    """Compare every published value with the one computed from the data (exit 1 on unexpected mismatch)."""
    from .audit import run_check

    if fmt not in ("text", "json", "md"):
        raise ImgshareError(f"--format: found {fmt!r}; expected text, json or md")
    codebook = _codebook_path(codebook)
    text, status = run_check(codebook, data, _published_path(published, codebook), fmt)
    typer.echo(text)
    raise typer.Exit(status)


@app.command()
def report(
    to: Annotated[str, typer.Option("--to", help="Comma-separated formats: html,pdf,docx.")] = "html,pdf,docx",
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("_output"),
    codebook: Annotated[Optional[Path], typer.Option(
        "--codebook", "-c", help="Codebook YAML file (default: the one the project names, data/codebook.yml).")] = None,
    data: DataOpt = None,
    project: Annotated[Optional[Path], typer.Option(
        help="Quarto project folder (default: this folder if it was written for the codebook, "
             "else imgshare's generic manuscript).")] = None,
    min_cell: Annotated[int, typer.Option(
        "--min-cell", min=0, help="Print counts 1..K-1 as '<K' in tables and prose (disclosure control; "
                                  "5 is usual for patient data); 0 = off.")] = 0,
    quiet: QuietOpt = False,
) -> None:
    """Render the manuscript (Quarto if installed, else the built-in engine) to _output/."""
    from ._progress import console_reporter, reporting
    from .report import render_report

    formats = [f.strip() for f in to.split(",") if f.strip()]
    bad = [f for f in formats if f not in ("html", "pdf", "docx")]
    if bad or not formats:
        raise ImgshareError(f"--to: found {to!r}; expected a comma-separated subset of html,pdf,docx")
    check_output_folder(out)
    # One reporter for the engine's stages and for those inside the manuscript's cells (data
    # loaded, analysis, figures); none at all with --quiet.
    with reporting(console_reporter(quiet)) as say:
        written = render_report(project_dir=project, out_dir=out, formats=formats, data_dir=data,
                                codebook_path=codebook, quiet=quiet, progress=say, min_cell=min_cell)
    for p in written or []:  # the result, on stdout (progress, on stderr, is what --quiet silences)
        typer.echo(f"wrote {p}")


#: Exit status and message per stopping signal: 128 + the signal number, as shells report it.
_STOPPED = {"SIGINT": (130, "interrupted (Ctrl-C)"), "SIGTERM": (143, "terminated (SIGTERM)")}


def _stopped(name: str) -> int:
    status, what = _STOPPED[name]
    _err(f"{what}; previous outputs left as they were")
    return status


def _catch_stop_signals(received: list[str]) -> dict:
    """Ctrl-C and SIGTERM unwind as KeyboardInterrupt (temporary files are removed, outputs stay
    whole), noting which signal came: typer turns the interrupt into an exit status before
    :func:`main` could see its cause. Returns the previous handlers, to restore."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}

    def handler(signum, frame):  # noqa: ARG001 - signal handler signature
        received.append(signal.Signals(signum).name)
        if len(received) == 1:  # a second signal must not break the clean-up the first one started
            raise KeyboardInterrupt

    return {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}


def _restore_signals(previous: dict) -> None:
    import signal

    for sig, old in previous.items():
        signal.signal(sig, old)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the app, turning errors into one-line messages and exit codes."""
    received: list[str] = []
    previous = _catch_stop_signals(received)
    try:
        return _run(argv, received)
    finally:
        _restore_signals(previous)


def _run(argv: list[str] | None, received: list[str]) -> int:
    try:
        rc = app(args=argv, standalone_mode=False)
    except ImgshareError as exc:
        _err(str(exc))
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:  # click usage errors arrive here with standalone_mode=False
        return int(exc.code or 0)
    except KeyboardInterrupt:
        return _stopped(received[0] if received else "SIGINT")
    except Exception as exc:  # click usage errors and internal bugs: never a raw traceback
        if type(exc).__name__ == "Abort":  # click turns Ctrl-C inside a command into Abort
            return _stopped(received[0] if received else "SIGINT")
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click/typer usage errors
            exc.show()
            return 2
        message = os_error_message(exc) if isinstance(exc, OSError) else None
        if message is not None and not os.environ.get("IMGSHARE_DEBUG"):
            _err(message)
            return 2
        if os.environ.get("IMGSHARE_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set IMGSHARE_DEBUG=1 for details)")
        return 1
    if received or rc == 130:  # typer returned Exit(130) for a KeyboardInterrupt
        return _stopped(received[0] if received else "SIGINT")
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":
    sys.exit(main())
