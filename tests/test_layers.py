"""Imports run downward only.

core and mailer → accounts → resets → proofs → api, support → chat, forums → portal.

Every import in every module counts, function-level ones too (they hide a dependency, they do
not remove it). Tests, migrations and the benchmarks may import anything.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lower number = lower layer. An app may import itself and the apps below it, never an app above
# it nor the other app of its own rank (api and support, chat and forums stay apart).
LAYERS = {
    "core": 0,
    "mailer": 1,
    "accounts": 2,
    "resets": 3,
    "proofs": 4,  # owner proofs: below the API and the console, which both use them
    "api": 5,
    "support": 5,
    "chat": 6,
    "forums": 6,
    "portal": 7,
}

# (importing module, imported module) → why it is still there. Each entry is a debt with an owner.
ALLOWED: dict[tuple[str, str], str] = {}

EXCLUDED_PARTS = {"tests", "migrations"}


def _modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if EXCLUDED_PARTS & set(relative.parts) or relative.name.startswith("test_"):
                continue
            name = ".".join(relative.with_suffix("").parts)
            if name.endswith(".__init__"):
                name = name[: -len(".__init__")]
            yield path, name


def _imports(path: Path, module: str):
    """Yield the absolute module names `path` imports, at any depth (functions included)."""
    is_package = path.name == "__init__.py"
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            yield target
            for alias in node.names:  # `from portal import celery` names a module too
                yield f"{target}.{alias.name}"


def _violations():
    found = []
    for path, module in _modules():
        own = module.split(".")[0]
        for target in set(_imports(path, module)):
            other = target.split(".")[0]
            if other not in LAYERS or other == own or LAYERS[other] < LAYERS[own]:
                continue
            if any(target == b or target.startswith(b + ".") for a, b in ALLOWED if a == module):
                continue
            relation = "beside" if LAYERS[other] == LAYERS[own] else "below"
            found.append(f"{module} imports {target} ({own} is {relation} {other})")
    return sorted(set(found))


def test_no_app_imports_a_layer_above_it_or_beside_it():
    assert _violations() == []


def test_the_allowlist_has_no_stale_entries():
    still_needed = set()
    for path, module in _modules():
        for target in _imports(path, module):
            for a, b in ALLOWED:
                if a == module and (target == b or target.startswith(b + ".")):
                    still_needed.add((a, b))
    assert set(ALLOWED) == still_needed, "remove the allowlist entries that are fixed"


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("from .models import X", "resets.views", "resets.models"),
        ("from ..selectors import y", "support.services.console", "support.selectors"),
        ("def f():\n    from portal.celery import app", "api.tasks", "portal.celery"),
        ("import chat.services", "support.views", "chat.services"),
    ],
)
def test_the_parser_sees_relative_and_function_level_imports(tmp_path, source, module, expected):
    path = tmp_path / "m.py"
    path.write_text(source)
    assert expected in set(_imports(path, module))


def _import_graph() -> dict[str, set[str]]:
    """Module → the modules of ours it imports (at any depth; `from . import x` names x only)."""
    modules = dict((name, path) for path, name in _modules())
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target in set(_imports(path, name)):
            if target in modules and target != name:
                graph[name].add(target)
    # `from . import crypto` yields the package itself as well; a package's own modules importing
    # a sibling through it is no circle.
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    return graph


# A service may queue its own app's task from inside a function (HackSoft's documented pattern).
CIRCLE_EXCEPTIONS = {frozenset({"mailer.services", "mailer.tasks"})}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_between_modules():
    circles = [c for c in _circles(_import_graph()) if frozenset(c) not in CIRCLE_EXCEPTIONS]
    assert circles == []


def test_the_circle_check_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
