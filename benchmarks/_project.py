"""What the benchmarks of the study commands share: a copy of the study project to run in, and
imgshare byte-compiled as a wheel install leaves it (this sandbox sets PYTHONDONTWRITEBYTECODE,
so an editable install would otherwise compile ~60 modules from source in every measured run)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

__all__ = ["REPO", "copy_project", "byte_compile"]

REPO = Path(__file__).resolve().parents[1]
PROJECT_FILES = ("_quarto.yml", "references.bib", "bmj.csl")
PROJECT_DIRS = ("sections", "_extensions", "data")


def copy_project(dest: Path) -> Path:
    """The study project (every document it renders) copied to ``dest``."""
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy(REPO / name, dest / name)
    for document in REPO.glob("*.qmd"):  # the manuscript and any other document the project renders
        shutil.copy(document, dest / document.name)
    for name in PROJECT_DIRS:
        shutil.copytree(REPO / name, dest / name)
    return dest


def byte_compile(python: str) -> None:
    """Compile the ``imgshare`` package of interpreter ``python`` into its ``__pycache__``."""
    folder = subprocess.run([python, "-c", "import imgshare, os; print(os.path.dirname(imgshare.__file__))"],
                            capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", folder], check=True, stdout=subprocess.DEVNULL)
