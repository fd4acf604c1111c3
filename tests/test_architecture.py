"""The architecture's rules, checked on the source so that the next person is told at once.

- Every write of a model is in a services module (`services.py` or a `services/` package); a
  view, form, command, importer, selector or handler calls the service. Migrations, tests and
  the demo builders are exempt; the few other places that write their own app's derived data
  are listed in `ALLOWED`, each with its reason.
- No foreign key points from an app to an app above it in the layers (the schema has no
  cycles that import-linter, which sees only imports, could miss).
- No admin page writes a model itself: every ModelAdmin and inline of the apps builds on
  `core.admin`'s `ReadOnlyAdmin` / `ServiceAdmin` / read-only inlines (the admin's own writes are
  Django's `obj.save()`, which the write detector cannot see in our source).
- No module over 600 lines in the apps.
- Every domain event class is described in docs/architecture.md.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sekretariat"

# The ORM's writing calls. `update` and `delete` are writes only on a queryset or a manager
# (a call chain through `.objects`, `.filter(...)`, ...); `save` and `delete` on an instance.
CREATING = {"create", "bulk_create", "get_or_create", "update_or_create", "bulk_update"}
QUERYSET_WRITES = {"update", "delete"}
INSTANCE_WRITES = {"save", "delete"}
QUERYSET_STEPS = {"objects", "filter", "exclude", "all", "select_for_update", "only", "order_by"}

# Modules that write outside a services module, and why that is right.
ALLOWED = {
    # The search index's own derived rows, written by its event consumer and its rebuild.
    "sekretariat/search/indexer.py": "the search index's documents (derived data)",
    "sekretariat/search/backends/base.py": "the search index's documents (derived data)",
    "sekretariat/search/backends/sqlite_fts5.py": "the search index's documents (derived data)",
    "sekretariat/search/backends/postgres.py": "the search index's documents (derived data)",
    # The event log's consumer positions, moved by the dispatcher itself.
    "sekretariat/core/dispatch.py": "the consumers' positions in the event log",
}

EXEMPT_PARTS = {"migrations", "tests", "demo"}
EXEMPT_FILES = {"sekretariat/settlements/demo.py"}


def _python_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if EXEMPT_PARTS & set(path.relative_to(PACKAGE).parts[:-1]) or rel in EXEMPT_FILES:
            continue
        yield rel, path


def _is_services(rel: str) -> bool:
    parts = rel.split("/")
    return parts[-1] == "services.py" or "services" in parts[:-1]


def _chain(node: ast.AST) -> list[str]:
    """The names along a call chain: `A.objects.filter(x).update` -> [A, objects, filter]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            break
        else:
            break
    return list(reversed(names))


def writes_in(source: str) -> list[tuple[int, str]]:
    """(line, call) of each model write in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        receiver = node.func.value
        chain = _chain(receiver)
        through_queryset = bool(QUERYSET_STEPS & set(chain[1:])) or isinstance(receiver, ast.Call)
        if (
            method in CREATING
            and "objects" in chain
            or method in QUERYSET_WRITES
            and through_queryset
            and not node.args
        ):
            found.append((node.lineno, method))
        elif method in INSTANCE_WRITES and not isinstance(receiver, ast.Call):
            if chain[:1] in (["self"], ["super"]):
                continue
            # `x.file.save(name, content)` and `storage.delete(name)` are files; a model's
            # `save()` and `delete()` take no positional argument.
            if node.args:
                continue
            found.append((node.lineno, method))
    return found


def test_the_write_detector_finds_what_it_should():
    source = (
        "Meeting.objects.create(x=1)\n"
        "meeting.agenda_items.filter(a=1).update(b=2)\n"
        "item.save(update_fields=['a'])\n"
        "AgendaItem.objects.filter(pk=1).delete()\n"
        "values.update(other)\n"
        "form.fields.update({'a': 1})\n"
        "attachment.file.save(name, content, save=False)\n"
        "storage.delete(name)\n"
        "item.delete()\n"
    )
    assert [line for line, _ in writes_in(source)] == [1, 2, 3, 4, 9]


def test_every_model_write_is_in_a_services_module():
    offenders = []
    for rel, path in _python_files():
        if _is_services(rel) or rel in ALLOWED:
            continue
        for line, method in writes_in(path.read_text(encoding="utf-8")):
            offenders.append(f"{rel}:{line} .{method}()")
    assert not offenders, (
        "Models are written outside a services module; call the owning app's service "
        "instead:\n" + "\n".join(offenders)
    )


# Django's admin classes that write a model when a form is posted.
DJANGO_ADMIN_BASES = {"ModelAdmin", "TabularInline", "StackedInline", "InlineModelAdmin"}
# The bases that write only through services, or nothing: the only classes built on them.
ADMIN_BASES = {
    "sekretariat/core/admin.py": {
        "ReadOnlyAdmin",
        "ReadOnlyTabularInline",
        "ReadOnlyStackedInline",
        "ServiceAdmin",
    },
}
# Admin modules not yet on those bases, and why.
ADMIN_PENDING: dict[str, str] = {}


def admin_writers_in(source: str) -> list[tuple[int, str]]:
    """(line, name) of each class built directly on Django's writing admin classes, and of
    each model registered with Django's default ModelAdmin (`admin.site.register(Model)`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            bases = {_chain(base)[-1] for base in node.bases if _chain(base)}
            if bases & DJANGO_ADMIN_BASES:
                found.append((node.lineno, node.name))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "register"
            and "site" in _chain(node.func.value)
            and len(node.args) == 1
            and not node.keywords
        ):
            found.append((node.lineno, "site.register() with Django's default ModelAdmin"))
    return sorted(found)


