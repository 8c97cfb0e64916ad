"""requirements.txt, what Community Cloud and Heroku install: the package and its pinned runtime."""

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


def test_the_package_itself_is_installed_from_the_repository() -> None:
    assert "." in requirement_lines()


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
    assert set(pins) == set(runtime_dependencies()), "requirements.txt pins a non-runtime package"
