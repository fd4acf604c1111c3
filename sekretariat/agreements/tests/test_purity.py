"""The engine is pure: no Django and no other app of the project (STYLE.md, import-linter
contract "pure-cores"; checked here too so a violation fails the plain test run)."""

import ast
import doctest
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent
ALLOWED_PROJECT_PREFIX = "sekretariat.agreements"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_no_django_and_no_other_app(path):
    for name in imported_modules(path):
        assert not name.startswith("django"), f"{path.name} imports {name}"
        if name.startswith("sekretariat"):
            assert name.startswith(ALLOWED_PROJECT_PREFIX), f"{path.name} imports {name}"


MODULES_WITH_EXAMPLES = ["money", "registry", "eligibility", "settlement"]


@pytest.mark.parametrize("name", MODULES_WITH_EXAMPLES)
def test_worked_examples_in_docstrings(name):
    module = importlib.import_module(f"sekretariat.agreements.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
