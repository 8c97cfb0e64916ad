"""The import rules of src/trellolens (docs/architecture.md): layers, imports only downwards, no cycle.

From the top: ``cli`` and ``streamlit_entry`` (entry points) -> ``ui`` -> ``connection``,
``rotation`` -> ``doctor``, ``scan`` -> ``testing`` (the emulator), ``templates``, ``metrics``,
``webhooks`` -> ``trello`` -> ``shared``, ``credentials`` and ``board`` -> ``settings`` (every
``TRELLO*``/``TRELLOLENS_*`` setting, read once and handed down) -> ``files`` (reading and writing
user paths safely) -> ``errors`` at the bottom.
``trellolens`` itself re-exports lazily, by name: its ``_EXPORTS`` strings count as imports
(as every lazy package's do), so a lazily exported name cannot hide an import against the layers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.imports import (
    Graph,
    cycles,
    import_graph,
    unit_graph,
    upward_imports,
    without_edges,
)
from tests.helpers.paths import REPO_ROOT

PACKAGE = "trellolens"
LOW = frozenset({"errors", "lazy", "loopback", "files"})
ALLOWED: dict[str, frozenset[str]] = {
    "errors": frozenset(),
    "lazy": frozenset(),
    "loopback": frozenset(),
    "files": frozenset({"errors"}),
    "settings": LOW,
    "board": LOW,
    "credentials": LOW | {"settings"},
    "shared": LOW | {"settings", "board"},
    "trello": LOW | {"settings", "shared", "credentials", "board"},
    "metrics": LOW | {"board"},
    "templates": LOW | {"credentials"},
    "testing": LOW | {"trello", "board", "credentials"},
    "webhooks": LOW | {"trello", "shared", "credentials"},
    "scan": LOW | {"trello", "credentials"},
    "doctor": LOW | {"settings", "trello", "shared", "credentials", "templates"},
    "rotation": LOW | {"settings", "doctor", "trello", "credentials"},
    "service": LOW | {"settings", "trello", "shared", "credentials", "board"},
    "connection": LOW | {"service", "settings", "trello", "credentials", "board"},
    "ui": LOW
    | {
        "connection",
        "service",
        "settings",
        "doctor",
        "metrics",
        "trello",
        "shared",
        "credentials",
        "board",
    },
    "cli": LOW
    | {
        "scan",
        "doctor",
        "rotation",
        "metrics",
        "webhooks",
        "service",
        "settings",
        "trello",
        "shared",
        "credentials",
        "board",
        "templates",
    },
    "streamlit_entry": frozenset({"ui"}),
    "trellolens": frozenset({"lazy", "connection", "credentials", "errors"}),
}
"""Each unit and the units it may import; anything else is an import upwards (or sideways)."""

KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {}
"""Imports that break the rules today, each with its reason; fixing one fails the test below
until it is taken off this list."""


@pytest.fixture(scope="module")
def modules() -> Graph:
    return import_graph(REPO_ROOT / "src", PACKAGE)


def test_every_unit_has_a_rule(modules: Graph) -> None:
    assert set(unit_graph(modules)) == set(ALLOWED)


def test_the_rules_themselves_are_layers() -> None:
    assert cycles({unit: set(targets) for unit, targets in ALLOWED.items()}) == []


def test_no_package_imports_a_higher_one(modules: Graph) -> None:
    found = upward_imports(unit_graph(modules), ALLOWED)
    assert found - set(KNOWN_VIOLATIONS) == set(), "an import against the layers"
    assert set(KNOWN_VIOLATIONS) - found == set(), "fixed: take it off KNOWN_VIOLATIONS"


def test_no_import_cycle_between_packages(modules: Graph) -> None:
    assert cycles(without_edges(unit_graph(modules), set(KNOWN_VIOLATIONS))) == []


def test_no_import_cycle_between_modules(modules: Graph) -> None:
    assert cycles(without_edges(modules, set(KNOWN_VIOLATIONS))) == []


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "trellolens" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_checker_finds_a_planted_cycle_and_an_upward_import(tmp_path: Path) -> None:
    src = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "errors.py": "",
            "board/__init__.py": "from trellolens.errors import *\n",
            "board/parse.py": "def parse():\n    from trellolens.ui import page\n",
            "ui/__init__.py": "",
            "ui/page.py": "import trellolens.board.parse\n",
        },
    )
    modules = import_graph(src, PACKAGE)
    assert modules["trellolens.board.parse"] == {"trellolens.ui.page"}  # a function-level import
    assert cycles(modules) == [["trellolens.board.parse", "trellolens.ui.page"]]
    assert cycles(unit_graph(modules)) == [["board", "ui"]]
    assert upward_imports(unit_graph(modules), ALLOWED) == {("board", "ui")}


def test_imports_for_type_checking_only_do_not_count(tmp_path: Path) -> None:
    src = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "board.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from trellolens.ui import Page\n",
            "ui.py": "from trellolens import board\n",
        },
    )
    modules = import_graph(src, PACKAGE)
    assert modules["trellolens.board"] == set()
    assert modules["trellolens.ui"] == {"trellolens.board"}
    assert cycles(modules) == []


CLIENT_MODULE = "trellolens.trello.client"
OAUTH1_MODULE = "trellolens.trello.oauth1"
"""The modules that talk to Trello: ui asks trellolens.service (``service.visitors``) instead."""
CLIENT_IMPORTS_IN_UI: dict[str, str] = {}
"""ui modules that still reach the Trello client's module, each with its reason."""


def test_ui_reaches_trello_only_through_the_board_service(modules: Graph) -> None:
    reaching = {
        module
        for module, targets in modules.items()
        if module.startswith("trellolens.ui") and {CLIENT_MODULE, OAUTH1_MODULE} & targets
    }
    assert reaching - set(CLIENT_IMPORTS_IN_UI) == set(), "ui asks trellolens.service for boards"
    assert set(CLIENT_IMPORTS_IN_UI) - reaching == set(), "fixed: take it off the list"


def test_a_lazily_exported_name_counts_as_an_import_of_its_module(tmp_path: Path) -> None:
    src = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "trello/__init__.py": '_EXPORTS: dict[str, str] = {"Client": "trellolens.trello.web"}\n',
            "trello/web.py": "",
            "board/__init__.py": '_EXPORTS = {"Page": "trellolens.ui.page"}\n',
            "ui/__init__.py": "",
            "ui/page.py": "from trellolens.trello import Client\n",
        },
    )
    modules = import_graph(src, PACKAGE)
    assert modules["trellolens.ui.page"] == {"trellolens.trello.web"}  # the module, not the package
    assert modules["trellolens.board"] == {"trellolens.ui.page"}  # the lazy string itself
    assert upward_imports(unit_graph(modules), ALLOWED) == {("board", "ui")}
