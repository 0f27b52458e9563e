"""Every docstring example of the analysis layer runs and shows what it claims."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["_agreement", "_comparisons", "_descriptives", "_effect_ci_text", "_results", "_scores", "_serialize",
           "_themes"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name):
    module = importlib.import_module(f"imgshare.analysis.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