def test_the_admin_detector_finds_what_it_should():
    source = (
        "class A(admin.ModelAdmin): pass\n"
        "class B(ReadOnlyAdmin): pass\n"
        "class C(admin.TabularInline): pass\n"
        "class D(ServiceAdmin): pass\n"
        "admin.site.register(Meeting)\n"
        "admin.site.register(Meeting, B)\n"
        "class E(StackedInline): pass\n"
    )
    assert [line for line, _ in admin_writers_in(source)] == [1, 3, 5, 7]


def test_no_admin_page_writes_around_the_services():
    offenders = []
    for rel, path in _python_files():
        if rel in ADMIN_PENDING:
            continue
        for line, name in admin_writers_in(path.read_text(encoding="utf-8")):
            if name not in ADMIN_BASES.get(rel, ()):
                offenders.append(f"{rel}:{line} {name}")
    assert not offenders, (
        "These admin classes would save or delete models themselves, bypassing the services "
        "(no event for the audit trail and the search index). Build on sekretariat.core.admin: "
        "ReadOnlyAdmin (edited in the screens), ServiceAdmin (create/update call the service), "
        "ReadOnlyTabularInline / ReadOnlyStackedInline:\n" + "\n".join(offenders)
    )


# The apps from the bottom layer up; a model may point only at its own app or below.
LAYERS = [
    {"core"},
    {"bodies"},
    {"cases"},
    {"meetings"},
    {"publishing", "ingest", "settlements", "search"},
    {"demo"},
]


@pytest.mark.django_db
def test_no_foreign_key_points_up_the_layers():
    from django.apps import apps

    level = {app: i for i, group in enumerate(LAYERS) for app in group}
    wrong = []
    for model in apps.get_models():
        source = model._meta.app_label
        if source not in level:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model):
                continue
            target = field.related_model._meta.app_label
            if target in level and level[target] > level[source]:
                wrong.append(
                    f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
                )
    assert not wrong, "A lower app's model points at a higher app's:\n" + "\n".join(wrong)


def test_no_module_over_600_lines_in_the_apps():
    long = []
    for rel, path in _python_files():
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > 600:
            long.append(f"{rel}: {lines} lines")
    assert not long, "Split these modules (600 lines is the house's limit):\n" + "\n".join(long)


def test_every_event_class_is_documented():
    from sekretariat.core.events import EVENT_TYPES

    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        f"{cls.__name__} ({name})"
        for name, cls in EVENT_TYPES.items()
        if f"`{cls.__name__}`" not in doc or f"`{name}`" not in doc
    ]
    assert not missing, "Describe these events in docs/architecture.md: " + ", ".join(missing)


def test_every_consumer_is_documented():
    from sekretariat.config.consumers import CONSUMERS

    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert [c.name for c in CONSUMERS if f"`{c.name}`" not in doc] == []


def _module_name(rel: str) -> str:
    name = rel[: -len(".py")].replace("/", ".")
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def _imports_of(rel: str, source: str, modules: set[str]) -> set[str]:
    """The project's modules that `rel` imports, at any depth of the file (imports inside
    functions count: they are cycles postponed, not removed)."""
    this = _module_name(rel)
    package = this if rel.endswith("__init__.py") else this.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != this:
                found.add(name)
    return found


def test_no_import_cycles_between_modules():
    files = dict(_python_files())
    modules = {_module_name(rel) for rel in files}
    graph = {
        _module_name(rel): _imports_of(rel, path.read_text(encoding="utf-8"), modules)
        for rel, path in files.items()
    }
    # A package's __init__ that re-exports its modules is not a cycle with them.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not name.startswith(t + ".")}
    cycles = _cycles(graph)
    assert not cycles, "Modules import each other:\n" + "\n".join(" -> ".join(c) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result
