"""Real app servers on loopback: start a command, wait for Streamlit's health check, stop it.

One way to start them all: ``trellolens run`` (``serve_app``), a hosting platform's shell command
(``tests.helpers.platform.start``) and ``streamlit run`` of an example app.
"""

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

from tests.helpers.paths import REPO_ROOT

HEALTH_PATH = "/_stcore/health"


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
def serving(
    command: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    port: int,
    log_name: str = "server.log",
    timeout: float = 60,
) -> Iterator[str]:
    """Run ``command`` in ``cwd`` (output to ``cwd/log_name``); yield ``http://127.0.0.1:port``
    once it answers healthy; stop it afterwards."""
    log_path = cwd / log_name
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_healthy(url, process, log_path, timeout)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_healthy(
    url: str, process: subprocess.Popen[bytes], log_path: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited early: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(url + HEALTH_PATH, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"the app was not healthy within {timeout:.0f} s: {log_path.read_text()[-2000:]}")


@contextmanager
def serve_app(workdir: Path, env: dict[str, str], port: int | None = None) -> Iterator[str]:
    """`trellolens run` from ``workdir`` on a free loopback port; yields its URL once healthy."""
    port = port or free_port()
    command = [sys.executable, "-m", "trellolens.cli", "run", "--server.port", str(port)]
    with serving([*command, "--server.headless", "true"], cwd=workdir, env=env, port=port) as url:
        yield url


def with_streamlit_config(workdir: Path) -> Path:
    """``workdir`` with the repo's .streamlit/config.toml and no secrets file, as a user has it."""
    shutil.copytree(REPO_ROOT / ".streamlit", workdir / ".streamlit", dirs_exist_ok=True)
    (workdir / ".streamlit" / "secrets.toml").unlink(missing_ok=True)
    return workdir


def app_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A fresh folder with the repo's .streamlit/config.toml and no secrets file."""
    return with_streamlit_config(tmp_path_factory.mktemp(name))
