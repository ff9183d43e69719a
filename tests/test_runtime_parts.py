"""The runtime's parts (``generator/parts.py``): one-way imports, no cycle, and each
package carries exactly the parts it uses."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.parts import INDEX, LAYERS, PLUGINS, layer_of, runtime_modules

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "generator" / "runtime"


def runtime_imports(path: Path) -> set[str]:
    """The runtime modules ``path`` imports, the lazy imports inside functions included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def test_every_runtime_module_has_a_layer() -> None:
    modules = sorted(p.stem for p in RUNTIME.glob("*.py"))
    assert sorted(m for _, ms in LAYERS for m in ms) == modules


@pytest.mark.parametrize("module", sorted(p.stem for p in RUNTIME.glob("*.py")))
def test_imports_go_one_way(module: str) -> None:
    """A module imports only its own layer or lower ones; a plug-in only the core."""
    own = layer_of(module)
    for imported in runtime_imports(RUNTIME / f"{module}.py"):
        theirs = layer_of(imported)
        assert theirs <= own, f"{module} ({LAYERS[own][0]}) imports {imported} ({LAYERS[theirs][0]})"
        if module in PLUGINS:
            assert LAYERS[layer_of(imported)][0] == "core", f"plug-in {module} imports {imported}"


def test_no_import_cycle() -> None:
    graph = {p.stem: runtime_imports(p) for p in RUNTIME.glob("*.py")}
    state: dict[str, int] = {}

    def visit(node: str, trail: tuple[str, ...]) -> None:
        if state.get(node) == 2:
            return
        assert state.get(node) != 1, f"import cycle: {' -> '.join(trail + (node,))}"
        state[node] = 1
        for nxt in sorted(graph[node]):
            visit(nxt, trail + (node,))
        state[node] = 2

    for node in sorted(graph):
        visit(node, ())


def test_generated_packages_carry_only_what_they_use() -> None:
    import generated.desk365._runtime.quirks as desk365_quirks
    import generated.intercom._runtime.quirks as intercom_quirks

    for package, index in (("desk365", desk365_quirks), ("intercom", intercom_quirks)):
        plugins = [m.__name__.rsplit(".", 1)[-1] for m in index.MODULES]
        carried = sorted(p.stem for p in (ROOT / "generated" / package / "_runtime").glob("*.py"))
        assert carried == sorted(runtime_modules(plugins)), package
    assert desk365_quirks.MODULES == ()  # Desk365 needs none of Intercom's search, timeline or scroll
    assert INDEX not in PLUGINS
