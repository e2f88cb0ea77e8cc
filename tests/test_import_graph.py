"""The import graph of the installed packages: arrows point down (cli -> service/study -> continual -> trainer ->
peer_store; migrations sit on the db) and no module reaches itself through its imports.

Imports are read with ``ast`` from every module, deferred ones inside functions included (a deferred import
that closes a loop is still a loop); imports under ``if TYPE_CHECKING:`` are annotations only and not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"peer_store": 0, "migrations": 1, "trainer": 1, "continual": 2, "study": 3, "service": 3, "cli": 4}
"""A package may import its own modules and those of packages on lower layers only."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> set[int]:
    """Ids of the import nodes under ``if TYPE_CHECKING:``."""
    hidden: set[int] = set()
    for test in ast.walk(node):
        if isinstance(test, ast.If) and "TYPE_CHECKING" in ast.unparse(test.test):
            hidden.update(id(inner) for stmt in test.body for inner in ast.walk(stmt))
    return hidden


def imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports: ``from a.b import c`` is ``a.b.c`` when that is a module, else
    ``a.b``; relative imports are resolved against the module's package."""
    tree = ast.parse(path.read_text(), str(path))
    hidden = _type_checking_only(tree)
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names)
    return {name for name in found if name.split(".")[0] in LAYERS}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    paths = [p for top in LAYERS for p in (ROOT / top).rglob("*.py")]
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports(p, modules) for p in paths}


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Imports of another package on the same layer or above, as ``source -> target``."""
    return sorted(f"{source} -> {target}" for source, targets in graph.items() for target in targets
                  if source.split(".")[0] != target.split(".")[0]
                  and LAYERS[target.split(".")[0]] >= LAYERS[source.split(".")[0]])


def test_arrows_point_down(graph):
    assert upward(graph) == []


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, and modules importing themselves (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while (top := stack.pop()) != node:
                component.append(top)
            component.append(node)
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_through_others(graph):
    assert loops(graph) == []


def test_the_checks_see_a_loop_and_an_upward_arrow():
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert upward({"trainer.model": {"peer_store.layer", "continual.routed"}, "study.x": {"service.app"},
                   "cli.main": {"cli.common", "service.app"}}) == ["study.x -> service.app",
                                                                   "trainer.model -> continual.routed"]


def test_no_test_module_imports_another():
    """What tests share lives in conftest.py files and tests/helpers: importing a test module would also collect
    its tests and fixtures a second time under another name."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            found += [f"{path.relative_to(ROOT)} -> {n}" for n in names if n.split(".")[-1].startswith("test_")]
    assert found == []
