"""Small modules and short functions (docs/architecture.md, house style): no module of src over
400 lines, no function over 60 (from its ``def`` or first decorator to its last line, docstring
included), measured with ``ast``. Nothing is allowed longer: ``ALLOWED_LONGER`` is empty, and an
entry would need its reason."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers.paths import REPO_ROOT

SOURCE = REPO_ROOT / "src" / "trellolens"
MODULE_LINES = 400
FUNCTION_LINES = 60
ALLOWED_LONGER: dict[str, str] = {}
"""``path:function`` (or a path, for a module) -> why it may be longer. Empty: keep it so."""


def long_functions(path: Path, limit: int = FUNCTION_LINES) -> list[tuple[str, int]]:
    """(qualified name, lines) of every function in ``path`` longer than ``limit`` lines."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    first = min([d.lineno for d in child.decorator_list] + [child.lineno])
                    lines = (child.end_lineno or child.lineno) - first + 1
                    if lines > limit:
                        found.append((name, lines))
                visit(child, name + ".")

    visit(ast.parse(path.read_text(), str(path)), "")
    return found


def _sources() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def test_no_function_is_over_sixty_lines() -> None:
    found = {
        f"{path.relative_to(SOURCE)}:{name}": lines
        for path in _sources()
        for name, lines in long_functions(path)
    }
    assert {name: n for name, n in found.items() if name not in ALLOWED_LONGER} == {}


def test_no_module_is_over_four_hundred_lines() -> None:
    found = {
        str(path.relative_to(SOURCE)): lines
        for path in _sources()
        if (lines := len(path.read_text().splitlines())) > MODULE_LINES
    }
    assert {name: n for name, n in found.items() if name not in ALLOWED_LONGER} == {}


def test_the_measure_counts_decorators_docstrings_and_nested_functions(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(58))
    module = tmp_path / "planted.py"
    module.write_text(
        "import functools\n\n\n"
        f'@functools.cache\ndef long() -> None:\n    """Doc."""\n{body}\n\n\n'
        f"class Holder:\n    def short(self) -> None:\n        pass\n\n"
        f"    def method(self) -> None:\n        def inner() -> None:\n"
        + "\n".join(f"            y{i} = {i}" for i in range(60))
        + "\n"
    )
    assert long_functions(module) == [
        ("long", 61),  # the decorator, the def, the docstring and 58 assignments
        ("Holder.method", 62),
        ("Holder.method.inner", 61),
    ]
