"""A file of a million respondents loads within the memory budget (1 GB peak)."""

import resource
import subprocess
import sys

import numpy as np
import yaml

from foundation.helpers import HEADER, MINI

N = 1_000_000
MEMORY_BUDGET_MB = 1024


def test_million_row_file_validates_within_memory_budget(tmp_path):
    # Written in blocks so that this test process stays small: a child's peak RSS counts from
    # the parent's image it was forked from.
    rng = np.random.default_rng(1)
    with open(tmp_path / "main.csv", "w") as fh:
        fh.write(HEADER + "\n")
        for start in range(0, N, 100_000):
            answers = rng.integers(1, 6, (100_000, 3))
            grp = rng.integers(1, 3, 100_000)
            fh.writelines(f"r{start + i},{a},{b},{c},{g},{'1' if g == 1 else ''},40,\n"
                          for i, (a, b, c, g) in enumerate(zip(*answers.T, grp)))
    (tmp_path / "codebook.yml").write_text(yaml.safe_dump(MINI))
    # Measure the child alone: a fresh interpreter that runs the CLI and reports its own peak RSS.
    probe = ("import resource, sys; from imgshare.cli import main; rc = main(['validate', '-c', sys.argv[1]]); "
             "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "codebook.yml")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert f"main.csv: {N} received, 0 excluded, {N} analysed" in proc.stdout
    peak_mb = int(proc.stdout.split("PEAK")[1].split()[0]) / 1024
    assert peak_mb < MEMORY_BUDGET_MB, f"peak RSS {peak_mb:.0f} MB"
