"""Page scripts run under Streamlit's magic: a bare expression there is drawn on the page."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import trellolens.ui.pages

PAGES = sorted(Path(trellolens.ui.pages.__file__).parent.glob("*.py"))


def _bare_expressions(tree: ast.Module) -> list[int]:
    body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
    return [
        node.lineno
        for node in body
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_no_bare_constant_at_module_level(page: Path) -> None:
    tree = ast.parse(page.read_text(encoding="utf-8"))
    assert _bare_expressions(tree) == [], f"{page.name}: magic would draw these lines on the page"


def test_the_check_sees_a_stray_string() -> None:
    tree = ast.parse('"""Doc."""\nX = 1\n"""Stray."""\n')
    assert _bare_expressions(tree) == [3]
