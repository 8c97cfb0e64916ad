"""Settings are read once, by ``trellolens.settings``, and handed down.

No module of src/trellolens outside ``trellolens.settings`` reads a ``TRELLO*``/``TRELLOLENS_*``
variable from the environment: not through ``os.environ``/``os.getenv``, not through a mapping of
the environment passed around (a parameter named ``environ``/``env``), not by scanning the
environment's names, not by handing ``os.environ`` itself to a function. The exceptions are below, each with its reason.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.paths import REPO_ROOT

SOURCE = REPO_ROOT / "src" / "trellolens"
SETTINGS_PACKAGE = SOURCE / "settings"
PREFIX = "TRELLO"
ENVIRONMENT_NAMES = frozenset({"environ", "env", "environment"})
"""Names this codebase gives a mapping of the environment (a parameter, a local)."""

EXCEPTIONS: dict[str, str] = {
    "credentials/sources/environment.py": (
        "the environment source: reading the credentials (TRELLO_API_KEY, TRELLO_TOKEN, "
        "TRELLO_<PROFILE>_...) from the environment is its job; credentials never go into Settings"
    ),
    "doctor/checks_credentials.py": (
        "the doctor lists the profiles the environment holds credentials for, by the names of "
        "TRELLO_<PROFILE>_API_KEY-style credential variables (names only, no setting)"
    ),
    "doctor/checks_files.py": (
        "runs git with the environment it was given, less git's own location variables "
        "(GIT_DIR...): it copies every name to the child process and reads no setting"
    ),
    "ui/data/cache.py": (
        "the Security page's cached doctor report is keyed by a digest of the TRELLO*/AWS_*/... "
        "variables (secret-like ones by name only), so a changed environment runs the doctor "
        "again; it reads no setting from them"
    ),
}
"""Module (under src/trellolens) -> why it may touch TRELLO* variables of the environment."""


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` constants and ``from x import NAME`` strings."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            module = importlib.import_module(node.module)
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if isinstance(value, str):
                    found[alias.asname or alias.name] = value
    return found


def _text(node: ast.expr, strings: dict[str, str]) -> str | None:
    """The string ``node`` stands for, when it is a literal or a module constant (an f-string:
    its literal start)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return strings.get(node.id)
    if isinstance(node, ast.JoinedStr) and node.values:
        return _text(node.values[0], strings) if isinstance(node.values[0], ast.Constant) else ""
    return None


def _is_environment(node: ast.expr) -> bool:
    """``os.environ``, or a name this codebase gives a mapping of the environment."""
    if isinstance(node, ast.Attribute):
        return node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"
    return isinstance(node, ast.Name) and node.id in ENVIRONMENT_NAMES


def _reads(tree: ast.Module, strings: dict[str, str]) -> Iterator[tuple[int, str]]:
    """(line, what) for every read of a TRELLO* variable, or scan of the names, of the
    environment in ``tree``."""

    def trello(node: ast.expr) -> bool:
        text = _text(node, strings)
        return text is not None and text.upper().startswith(PREFIX)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            func = node.func
            getenv = func.attr == "getenv" and isinstance(func.value, ast.Name)
            from_environment = func.attr in ("get", "pop", "setdefault") and _is_environment(
                func.value
            )
            if (getenv or from_environment) and trello(node.args[0]):
                yield node.lineno, ast.unparse(node)
        if isinstance(node, ast.Subscript) and _is_environment(node.value) and trello(node.slice):
            yield node.lineno, ast.unparse(node)
        environment = isinstance(node, ast.Compare) and any(map(_is_environment, node.comparators))
        if isinstance(node, ast.Compare) and environment and trello(node.left):
            yield node.lineno, ast.unparse(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            scan = node.func.attr in ("items", "keys") and _is_environment(node.func.value)
            if scan:  # every name: a TRELLO* one may be among them
                yield node.lineno, ast.unparse(node)
        if isinstance(node, ast.Call) and any(_hands_on(arg) for arg in node.args):
            yield node.lineno, ast.unparse(node)  # whoever is handed it may read any name


def _hands_on(node: ast.expr) -> bool:
    """``os.environ`` itself given as an argument (or as either side of ``a if c else b``)."""
    if isinstance(node, ast.IfExp):
        return _hands_on(node.body) or _hands_on(node.orelse)
    return isinstance(node, ast.Attribute) and _is_environment(node) and node.attr == "environ"


def environment_reads(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), str(path))
    return sorted(set(_reads(tree, _module_strings(tree))))


def _modules() -> list[Path]:
    return sorted(path for path in SOURCE.rglob("*.py") if SETTINGS_PACKAGE not in path.parents)


def test_only_settings_read_trello_variables_from_the_environment() -> None:
    found = {
        str(path.relative_to(SOURCE)): reads
        for path in _modules()
        if (reads := environment_reads(path))
    }
    unexpected = {name: reads for name, reads in found.items() if name not in EXCEPTIONS}
    assert unexpected == {}, "read it through trellolens.settings and pass it down"
    stale = set(EXCEPTIONS) - set(found)
    assert stale == set(), "no longer reads the environment: take it off EXCEPTIONS"


@pytest.mark.parametrize(
    "line",
    [
        'os.environ.get("TRELLOLENS_REDIS_URL", "")',
        "os.environ[VARIABLE]",
        'os.getenv("TRELLO_API_BASE_URL")',
        '"TRELLOLENS_PUBLIC" in os.environ',
        "environ.get(VARIABLE)",
        'env.get(f"TRELLO_{profile}_TOKEN")',
        "[name for name, _ in os.environ.items()]",
        "read_variables(os.environ, profile)",
    ],
)
def test_the_checker_finds_each_way_of_reading(tmp_path: Path, line: str) -> None:
    module = tmp_path / "planted.py"
    module.write_text(f'import os\nVARIABLE = "TRELLOLENS_ADMINS"\nprofile = "x"\nvalue = {line}\n')
    assert [number for number, _ in environment_reads(module)] == [4]


def test_the_checker_leaves_other_variables_and_mappings_alone(tmp_path: Path) -> None:
    module = tmp_path / "planted.py"
    module.write_text(
        "import os\n"
        'region = os.environ.get("AWS_REGION")\n'
        'port = os.getenv("STREAMLIT_SERVER_PORT")\n'
        'key = table.get("TRELLO_API_KEY")\n'  # a secrets table, not the environment
    )
    assert environment_reads(module) == []
