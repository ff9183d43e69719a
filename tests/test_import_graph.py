"""No import cycles in the hand-written packages, and no hand-written module over 600 lines.

The runtime's one-way layers are checked by ``tests/test_runtime_parts.py``; this
module checks the rest of the house (issue 12): the generator (outside its runtime)
and the mock have no cycle among their modules, counting the imports inside
functions too (a cycle hidden in a function is still a cycle a reader has to hold),
and no module of the project's own code, tests included, passes 600 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 600


def _modules(package: str) -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "runtime" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - max(node.level - 1, 0)] if node.level else []
                target = ".".join(base + [node.module] if node.module else base)
                # ``from pkg import sub`` depends on the submodule; ``from mod import name`` on the module
                subs = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in modules]
                targets = subs if len(subs) == len(node.names) else [target, *subs]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            # a module's parent packages are always imported first: not a dependency that can cycle
            parents = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
            graph[name] |= {t for t in targets if t in modules and t != name and t not in parents}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


@pytest.mark.parametrize("package", ["generator", "helpdesk_mock"])
def test_no_import_cycle(package: str) -> None:
    modules = _modules(package)
    assert len(modules) > 5
    assert _cycles(_graph(modules)) == []


def test_the_cycle_finder_finds_one() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_hand_written_module_over_the_limit() -> None:
    folders = ("generator", "helpdesk_mock", "tests")
    long = {
        str(path.relative_to(ROOT)): n
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (n := len(path.read_text().splitlines())) > LIMIT
    }
    assert long == {}
