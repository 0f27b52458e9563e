"""Cost of disclosure control on the shipped example studies (run by hand, not in pytest).

    .venv/bin/python benchmarks/bench_disclosure.py [--min-cell 5] [--repeats 3]

For each example codebook (the study, the second and third surveys): the analysis is computed
once, then ``imgshare.disclosure.protect(results, K)`` is timed (best of ``--repeats``), and the
table lists how many values it withholds (small counts printed "<K"; further values withheld so
that no small count can be worked out) and how many comparison tests lose their n, or their
statistic and p. Writes benchmarks/results-disclosure.md.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUDIES = {
    "study (data/)": ROOT / "data" / "codebook.yml",
    "second survey": ROOT / "tests" / "fixtures" / "second_survey" / "codebook.yml",
    "third survey": ROOT / "tests" / "fixtures" / "third_survey" / "codebook.yml",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-cell", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from imgshare.analysis import analyse
    from imgshare.codebook import load_codebook
    from imgshare.cohort import build_cohort
    from imgshare.disclosure import protect

    rows = []
    for name, path in STUDIES.items():
        results = analyse(build_cohort(load_codebook(path)))
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            safe = protect(results, args.min_cell)
            times.append(time.perf_counter() - start)
        tests = safe.comparisons
        rows.append(f"| {name} | {min(times):.2f} | {safe.settings['withheld']['small']} | "
                    f"{safe.settings['withheld']['further']} | {int((tests['n_withheld'] != '').sum())} of {len(tests)} | "
                    f"{int((tests['test_withheld'] != '').sum())} |")
    text = "\n".join([
        f"# Disclosure control, --min-cell {args.min_cell}",
        "",
        f"`.venv/bin/python benchmarks/bench_disclosure.py` on {platform.machine()}, Python "
        f"{platform.python_version()} (best of {args.repeats}).",
        "",
        "| study | protect s | small counts | further values | tests with n withheld | tests with U/H and p withheld |",
        "|---|---:|---:|---:|---:|---:|",
        *rows, ""])
    (ROOT / "benchmarks" / "results-disclosure.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
