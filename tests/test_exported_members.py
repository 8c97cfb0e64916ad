"""Each public package's ``__all__``: pinned, sorted, resolvable and complete (as httpx does).

The packages are found, not listed, and their names are read from the packages themselves: a name
is written once in an eager ``__init__`` (its import, then ``__all__``), and a lazy one
(start-up needs it) is checked to list the same names in ``_EXPORTS``, ``__all__`` and its
``TYPE_CHECKING`` imports.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "trellolens"
NOT_PUBLIC = {"cli", "ui", "templates"}
"""Packages that are no library API: the command line, the dashboard, shipped files."""
LAZY = {
    "trellolens",
    "trellolens.board",
    "trellolens.rotation",
    "trellolens.trello",
    "trellolens.webhooks",
}
"""Packages whose names load on first use, each for start-up: the root (``import trellolens``),
``board`` (``fetch`` parses while its request is on the way), ``trello`` (commands that send no
request load no HTTP client), ``rotation`` (``authorize-url``), ``webhooks`` (Starlette)."""


def public_packages() -> list[str]:
    """``trellolens`` and each package under it with an ``__all__``: found, not listed."""
    found = ["trellolens"]
    for init in sorted(SRC.glob("*/__init__.py")):
        name = init.parent.name
        if name not in NOT_PUBLIC and "__all__" in init.read_text():
            found.append(f"trellolens.{name}")
    return found


PUBLIC_API = public_packages()
"""Each public package (its names are its ``__all__``)."""

NOT_EXPORTED = {
    "annotations": "``from __future__ import annotations``",
    "TYPE_CHECKING": "the lazy ``__init__``'s imports for type checkers",
    "Any": "the top-level ``__getattr__``'s annotation",
    "lazy_exports": "makes the lazy ``__getattr__`` and ``__dir__`` (``trellolens.lazy``)",
}
"""Public-looking module-level names that are not part of the API, each with its reason."""


def sort_key(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then the rest (dunders first)."""
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def package(name: str) -> ModuleType:
    return importlib.import_module(name)


def test_the_public_packages_are_found() -> None:
    assert {"trellolens", "trellolens.credentials", "trellolens.trello"} <= set(PUBLIC_API)
    assert {"trellolens.settings", "trellolens.service", "trellolens.testing"} <= set(PUBLIC_API)
    assert not any(name.startswith(("trellolens.ui", "trellolens.cli")) for name in PUBLIC_API)


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_a_lazy_package_lists_each_name_where_type_checkers_see_it(name: str) -> None:
    """Lazy: ``_EXPORTS``, ``__all__`` and the TYPE_CHECKING imports name the same names.
    Eager: no ``_EXPORTS`` (the imports are the list)."""
    module = package(name)
    if name not in LAZY:
        assert not hasattr(module, "_EXPORTS"), f"{name}: eager packages need no _EXPORTS"
        return
    assert set(module._EXPORTS) == set(module.__all__) - {"__version__"}
    assert type_checking_names(Path(module.__file__ or "")) == set(module._EXPORTS)


def type_checking_names(init: Path) -> set[str]:
    tree = ast.parse(init.read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for item in ast.walk(node):
                if isinstance(item, ast.ImportFrom):
                    names |= {alias.asname or alias.name for alias in item.names}
    return names


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_all_is_sorted_without_duplicates(name: str) -> None:
    exported = list(package(name).__all__)
    assert exported == sorted(exported, key=sort_key)
    assert len(set(exported)) == len(exported)


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_every_exported_name_resolves(name: str) -> None:
    module = package(name)
    for member in module.__all__:
        value = getattr(module, member)
        assert value is not None, f"{name}.{member}"
        assert not isinstance(value, ModuleType), f"{name}.{member} is a module, not an API name"
        assert member in dir(module), f"{name}.{member} missing from dir()"


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_no_public_name_is_left_out(name: str) -> None:
    module = package(name)
    left_out = {
        member
        for member, value in vars(module).items()
        if not member.startswith("_") and not isinstance(value, ModuleType)
    } - set(module.__all__)
    assert left_out <= set(NOT_EXPORTED), f"{name}: export these or say why not: {left_out}"


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_an_unknown_name_is_not_there(name: str) -> None:
    assert not hasattr(package(name), "no_such_name")
