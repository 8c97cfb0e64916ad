"""One lock for every machine: uv.lock agrees with pyproject.toml, the generated requirements
files agree with uv.lock, and the environment running these tests is exactly the lock."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tomllib
from importlib.metadata import distributions
from pathlib import Path
from typing import Any

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers.paths import REPO_ROOT

LOCK = REPO_ROOT / "uv.lock"
UV = Path(sys.executable).parent / "uv"
EXPORT_FLAGS = ("--no-hashes", "--no-header", "--no-annotate", "--no-emit-project")
Spec = tuple[str, frozenset[str], str, str]
"""A requirement as both files can state it: name, extras, version specifier, marker."""


def pyproject() -> dict[str, Any]:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def lock() -> dict[str, Any]:
    return tomllib.loads(LOCK.read_text(encoding="utf-8"))


def from_pyproject(text: str) -> Spec:
    req = Requirement(text)
    marker = str(req.marker) if req.marker else ""
    return canonicalize_name(req.name), frozenset(req.extras), str(req.specifier), marker


def from_lock(entry: dict[str, Any]) -> Spec:
    extras = entry.get("extras", [])
    text = entry["name"] + (f"[{','.join(extras)}]" if extras else "")
    text += entry.get("specifier", "")
    if "marker" in entry:
        text += f"; {entry['marker']}"
    return from_pyproject(text)


def group(groups: dict[str, list[Any]], name: str) -> set[Spec]:
    """A dependency group of pyproject.toml with its ``include-group`` entries expanded."""
    specs: set[Spec] = set()
    for item in groups[name]:
        specs |= (
            group(groups, item["include-group"])
            if isinstance(item, dict)
            else {from_pyproject(item)}
        )
    return specs


def root_package() -> dict[str, Any]:
    packages: list[dict[str, Any]] = lock()["package"]
    (root,) = [p for p in packages if p["source"].get("editable") == "."]
    return root


def test_the_lock_records_exactly_the_dependencies_pyproject_declares() -> None:
    project = pyproject()["project"]
    metadata = root_package()["metadata"]
    declared = {from_pyproject(text) for text in project["dependencies"]}
    for extra, texts in project["optional-dependencies"].items():
        declared |= {from_pyproject(f"{text}; extra == '{extra}'") for text in texts}
    locked = {from_lock(entry) for entry in metadata["requires-dist"]}
    assert declared == locked, "pyproject.toml and uv.lock disagree: run `make lock`"


def test_the_lock_records_every_dependency_group_as_declared() -> None:
    groups = pyproject()["dependency-groups"]
    locked = root_package()["metadata"]["requires-dev"]
    assert set(groups) == set(locked), "a dependency group is missing from uv.lock: `make lock`"
    for name in groups:
        assert group(groups, name) == {from_lock(e) for e in locked[name]}, f"group {name}"


def test_the_lock_covers_linux_and_every_supported_python() -> None:
    locked = lock()
    assert locked["requires-python"] == pyproject()["project"]["requires-python"] == ">=3.11"
    assert "sys_platform == 'linux'" in pyproject()["tool"]["uv"]["environments"]
    for package in locked["package"]:
        files = [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
        if package["source"].get("registry"):
            assert files, package["name"]
            assert all(f["hash"].startswith("sha256:") for f in files), package["name"]


def test_uv_builds_the_project_with_the_locked_build_backend() -> None:
    constraints = pyproject()["tool"]["uv"]["build-constraint-dependencies"]
    pinned = {
        canonicalize_name(Requirement(c).name): str(Requirement(c).specifier) for c in constraints
    }
    locked = locked_selection("--only-group", "build")
    assert pinned == {name: f"=={version}" for name, version in locked.items()}, "make lock"


def test_the_generated_requirements_files_are_what_the_lock_gives() -> None:
    checked = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "lock.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def locked_selection(*selection: str) -> dict[str, str]:
    """Name -> version of what uv.lock installs here for ``selection`` (markers evaluated)."""
    exported = subprocess.run(
        [str(UV), "export", "--frozen", *EXPORT_FLAGS, *selection],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    pins: dict[str, str] = {}
    for line in exported.splitlines():
        if line.strip() and not line.startswith("#"):
            req = Requirement(line)
            if req.marker is None or Marker(str(req.marker)).evaluate():
                pins[canonicalize_name(req.name)] = str(req.specifier).removeprefix("==")
    return pins


def test_this_environment_holds_exactly_the_locked_versions() -> None:
    print(f"uv.lock sha256 {hashlib.sha256(LOCK.read_bytes()).hexdigest()}")
    wanted = locked_selection("--extra", "aws", "--group", "test")
    bench_only = locked_selection("--only-group", "bench").keys() - wanted.keys()
    installed: dict[str, str] = {
        canonicalize_name(dist.metadata["Name"]): dist.version for dist in distributions()
    }
    installed.pop(canonicalize_name("trellolens"))
    for seed in ("pip", "setuptools"):  # what `python -m venv` seeds from the Python itself
        installed.pop(canonicalize_name(seed), None)
    for name in bench_only:
        installed.pop(name, None)
    differ = {
        name: (installed.get(name), wanted.get(name))
        for name in installed.keys() | wanted.keys()
        if installed.get(name) != wanted.get(name)
    }
    assert differ == {}, "installed vs locked differ: run `make test` again (it syncs the venv)"
