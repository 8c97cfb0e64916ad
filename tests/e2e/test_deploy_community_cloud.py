"""Streamlit Community Cloud, step by step: a fresh virtual environment from ``requirements.txt``
alone, the TOML pasted into ``.streamlit/secrets.toml``, ``streamlit run streamlit_app.py``.

Slow (a few minutes on a cold pip cache): pip installs every pinned dependency into a new venv,
from the package registry or pip's cache, as Community Cloud does on each deploy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.paths import REPO_ROOT
from tests.helpers.platform import pick_live_board, start
from tests.helpers.servers import clean_env, free_port
from trellolens.testing import TokenSpec, TrelloEmulator, generate_board

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CANARY_KEY = "canary" + "c10d0c10d" * 3 + "KEY"
CANARY_TOKEN = "ATTA" + "CANARY" * 10 + "CLOUD"
BOARD = generate_board(lists=4, cards=20, actions=120, seed=11)
PIP_TIMEOUT_SECONDS = 900
LEFT_OUT = ("tests/", "bench/", "docs/")
"""Not needed to run the app; everything else a clone has is copied."""


def clone_of_this_repository(target: Path) -> Path:
    """The files a `git clone` would bring (tracked, plus new ones not yet committed)."""
    listed = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "ls-files", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        source = REPO_ROOT / name
        if name.startswith(LEFT_OUT) or not source.is_file():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    assert not (target / ".streamlit" / "secrets.toml").exists()
    return target


@pytest.fixture(scope="module")
def cloud_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone with a venv built by ``pip install -r requirements.txt`` and nothing else."""
    clone = clone_of_this_repository(tmp_path_factory.mktemp("community-cloud"))
    venv = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = clean_env()
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-r", "requirements.txt"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT_SECONDS,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    (clone / "venv").symlink_to(venv)
    return clone


def test_the_venv_holds_only_what_requirements_txt_brought(cloud_app: Path) -> None:
    python = cloud_app / "venv" / "bin" / "python"
    # trellolens comes from the installed package, not from the clone's src/ folder.
    where = subprocess.run(
        [str(python), "-c", "import trellolens, sys; print(trellolens.__file__)"],
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "site-packages" in where
    for test_tool in ("pytest", "playwright", "moto"):
        found = subprocess.run([str(python), "-c", f"import {test_tool}"], check=False)
        assert found.returncode != 0, f"{test_tool} is not a runtime dependency"


@pytest.fixture
def pasted_secrets(cloud_app: Path) -> Iterator[Path]:
    """The TOML a user pastes into Settings > Secrets (a private app: the platform gates it)."""
    secrets = cloud_app / ".streamlit" / "secrets.toml"
    secrets.touch(mode=0o600)
    secrets.write_text(
        f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n\n'
        '[trellolens]\naccess = "open"\n'
    )
    yield secrets
    secrets.unlink()


def test_streamlit_run_with_pasted_secrets_loads_the_board(
    browser: Any, cloud_app: Path, pasted_secrets: Path
) -> None:
    emulator = TrelloEmulator(boards=[BOARD], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    port = free_port()
    home = cloud_app.parent / "home"
    home.mkdir(exist_ok=True)
    with emulator.serve() as base_url:
        env = clean_env() | {
            "HOME": str(home),
            "PATH": f"{cloud_app / 'venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "TRELLO_API_BASE_URL": base_url,  # the emulator's address: not a credential
        }
        assert not any(name.startswith("TRELLO_API_KEY") for name in env)
        command = f"streamlit run streamlit_app.py --server.port {port} --server.headless true"
        with start(command, cwd=cloud_app, env=env, port=port) as url:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(30_000)
            try:
                pick_live_board(page, url, BOARD)
                for text in (page.locator("body").inner_text(), page.content()):
                    assert CANARY_TOKEN not in text
                    assert CANARY_KEY not in text
            finally:
                page.context.close()
    log = (cloud_app / "platform.log").read_text()
    assert CANARY_TOKEN not in log
    assert any(f"/boards/{BOARD.id}" in request.path for request in emulator.requests)
