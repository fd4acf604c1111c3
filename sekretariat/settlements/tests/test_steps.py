"""The screens of the steps (``steps``) against the table (``workflow``): one binding per step, named
functions only, and no import cycle among the modules of the app (the table stays rules only)."""

import ast
import doctest
import inspect
from pathlib import Path

import pytest

from sekretariat.settlements import steps, workflow
from sekretariat.settlements.models import Course

APP = Path(steps.__file__).resolve().parent
PACKAGE = "sekretariat.settlements"


# --- one binding per step -------------------------------------------------------------------


def _screens_keys() -> list[str]:
    """The keys of the ``SCREENS`` literal in steps.py, as written (``workflow.NAME``)."""
    tree = ast.parse((APP / "steps.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "SCREENS":
            literal = node.value.args[0] if isinstance(node.value, ast.Call) else node.value
            assert isinstance(literal, ast.Dict), "SCREENS is written as one dict literal"
            return [ast.unparse(key) for key in literal.keys]
    raise AssertionError("steps.py has no SCREENS")


def test_every_workflow_step_has_exactly_one_screen_binding():
    assert len(steps.SCREENS) == len(workflow.STEPS)
    assert all(bound is step for bound, step in zip(steps.SCREENS, workflow.STEPS, strict=True))
    names = {step: name for name, step in vars(workflow).items() if isinstance(step, workflow.Step)}
    # Written once each (a repeated key would silently replace the earlier binding).
    assert _screens_keys() == [f"workflow.{names[step]}" for step in workflow.STEPS]


@pytest.mark.parametrize("step", workflow.STEPS, ids=lambda step: step.name)
def test_every_screen_calls_a_named_function_of_the_module(step):
    screen = steps.SCREENS[step]
    for function in (screen.perform, screen.initial):
        if function is None:
            continue
        assert inspect.isfunction(function) and function.__name__ != "<lambda>"
        assert getattr(steps, function.__name__) is function, function.__name__
    assert screen.perform.__name__ == f"_perform_{step.name}"


def test_the_forms_start_from_the_course():
    assert steps.SCREENS[workflow.PLAN].form(Course(status=Course.Status.ACCEPTED)).initial == {}
    clinic = Course(status=Course.Status.IN_TREATMENT, setting="klinik")
    assert steps.SCREENS[workflow.VISIT].form(clinic).initial == {"setting": "klinik"}
    forms = steps.open_forms(clinic, workflow.VISIT, {"setting": "hjemme"})
    assert list(forms) == [workflow.VISIT, workflow.COMPLETE, workflow.DEVIATION]
    assert [form.is_bound for form in forms.values()] == [True, False, False]


def test_the_module_examples():
    assert doctest.testmod(steps).failed == 0


# --- the imports among the app's modules ----------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The app's modules that ``path`` imports anywhere in it (also inside functions)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            if node.level:
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in modules)
    found.discard(name)
    # ``from . import x`` names the package as well as the module x; only the module counts.
    if any(other.startswith(f"{package}.") for other in found):
        found.discard(package)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the app's modules it imports, read from the source with ``ast``."""
    paths = {_module_name(path): path for path in sorted(APP.rglob("*.py"))}
    return {name: _imports(path, set(paths)) for name, path in paths.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first search (each as the path that closes it)."""
    cycles, done, path = [], set(), []

    def visit(module: str) -> None:
        path.append(module)
        for imported in sorted(graph[module]):
            if imported in path:
                cycles.append(path[path.index(imported) :] + [imported])
            elif imported not in done:
                visit(imported)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module)
    return cycles


def test_the_graph_sees_the_apps_imports():
    graph = import_graph()
    assert f"{PACKAGE}.workflow" in graph[f"{PACKAGE}.services"]
    assert {f"{PACKAGE}.{name}" for name in ("forms", "services", "workflow")} <= graph[
        f"{PACKAGE}.steps"
    ]
    assert f"{PACKAGE}.steps" in graph[f"{PACKAGE}.views"]
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_import_cycle_among_the_apps_modules():
    assert import_cycles(import_graph()) == []


def test_the_table_imports_neither_the_services_nor_the_screens():
    imported = import_graph()[f"{PACKAGE}.workflow"]
    assert imported == {f"{PACKAGE}.models"}
