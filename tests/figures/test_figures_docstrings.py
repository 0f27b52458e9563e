import doctest
import importlib

import pytest

MODULES = ["_diverging", "_paired", "_domain", "_flow", "_export", "_palette", "_theme"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"imgshare.figures.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_public_names_are_exported():
    import imgshare.figures as figures
    for name in figures.__all__:
        assert hasattr(figures, name)
