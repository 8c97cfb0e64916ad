"""A real Streamlit server and Debian's chromium, driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TRELLOLENS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env() -> dict[str, str]:
    """The server's environment, without any Trello credential of the developer running the tests."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLO", "AWS_"))}
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    return env


@contextmanager
def serve_app(workdir: Path, env: dict[str, str], port: int | None = None) -> Iterator[str]:
    """`trellolens run` from ``workdir`` on a free loopback port; yields its URL once healthy."""
    port = port or free_port()
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trellolens.cli",
            "run",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(
                    f"streamlit exited early: {(workdir / 'server.log').read_text()[-2000:]}"
                )
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        else:
            pytest.fail("streamlit did not become healthy within 60 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def app_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A fresh folder with the repo's .streamlit/config.toml and no secrets file."""
    workdir = tmp_path_factory.mktemp(name)
    shutil.copytree(REPO_ROOT / ".streamlit", workdir / ".streamlit", dirs_exist_ok=True)
    (workdir / ".streamlit" / "secrets.toml").unlink(missing_ok=True)
    return workdir


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`trellolens run` serving the app on a free loopback port, from a folder with no secrets file."""
    with serve_app(app_folder(tmp_path_factory, "app"), clean_env()) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
