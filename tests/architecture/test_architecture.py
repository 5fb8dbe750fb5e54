"""The layers of docs/architecture.md hold: imports point only down, and no module imports
itself back through others. Read from the source (ast), so a lazy import inside a function
counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("onrustradar", "store", "crawlers", "nlp", "detectors", "digest", "dashboard")
# Scripts that build the check sets; they are run by hand, not imported.
SCRIPTS = ("nlp/corpus", "detectors/eval")

# Lower numbers are lower layers; a module may import its own layer or any lower one.
LAYERS = {
    "onrustradar.core": 0,
    "onrustradar.governance": 1,
    "onrustradar.config": 2,
    "store": 3,
    "crawlers": 4,
    "nlp": 4,
    "detectors": 4,
    "digest": 4,
    "onrustradar.service": 5,
    "dashboard": 6,
    "onrustradar.cli": 7,
    "onrustradar.cli_nl": 7,
    "onrustradar": 7,  # the empty root package
}


def modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT)
            if any(str(rel).startswith(s) for s in SCRIPTS):
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Every project module each module imports, at any depth of its code."""
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for target in targets:
                while target and target not in mods:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges[name].add(target)
    return edges


def layer(module: str) -> tuple[str, int]:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return prefix, LAYERS[prefix]
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/architecture.md")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_import_points_to_the_same_or_a_lower_layer():
    edges = imports(modules())
    upward = []
    for module, targets in sorted(edges.items()):
        own, level = layer(module)
        for target in sorted(targets):
            other, other_level = layer(target)
            if other_level > level:
                upward.append(f"{module} ({own}) -> {target} ({other})")
    assert upward == []


def test_no_module_imports_itself_back():
    assert cycles(imports(modules())) == []


@pytest.mark.slow
def test_no_cycle_between_packages_of_one_layer():
    edges = imports(modules())
    packages: dict[str, set[str]] = {}
    for module, targets in edges.items():
        own = layer(module)[0]
        packages.setdefault(own, set()).update(layer(t)[0] for t in targets if layer(t)[0] != own)
    assert cycles(packages) == []


def test_the_checks_see_a_cycle_and_an_upward_import():
    # The checks themselves: a made-up graph with a loop and an import from core up to service.
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer("onrustradar.core.models")[1] < layer("onrustradar.service.tick")[1]
    assert layer("onrustradar.config.watches")[0] == "onrustradar.config"


def test_no_private_name_is_imported_from_another_module():
    mods = modules()
    found = []
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
                for alias in node.names:
                    if alias.name.startswith("_") and node.module != name:
                        found.append(f"{name}: from {node.module} import {alias.name}")
    assert found == []
