"""Every docstring example of the manuscript object and the text it writes runs and shows what it claims."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["imgshare.escape", "imgshare.report._markdown", "imgshare.report._study", "imgshare.report._study_prose",
           "imgshare.report._study_discussion", "imgshare.report._checklist",
           "imgshare.report._methods_text", "imgshare.tables._format"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
