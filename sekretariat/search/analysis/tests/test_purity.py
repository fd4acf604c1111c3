"""The analyzer is pure: no Django, no other app of the project (import-linter enforces the
same contract in `make test`; this test keeps it visible next to the code)."""

import ast
import doctest
import importlib
import pathlib
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent
MODULES = sorted(path for path in PACKAGE.glob("*.py"))
ALLOWED_THIRD_PARTY = {"Stemmer", "wordfreq"}


def imported_modules(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_imports_only_stdlib_and_its_own_libraries(path):
    for name in imported_modules(path):
        top = name.split(".")[0]
        assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, name


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_doctests(path):
    name = "sekretariat.search.analysis" + ("" if path.stem == "__init__" else f".{path.stem}")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
