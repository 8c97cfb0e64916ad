"""The built wheel, installed into a fresh venv as a user would: its CLI, its app, both examples.

Nothing of the repository is importable there: the venv sees only what the wheel ships.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest

from tests.examples.scenarios import (
    APPS,
    BOARD,
    SCENARIOS,
    app_environment,
    assert_no_canary,
    assert_short_setup_error,
    emulator,
)
from tests.helpers.paths import REPO_ROOT
from tests.helpers.servers import free_port

pytestmark = pytest.mark.wheel
INSTALL_TIMEOUT = 900
APPTEST_DRIVER = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=60).run()
print(json.dumps({
    "text": [t.value for t in at.text],
    "error": [e.value for e in at.error],
    "exception": [e.value for e in at.exception],
}))
"""


def user_environment() -> dict[str, str]:
    """The environment of a user's shell: no venv of ours, no path into the repository."""
    hidden = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    return {
        k: v
        for k, v in os.environ.items()
        if k not in hidden and not k.startswith(("TRELLO", "AWS_"))
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO_ROOT)],
        check=True,
        capture_output=True,
        timeout=INSTALL_TIMEOUT,
    )
    (built,) = dist.glob("trellolens-*.whl")
    return built


@pytest.fixture(scope="module")
def venv_bin(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[py-trello]"],
        capture_output=True,
        text=True,
        env=user_environment(),
        timeout=INSTALL_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A user's empty project folder, far from the repository."""
    return tmp_path


def test_metadata_has_project_urls_a_compatible_py_trello_and_the_template(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"trellolens-{version('trellolens')}.dist-info/METADATA").decode()
        names = set(archive.namelist())
    for label in ("Homepage", "Documentation", "Changelog", "Issues"):
        assert f"Project-URL: {label}, https://github.com/trellolens/trellolens" in metadata
    assert "Requires-Dist: py-trello~=0.20; extra == 'py-trello'" in metadata
    assert "trellolens/templates/secrets.toml.template" in names
    assert "trellolens/templates/config.toml" in names  # what `trellolens init` writes
    assert "trellolens/ui/icon.png" in names  # our own favicon: no font host asked
    assert "trellolens/py.typed" in names
    assert not any(name.startswith(("tests/", "examples/")) for name in names)


def test_the_installed_package_is_the_wheel_and_help_works(venv_bin: Path, workdir: Path) -> None:
    where = subprocess.run(
        [str(venv_bin / "python"), "-c", "import trellolens; print(trellolens.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=workdir,
        env=user_environment(),
    )
    assert where.stdout.startswith(str(venv_bin.parent))
    helped = subprocess.run(
        [str(venv_bin / "trellolens"), "--help"],
        capture_output=True,
        text=True,
        cwd=workdir,
        env=user_environment(),
        timeout=60,
    )
    assert helped.returncode == 0, helped.stderr
    for command in ("init", "secrets", "run", "credentials"):
        assert f"  {command} " in helped.stdout
    template = subprocess.run(
        [str(venv_bin / "trellolens"), "secrets", "template"],
        capture_output=True,
        text=True,
        cwd=workdir,
        env=user_environment(),
        timeout=60,
    )
    assert "[trello]\n" in template.stdout


@pytest.fixture
def dashboard(venv_bin: Path, workdir: Path) -> Iterator[str]:
    port = free_port()
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [
            str(venv_bin / "trellolens"),
            "run",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=workdir,
        env=user_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_trellolens_run_serves_a_healthy_dashboard(dashboard: str, workdir: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            health = httpx.get(f"{dashboard}/_stcore/health", timeout=1)
            if health.status_code == 200:
                assert health.text == "ok"
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"no health answer: {(workdir / 'server.log').read_text()[-2000:]}")


@pytest.mark.parametrize("app", sorted(APPS), ids=sorted(APPS))
def test_both_examples_run_on_the_installed_wheel(app: str, venv_bin: Path, workdir: Path) -> None:
    by_name = {scenario.name: scenario for scenario in SCENARIOS}
    emu = emulator()
    with emu.serve() as base_url:
        results = {}
        for name in ("environment", "none"):
            done = subprocess.run(
                [str(venv_bin / "python"), "-c", APPTEST_DRIVER, str(APPS[app])],
                capture_output=True,
                text=True,
                cwd=workdir,
                env=app_environment(by_name[name], base_url, user_environment()),
                timeout=180,
            )
            assert done.returncode == 0, done.stderr[-3000:]
            assert_no_canary(done.stdout + done.stderr)
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    assert results["environment"] == {"text": [BOARD.name], "error": [], "exception": []}
    (error,) = results["none"]["error"]
    assert_short_setup_error(error)
    assert not results["none"]["exception"]
