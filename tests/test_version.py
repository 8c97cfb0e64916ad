"""One version source: pyproject.toml, read back from the installed package's metadata."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

from click.testing import CliRunner

import trellolens
from tests.helpers.paths import REPO_ROOT
from trellolens.cli.main import cli

SOURCE = REPO_ROOT / "src" / "trellolens"
VERSION_LITERAL = re.compile(r"""(__version__|VERSION)\s*(:\s*str\s*)?=\s*["']""")


def test_the_version_is_pyprojects_as_installed() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert version("trellolens") == project["project"]["version"]
    assert trellolens.__version__ == version("trellolens")


def test_the_command_line_says_the_same_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"trellolens, version {version('trellolens')}"


def test_no_module_writes_a_version_of_its_own() -> None:
    written = [
        str(path.relative_to(REPO_ROOT))
        for path in SOURCE.rglob("*.py")
        if VERSION_LITERAL.search(path.read_text(encoding="utf-8"))
    ]
    assert written == []
