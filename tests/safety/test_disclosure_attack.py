"""Disclosure under --min-cell 5, attacked from everything the outputs publish together.

For the study data, the second and third surveys and small synthetic studies, the outputs of
``imgshare analyse --min-cell 5`` (results.json) are read back by an independent attacker
(:mod:`attack`): every count becomes an integer variable, every documented identity and printed
percentage a linear constraint, statistics printed beside withheld counts are inverted where a
closed form exists, and every withheld or implied count is minimised and maximised with
``scipy.optimize.milp``. No count of 1..K-1 may come out pinned. The tables, figure labels, bar
widths, flow diagram, audit appendix and prose helpers are checked to print nothing that
results.json does not (:mod:`surface`). The same attacker finds the leaks of the per-table
suppression that shipped before, and of protection without its secondary suppression, so the
tests can fail.

A stronger criterion -- a withheld count's feasible range must not lie inside 1..K-1 -- holds
by construction for every count printed as withheld (``–``) whose value is K or more (the true
value is always feasible), and counts printed ``<K`` are already stated to lie there; the tests
check instead that every count's true value is feasible (the attacker's model is right).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import attack  # noqa: E402
import surface  # noqa: E402
from small_shape import make_shape  # noqa: E402

K = 5
ROOT = Path(__file__).resolve().parents[2]
DATASETS = {
    "study": ROOT / "data" / "codebook.yml",
    "second_survey": ROOT / "tests" / "fixtures" / "second_survey" / "codebook.yml",
    "third_survey": ROOT / "tests" / "fixtures" / "third_survey" / "codebook.yml",
}
SHAPES = (4, 5, 7)


def _codebook_path(name: str, tmp_path_factory) -> Path:
    if name in DATASETS:
        return DATASETS[name]
    return make_shape(tmp_path_factory.mktemp(name), int(name.split("_")[1]))


@pytest.fixture(scope="module", params=[*DATASETS, *(f"shape_{s}" for s in SHAPES)])
def published(request, tmp_path_factory):
    """Run `imgshare analyse` and `imgshare figures` under --min-cell 5; read what they wrote."""
    from imgshare.analysis import analyse
    from imgshare.cli import main
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort

    path = _codebook_path(request.param, tmp_path_factory)
    out = tmp_path_factory.mktemp(f"{request.param}_out")
    assert main(["analyse", "--codebook", str(path), "--min-cell", str(K), "--out", str(out / "analysis")]) == 0
    assert main(["figures", "--codebook", str(path), "--min-cell", str(K), "--out", str(out / "figures")]) == 0
    cohort = build_cohort(load_codebook(path))
    return {
        "name": request.param,
        "codebook": cohort.codebook,
        "cohort": cohort,
        "frames": attack.load_frames(out / "analysis" / "results.json"),
        "raw": json.loads(_results_json(analyse(cohort)))["frames"],
        "figures": out / "figures",
    }


def _results_json(results) -> str:
    from imgshare.analysis import results_to_json

    return results_to_json(results)


def test_no_withheld_or_implied_count_can_be_worked_out(published):
    found = attack.leaks(published["frames"], published["codebook"], K)
    assert found == [], "\n".join(map(str, found[:20]))


def test_every_true_count_is_feasible_for_the_attacker(published):
    # The attacker's identities are right: what the data hold satisfies all of them.
    truth = attack.build(published["raw"], published["codebook"], K)
    p, ranges = attack.attack(published["frames"], published["codebook"], K)
    checked = 0
    for name, (low, high) in ranges.items():
        if name in truth.index and truth.lb[truth.index[name]] == truth.ub[truth.index[name]]:
            value = truth.lb[truth.index[name]]
            assert low - 1e-6 <= value <= high + 1e-6, (name, value, low, high)
            checked += 1
    assert checked > 0


def test_no_output_prints_a_small_count_or_a_number_the_results_withhold(published):
    from imgshare.disclosure import protect
    from imgshare.exhibits import figure_exhibits
    from imgshare.analysis import analyse

    allowed = surface.allowed(published["frames"])
    problems = []
    for path in sorted(published["figures"].glob("tbl-*.csv")):
        problems += surface.table_problems(path.stem, path.read_text(encoding="utf-8"), allowed, K)
    results = protect(analyse(published["cohort"]), K)
    for label, exhibit in figure_exhibits(results, min_cell=K).items():
        problems += surface.figure_problems(label, exhibit.obj, published["frames"], allowed, K)
    assert problems == [], "\n".join(problems[:30])


def _codebook_texts(cb) -> list[str]:
    """Codebook strings that prose quotes (labels may hold digits: "18–24", "More than 25")."""
    texts = [cb.study.title]
    for q in cb.questionnaires.values():
        texts.append(q.label)
        for var in q.variables.values():
            texts += [var.question, *(lv.label for lv in var.levels)]
    texts += [i.text for i in cb.items.values()] + [i.short or "" for i in cb.items.values()]
    texts += [c.label for c in cb.comparisons.values()] + [d.label for d in cb.domains.values()]
    texts += [t.label for t in cb.themes.values()] + [lv.label for s in cb.scales.values() for lv in s.levels]
    texts += [s.label for s in cb.scales.values()]
    return sorted({t for t in texts if t and any(ch.isdigit() for ch in t)}, key=len, reverse=True)


def test_manuscript_prose_prints_only_published_counts(published):
    from imgshare.analysis import analyse
    from imgshare.report import Study

    study = Study(published["codebook"], published["cohort"], analyse(published["cohort"]), min_cell=K)
    allowed = surface.allowed(published["frames"])
    parts = {"flow": study.flow_summary(), "comparisons": study.comparisons(), "domains": study.domain_summary(),
             "correlations": study.correlations(), "quotes": study.quotes()}
    for qid in published["codebook"].questionnaires:
        for stage in ("received", "excluded", "analysed"):
            parts[f"n {qid} {stage}"] = study.n(qid, stage)
    problems = []
    for name, text in parts.items():
        text = "\n".join(line for line in str(text).splitlines() if not line.startswith(">"))  # quoted answers
        for label in _codebook_texts(published["codebook"]):
            text = text.replace(label, " ")
        problems += surface.prose_problems(name, text, allowed, K)
    assert problems == [], "\n".join(problems[:30])


def test_audit_appendix_prints_no_computed_value_the_results_withhold(tmp_path):
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.report._audit import audit_report

    cohort = build_cohort(load_codebook(DATASETS["study"]))
    out = tmp_path / "a"
    from imgshare.cli import main

    assert main(["analyse", "--min-cell", str(K), "--out", str(out)]) == 0
    allowed = surface.allowed(attack.load_frames(out / "results.json"))
    report = audit_report(cohort, ROOT / "data" / "published.yml", min_cell=K)
    problems, hidden = [], 0
    for table in report.tables:
        text = surface.markdown_to_csv(table.formats["markdown"])
        hidden += text.count("not shown (small counts)")
        if table.label != "tbl-audit-consistency":  # printed numbers checked against each other, no data
            problems += surface.table_problems(table.label, text, allowed, K)
    assert problems == [], "\n".join(problems[:30])
    assert hidden >= 5  # the paper's small counts (role "Technical", 3; ...) are audited but not shown


# --- the attack can fail ------------------------------------------------------------------------

def _per_table_suppression(results, k):
    """The disclosure control imgshare shipped before: each table on its own (kept here as the
    attack's negative control)."""
    import dataclasses

    import numpy as np

    from imgshare.disclosure import suppress_frame, suppression_mask, total_suppressed

    def null(frame, mask, cols):
        for col in cols:
            frame[col] = frame[col].astype("float64").where(~mask)
        return frame

    desc = suppress_frame(results.descriptives, "n", ["questionnaire", "variable"], k)
    desc = null(desc, desc["suppressed"].to_numpy(), ["n", "pct", "ci_low", "ci_high"])
    totals = results.descriptives.groupby(["questionnaire", "variable"], sort=False)["n"].transform(
        lambda s: total_suppressed(s.to_numpy(dtype=float), k))
    desc = null(desc, totals.to_numpy(dtype=bool), ["denominator"])
    levels = suppress_frame(results.item_levels, "n", ["questionnaire", "item"], k)
    levels = null(levels, levels["suppressed"].to_numpy(), ["n", "pct"])
    flow = results.flow.copy()
    mask = np.zeros(len(flow), dtype=bool)
    for _, idx in flow[flow["stage"] != "received"].groupby("questionnaire", sort=False).groups.items():
        pos = flow.index.get_indexer(idx)
        mask[pos] = suppression_mask(flow["n"].to_numpy(dtype=float)[pos], k)
    flow["n"] = flow["n"].astype("float64").where(~mask)
    groups = results.comparison_groups.copy()
    small = groups["n"].to_numpy(dtype=float)
    groups = null(groups, (small > 0) & (small < k), ["n"])
    return dataclasses.replace(results, descriptives=desc, item_levels=levels, flow=flow, comparison_groups=groups)


def _frames(results):
    return json.loads(_results_json(results))["frames"]


def test_attack_finds_the_leaks_of_per_table_suppression():
    from imgshare.analysis import analyse
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort

    cb = load_codebook(DATASETS["study"])
    found = attack.leaks(_frames(_per_table_suppression(analyse(build_cohort(cb)), K)), cb, K)
    pinned = {f.name: f.low for f in found}
    # issue 11: role "Technical" = 121 - 93 - 25; age "do not want to reveal" = 282 - 281
    assert pinned[("d", "experts", "role", 2)] == 3
    assert pinned[("d", "patients", "age_group", 6)] == 1
    assert pinned[("g", "role", "theme", "knowledge", "2")] == 3


def test_attack_finds_leaks_when_only_primary_cells_are_withheld(monkeypatch):
    from imgshare.analysis import analyse
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.disclosure import _graph, protect

    def primary_only(graph, k, **_):
        return {key: _graph.SMALL for key, node in graph.nodes.items() if node.printed and node.count
                and 0 < node.value < k}

    monkeypatch.setattr("imgshare.disclosure.decide", primary_only)
    for path in DATASETS.values():
        cb = load_codebook(path)
        found = attack.leaks(_frames(protect(analyse(build_cohort(cb)), K)), cb, K)
        assert found, path


def test_surface_check_finds_counts_a_table_prints_from_unprotected_frames():
    from imgshare.analysis import analyse
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.disclosure import protect
    from imgshare.tables import tbl_comparisons, to_csv

    cb = load_codebook(DATASETS["study"])
    raw = analyse(build_cohort(cb))
    allowed = surface.allowed(_frames(protect(raw, K)))
    # what `imgshare figures` printed for tbl-compare-* before: raw group sizes, no min_cell
    spec = tbl_comparisons(raw.comparisons, raw.comparison_groups, cb, "tbl-compare-role", comparison="role")
    problems = surface.table_problems("tbl-compare-role", to_csv(spec), allowed, K)
    assert any("n\u00a0=\u00a03" in p or "n = 3" in p for p in problems), problems
