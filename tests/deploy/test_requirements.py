"""requirements.txt, what Community Cloud and Heroku install: the package and its locked runtime.

tests/packaging/test_lock.py checks it is exactly what uv.lock gives; here, what a platform needs."""

from __future__ import annotations

import tomllib

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name

from tests.helpers.paths import REPO_ROOT

REQUIREMENTS = REPO_ROOT / "requirements.txt"


def requirement_lines() -> list[str]:
    lines = []
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            lines.append(text)
    return lines


def runtime_dependencies() -> dict[NormalizedName, Requirement]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = (Requirement(text) for text in project["project"]["dependencies"])
    return {canonicalize_name(req.name): req for req in requirements}


def test_the_package_itself_is_installed_from_the_repository_after_its_dependencies() -> None:
    assert requirement_lines()[-1] == "."


def test_every_runtime_dependency_is_pinned_within_pyproject_ranges() -> None:
    pins = {
        canonicalize_name(req.name): req
        for req in (Requirement(line) for line in requirement_lines() if line != ".")
    }
    for name, wanted in runtime_dependencies().items():
        assert name in pins, f"pyproject.toml needs {wanted}: add `{wanted.name}==<version>`"
        (spec,) = pins[name].specifier
        assert spec.operator == "==", f"pin {name} exactly in requirements.txt, not {spec}"
        assert wanted.specifier.contains(spec.version), f"{name}=={spec.version} is not {wanted}"
    for tool in ("pytest", "mypy", "moto", "playwright", "uv", "hatchling", "boto3"):
        assert tool not in pins, f"requirements.txt installs {tool}, which the app does not need"
