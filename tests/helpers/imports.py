"""The import graph of a Python package, read with ``ast``, and the checks of its layering.

Every ``import`` and ``from ... import`` counts, at module level or inside a function; only the
blocks under ``if TYPE_CHECKING:`` are left out (they never run). A *unit* is a top-level package
or module of the package: ``trellolens.ui.pages.cards`` belongs to ``ui``, ``trellolens.errors``
to ``errors``, ``trellolens`` itself to ``trellolens``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Set
from pathlib import Path

Graph = dict[str, set[str]]


def module_name(path: Path, src: Path) -> str:
    parts = path.relative_to(src).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of every node under an ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            for statement in node.body:
                hidden.update(id(inner) for inner in ast.walk(statement))
    return hidden


Exports = dict[str, dict[str, str]]
"""Each lazy package and its ``_EXPORTS`` table: name -> the module that defines it."""


def lazy_exports(tree: ast.AST) -> dict[str, str]:
    """A module's ``_EXPORTS = {"Name": "package.module", ...}`` (``trellolens.lazy``), if any."""
    for node in ast.walk(tree):
        target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and target.id == "_EXPORTS" and isinstance(value, ast.Dict):
            pairs = zip(value.keys, value.values, strict=True)
            return {
                key.value: item.value
                for key, item in pairs
                if isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and isinstance(item, ast.Constant)
                and isinstance(item.value, str)
            }
    return {}


def _imported(tree: ast.AST, known: Set[str], exports: Exports) -> Iterator[str]:
    """The names each import statement brings in, as module names where a module exists; a name
    a lazy package exports counts as an import of the module its ``_EXPORTS`` string names."""
    hidden = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                lazy = exports.get(node.module, {}).get(alias.name)
                yield submodule if submodule in known else lazy or node.module


def _owning_module(name: str, known: Set[str]) -> str | None:
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in known else None


def import_graph(src: Path, package: str) -> Graph:
    """Each module of ``package`` (under ``src``) and the modules of ``package`` it imports."""
    paths = sorted((src / package).rglob("*.py"))
    trees = {
        module_name(path, src): ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for path in paths
    }
    known = set(trees)
    exports = {module: lazy_exports(tree) for module, tree in trees.items()}
    graph: Graph = {}
    for module, tree in trees.items():
        names = [*_imported(tree, known, exports), *exports[module].values()]
        targets = (_owning_module(name, known) for name in names)
        graph[module] = {target for target in targets if target and target != module}
    return graph


def unit_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def unit_graph(graph: Mapping[str, Set[str]]) -> Graph:
    """Which unit imports which other unit (an edge per unit pair, whatever the module)."""
    units: Graph = {}
    for module, targets in graph.items():
        edges = units.setdefault(unit_of(module), set())
        edges.update(unit_of(target) for target in targets if unit_of(target) != unit_of(module))
    return units


def without_edges(graph: Mapping[str, Set[str]], dropped: Set[tuple[str, str]]) -> Graph:
    """``graph`` (of modules or of units) without the edges whose unit pair is in ``dropped``."""
    return {
        node: {target for target in targets if (unit_of(node), unit_of(target)) not in dropped}
        for node, targets in graph.items()
    }


def cycles(graph: Mapping[str, Set[str]]) -> list[list[str]]:
    """The import cycles: every strongly connected part of more than one node (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part: list[str] = []
            while not part or part[-1] != node:
                part.append(stack.pop())
                on_stack.discard(part[-1])
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def upward_imports(
    units: Mapping[str, Set[str]], allowed: Mapping[str, Set[str]]
) -> set[tuple[str, str]]:
    """Each (importer, imported) pair of units that the rules in ``allowed`` do not permit."""
    return {
        (unit, target)
        for unit, targets in units.items()
        for target in targets
        if target not in allowed.get(unit, set())
    }
