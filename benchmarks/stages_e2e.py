"""Where the time of ``imgshare analyse`` on a large CSV goes, stage by stage.

    .venv/bin/python benchmarks/stages_e2e.py [--n 1000000] [--repeats 5] [--env NAME=VALUE ...]

Writes ``bench_e2e.py``'s CSV and codebook for N respondents into a temporary folder, then runs
``--repeats`` fresh processes, each doing what ``imgshare analyse`` does, one stage after another,
with a clock around each (imports; codebook; reading the CSV; validating and typing it;
exclusions, flow and data warnings; the analysis; writing the files). Prints the median of each
stage and of the whole process (start-up and exit included), with every run's figures. ``--env``
sets environment variables of the runs (e.g. ``NUMPY_MADVISE_HUGEPAGE=0``).
"""

from __future__ import annotations

import argparse
import ast
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_e2e

CHILD = r'''
import time
t0 = last = time.perf_counter()
laps = {}
def lap(name):
    global last
    now = time.perf_counter(); laps[name] = now - last; last = now
from pathlib import Path
from imgshare.cli import app
from imgshare import cohort as C, loading as L, _readers as R
from imgshare.analysis import analyse, write_results
from imgshare.codebook import load_codebook
from imgshare.disclosure import protect
lap("imports")
cb = load_codebook(Path("codebook.yml")); lap("codebook")
path = cb.data_path("q", None)
raw = R.read_raw(path); lap("read CSV")
lq = L.parse_raw(cb, "q", raw, path); del raw; lap("validate + type")
keep, reason = C._exclusion_reasons(lq, cb)
kept, dropped = C._rows(lq.frame, keep), C._excluded(lq, keep, reason)
flow = C.flow_table(cb, {"q": len(lq.frame)}, {"q": dropped}, {"q": len(kept)})
warnings = C.exclusion_warnings(cb, flow) + C.data_warnings(cb, {"q": kept}); lap("exclusions, flow, warnings")
cohort = C.Cohort(cb, {"q": kept}, {"q": dropped}, flow, {"q": path}, tuple(warnings))
results = protect(analyse(cohort), 0); lap("analysis")
write_results(results, "out"); lap("write files")
print(repr(laps))
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--env", nargs="*", default=[], help="NAME=VALUE for the runs")
    args = parser.parse_args()
    env = {**os.environ, **dict(item.split("=", 1) for item in args.env)}
    bench_e2e.byte_compile(sys.executable)
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="stages-e2e-") as tmp:
        folder = Path(tmp)
        bench_e2e.write_data(folder / "bench.csv", args.n)
        bench_e2e.write_codebook(folder / "codebook.yml", "bench.csv")
        for _ in range(args.repeats):
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD], cwd=folder, env=env, capture_output=True,
                                 text=True, check=True).stdout
            laps = ast.literal_eval(out.strip().splitlines()[-1])
            laps["start-up and exit"] = time.perf_counter() - start - sum(laps.values())
            laps["whole process"] = time.perf_counter() - start
            runs.append(laps)
    print(f"N = {args.n:,}, {args.repeats} runs" + (f", {' '.join(args.env)}" if args.env else ""))
    print("| stage | median s | runs |\n|---|---:|---|")
    for stage in runs[0]:
        values = [r[stage] for r in runs]
        print(f"| {stage} | {statistics.median(values):.2f} | {', '.join(f'{v:.2f}' for v in values)} |")


if __name__ == "__main__":
    main()
