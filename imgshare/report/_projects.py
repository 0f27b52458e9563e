"""Which manuscript project renders a codebook: the study's own, or the packaged generic one.

A project's ``_quarto.yml`` names the codebook it was written for (``imgshare: {codebook: ...}``,
default ``data/codebook.yml``). Study prose fits only that codebook, so when the caller asks
for another codebook without naming a project, the generic project (every exhibit of any
codebook, with computed prose) is copied to a temporary folder and rendered instead.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from ._context import DEFAULT_CODEBOOK, project_codebook
from ._errors import ReportError
from ..escape import markdown as md_escape

__all__ = ["GENERIC_PROJECT", "ProjectChoice", "choose_project", "instantiate_generic", "same_file"]

#: The packaged generic manuscript (a valid Quarto project).
GENERIC_PROJECT = Path(__file__).parent / "templates" / "generic"


@dataclass(frozen=True)
class ProjectChoice:
    """The project to render, whether it is the generic one, and why (for the progress output)."""

    project_dir: Path
    generic: bool
    reason: str = ""


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (resolved; by inode when both exist)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def choose_project(project_dir: Path | str | None, codebook_path: Path | str | None,
                   cwd: Path | str | None = None) -> ProjectChoice:
    """The project for a render.

    An explicit ``project_dir`` is always used. Otherwise the project in ``cwd`` is used when
    it has a ``report.qmd`` and either no codebook was given or it is the one the project
    names; in every other case the generic project is chosen.
    """
    if project_dir is not None:
        return ProjectChoice(Path(project_dir).resolve(), False)
    here = Path(cwd if cwd is not None else Path.cwd()).resolve()
    if not (here / "report.qmd").is_file() or not (here / "_quarto.yml").is_file():
        return ProjectChoice(GENERIC_PROJECT, True, f"no manuscript project in {here}")
    if codebook_path is None:
        return ProjectChoice(here, False)
    named = project_codebook(here)
    if same_file(Path(codebook_path), named):
        return ProjectChoice(here, False)
    shown = named.relative_to(here) if named.is_relative_to(here) else named
    return ProjectChoice(GENERIC_PROJECT, True,
                         f"{Path(codebook_path).name} is not the codebook this project was written for ({shown})")


def instantiate_generic(dest: Path, codebook_path: Path, title: str) -> Path:
    """Copy the generic project to ``dest`` (a new folder) with its title and codebook filled in."""
    if not GENERIC_PROJECT.is_dir():  # pragma: no cover - a packaging error
        raise ReportError(f"the generic manuscript is missing from the package ({GENERIC_PROJECT})")
    shutil.copytree(GENERIC_PROJECT, dest, ignore=shutil.ignore_patterns("_output", ".imgshare-cache", "__pycache__"))
    config_path = dest / "_quarto.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    config["title"] = md_escape(title) if title else "Study report"
    config.setdefault("imgshare", {})["codebook"] = str(Path(codebook_path).resolve())
    config_path.write_text("# Copied from imgshare's generic manuscript for one render.\n"
                           + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


def default_codebook(project: Path) -> Path:
    """The codebook a render uses when none is given: the one the project names."""
    return project_codebook(project) if (project / "_quarto.yml").is_file() else project / DEFAULT_CODEBOOK
