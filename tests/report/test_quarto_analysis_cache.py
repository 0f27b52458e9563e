"""The analysis cache: one computation serves every format of a render (Quarto kernels, built-in engine)."""

from __future__ import annotations

import doctest
import hashlib
import os
import pickle
import shutil
from pathlib import Path

import pytest

import imgshare.report._analysis_cache as analysis_cache
from imgshare.analysis import analyse
from imgshare.report import ReportContext
from imgshare.report._analysis_cache import Analysis, analysis_key, cached_analysis

from report.reportdocs import SECOND_SURVEY


@pytest.fixture
def survey(tmp_path: Path) -> ReportContext:
    """A project folder with a copy of the second example survey (codebook + two data files)."""
    shutil.copytree(SECOND_SURVEY.parent, tmp_path / "data", ignore=shutil.ignore_patterns("*.py"))
    return ReportContext(tmp_path, tmp_path / "data" / "codebook.yml")


class Counting:
    """The real computation, counting its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self, ctx, codebook, options):
        self.calls += 1
        cohort = ctx.build_cohort(codebook)
        return Analysis(codebook, cohort, analyse(cohort, **options))


def entries(ctx: ReportContext) -> list[Path]:
    return sorted((ctx.project_dir / ".imgshare-cache").glob("analysis-*.pickle"))


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_second_call_reads_the_stored_analysis_instead_of_computing(survey):
    compute = Counting()
    first = cached_analysis(survey, compute=compute)
    again = cached_analysis(survey, compute=compute)
    assert compute.calls == 1 and len(entries(survey)) == 1
    for name, frame in first.results.frames().items():
        assert frame.equals(again.results.frames()[name]), name
    for qid, frame in first.cohort.responses.items():
        assert frame.equals(again.cohort.responses[qid])
    assert again.codebook == first.codebook and again.results.provenance == first.results.provenance


def test_cached_results_equal_a_fresh_uncached_analysis(survey):
    cached_analysis(survey)
    hit = cached_analysis(survey)
    fresh = analyse(survey.build_cohort())
    for name, frame in fresh.frames().items():
        assert frame.equals(hit.results.frames()[name]), name


def test_a_hit_returns_new_objects_each_time(survey):
    cached_analysis(survey)
    a, b = cached_analysis(survey), cached_analysis(survey)
    assert a.results is not b.results and a.cohort.responses["staff"] is not b.cohort.responses["staff"]
    a.cohort.responses["staff"].iloc[0, 0] = -99  # a caller spoiling its copy spoils nobody else's
    assert cached_analysis(survey).cohort.responses["staff"].iloc[0, 0] != -99


@pytest.mark.parametrize("change", ["codebook", "data file", "min_cell", "data dir", "analyse option"])
def test_any_input_change_is_a_miss(survey, tmp_path, change):
    compute = Counting()
    cached_analysis(survey, compute=compute)
    ctx, options = survey, {}
    if change == "codebook":
        path = survey.codebook_path
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    elif change == "data file":
        path = survey.project_dir / "data" / "staff.csv"
        path.write_bytes(path.read_bytes() + b"\n")
    elif change == "min_cell":
        ctx = ReportContext(survey.project_dir, survey.codebook_path, None, 5)
    elif change == "data dir":
        other = tmp_path / "other"
        shutil.copytree(survey.project_dir / "data", other)
        ctx = ReportContext(survey.project_dir, survey.codebook_path, other, 0)
    else:
        options = {"ci": False}
    cached_analysis(ctx, options=options, compute=compute)
    assert compute.calls == 2
    cached_analysis(ctx, options=options, compute=compute)
    assert compute.calls == 2  # the changed inputs now have their own entry


def test_key_names_every_data_file_the_codebook_names(survey):
    codebook = survey.load_codebook()
    before = analysis_key(survey, codebook)
    managers = survey.project_dir / "data" / "managers.xlsx"
    managers.write_bytes(managers.read_bytes() + b"\0")
    assert analysis_key(survey, codebook) != before
    assert analysis_key(survey, codebook) == analysis_key(survey, codebook)


def test_imgshare_sources_are_part_of_the_key(survey, monkeypatch):
    codebook = survey.load_codebook()
    before = analysis_key(survey, codebook)
    monkeypatch.setattr(analysis_cache, "package_digest", lambda: "0" * 64)
    assert analysis_key(survey, codebook) != before


@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign pickle", "wrong key", "empty"])
def test_a_damaged_entry_is_recomputed_and_replaced(survey, damage):
    compute = Counting()
    good = cached_analysis(survey, compute=compute)
    (entry,) = entries(survey)
    data = entry.read_bytes()
    entry.write_bytes({"truncated": data[: len(data) // 2], "garbage": b"\x80\x05not a pickle",
                       "foreign pickle": pickle.dumps({"results": 1}),
                       "wrong key": data.replace(entry.name[9:73].encode(), b"0" * 64),
                       "empty": b""}[damage])
    again = cached_analysis(survey, compute=compute)
    assert compute.calls == 2
    assert again.results.descriptives.equals(good.results.descriptives)
    assert entry.read_bytes() != b"" and cached_analysis(survey, compute=compute) is not None
    assert compute.calls == 2  # the replacement entry is good


def test_an_unwritable_cache_folder_still_gives_results(survey):
    (survey.project_dir / ".imgshare-cache").write_text("a file where the folder should be")
    compute = Counting()
    a = cached_analysis(survey, compute=compute)
    b = cached_analysis(survey, compute=compute)
    assert compute.calls == 2 and a.results.descriptives.equals(b.results.descriptives)


def test_use_cache_false_neither_reads_nor_writes(survey):
    compute = Counting()
    cached_analysis(survey, use_cache=False, compute=compute)
    cached_analysis(survey, use_cache=False, compute=compute)
    assert compute.calls == 2 and not (survey.project_dir / ".imgshare-cache").exists()


def test_only_the_most_recently_used_entries_are_kept(survey):
    compute = Counting()
    for k in range(6):
        cached_analysis(ReportContext(survey.project_dir, survey.codebook_path, None, k), compute=compute, keep=3)
    assert len(entries(survey)) == 3
    cached_analysis(ReportContext(survey.project_dir, survey.codebook_path, None, 5), compute=compute, keep=3)
    assert compute.calls == 6  # the newest survived
    cached_analysis(ReportContext(survey.project_dir, survey.codebook_path, None, 0), compute=compute, keep=3)
    assert compute.calls == 7  # the oldest did not


def test_entries_are_written_whole_and_leave_no_temporary_files(survey, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append((Path(src).name, Path(dst).name, Path(src).stat().st_size))
        return real_replace(src, dst)

    monkeypatch.setattr(analysis_cache.os, "replace", spy)
    cached_analysis(survey)
    ((src, dst, size),) = seen
    assert src.startswith(".tmp-") and dst.startswith("analysis-") and size > 0
    assert [p.name for p in (survey.project_dir / ".imgshare-cache").iterdir()] == [dst]


def test_concurrent_renders_each_get_whole_results(survey):
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_descriptives_rows, [survey] * 4))
    assert len(set(results)) == 1 and results[0] > 0
    assert len(entries(survey)) == 1
    assert not [p for p in (survey.project_dir / ".imgshare-cache").iterdir() if p.name.startswith(".tmp-")]


def _descriptives_rows(ctx: ReportContext) -> int:
    return len(cached_analysis(ctx).results.descriptives)


def test_inputs_are_not_modified(survey):
    before = digests(survey.project_dir / "data")
    ctx_before = (survey.project_dir, survey.codebook_path, survey.data_dir, survey.min_cell)
    options = {"ci": True}
    cached_analysis(survey, options=options)
    cached_analysis(survey, options=options)
    assert digests(survey.project_dir / "data") == before
    assert (survey.project_dir, survey.codebook_path, survey.data_dir, survey.min_cell) == ctx_before
    assert options == {"ci": True}


def test_a_data_error_is_raised_and_nothing_is_cached(survey):
    from imgshare.errors import DataError

    (survey.project_dir / "data" / "staff.csv").unlink()
    with pytest.raises(DataError):
        cached_analysis(survey)
    assert entries(survey) == []


def test_the_document_cache_pruning_leaves_analysis_entries_alone(survey, tmp_path):
    from imgshare.report._cache import store_cached
    from imgshare.report._execute import Execution

    cached_analysis(survey)
    cache_dir = survey.project_dir / ".imgshare-cache"
    for n in range(5):
        store_cached(cache_dir, f"{n:064x}", Execution((), ()), tmp_path / "nofigs", keep=1)
    assert len(entries(survey)) == 1


def test_docstring_examples_run():
    assert doctest.testmod(analysis_cache).failed == 0


def test_the_manuscript_object_reads_the_cached_analysis(survey, monkeypatch):
    import imgshare.analysis
    from imgshare.report import study

    calls = []
    real = imgshare.analysis.analyse
    monkeypatch.setattr(imgshare.analysis, "analyse", lambda cohort, **kw: calls.append(1) or real(cohort, **kw))
    env = {"IMGSHARE_PROJECT_DIR": str(survey.project_dir), "IMGSHARE_CODEBOOK": str(survey.codebook_path)}
    first, second = study(env), study(env)
    assert len(calls) == 1 and len(entries(survey)) == 1
    assert first.results.descriptives.equals(second.results.descriptives)
