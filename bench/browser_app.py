"""`trellolens run` as its own process and Debian's chromium flags, for bench/app_browser.py.

(The tests have their own fixtures for the same; a benchmark imports nothing from tests/.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

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
HEALTH_PATH = "/_stcore/health"


def clean_env() -> dict[str, str]:
    """The server's environment, without the Trello or AWS credentials of whoever runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLO", "AWS_"))}
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_app(workdir: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """`trellolens run` from ``workdir`` on a free loopback port: yields (URL, server pid)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "trellolens.cli", "run", "--server.port", str(port)]
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--server.headless", "true"],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(url, process, log_path)
            yield url, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the app exited early: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(url + HEALTH_PATH, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the app was not healthy within 60 s: {log_path.read_text()[-2000:]}")
