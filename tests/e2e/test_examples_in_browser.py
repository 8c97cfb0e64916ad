"""Both example apps in chromium, served by `streamlit run`, against the emulator's real server.

One app server per app and credential scenario: a secrets file, the environment, a .env file,
[connections.trello] with oauth_token, and nothing (the short "how to configure" error).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import REPO_ROOT, free_port
from tests.examples.scenarios import (
    APPS,
    BOARD,
    SCENARIO_IDS,
    SCENARIOS,
    Scenario,
    app_environment,
    assert_no_canary,
    emulator,
    write_files,
)

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20_000


@contextmanager
def serve_example(
    app: Path, workdir: Path, env: dict[str, str], python: str = sys.executable
) -> Iterator[str]:
    """`streamlit run app` from ``workdir`` on a free loopback port; yields its URL once healthy."""
    port = free_port()
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                python,
                "-m",
                "streamlit",
                "run",
                str(app),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process, log_path)
            yield url
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
            pytest.fail(f"streamlit exited early: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail("streamlit did not become healthy within 60 s")


def app_folder(tmp_path: Path) -> Path:
    """A project folder as a user has it: the repo's Streamlit config, no secrets yet."""
    config = tmp_path / ".streamlit" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    return tmp_path


def check_page(page: Any, scenario: Scenario) -> None:
    main = page.locator("[data-testid='stMain']")
    if scenario.configured:
        main.get_by_text(BOARD.name, exact=True).wait_for()
        assert main.locator("[data-testid='stAlert']").count() == 0
    else:
        alert = main.locator("[data-testid='stAlert']")
        alert.get_by_text("trellolens init").wait_for()
        text = alert.inner_text()
        assert "TRELLO_API_KEY" in text
        assert ".env" in text
        assert len(text) < 300  # three short lines, not a page of places
    body = page.locator("body").inner_text()
    assert "Traceback" not in body
    assert_no_canary(body)
    assert_no_canary(page.content())


@pytest.mark.parametrize("app", sorted(APPS), ids=sorted(APPS))
@pytest.mark.parametrize("scenario", SCENARIOS, ids=SCENARIO_IDS)
def test_example_in_the_browser(app: str, scenario: Scenario, browser: Any, tmp_path: Path) -> None:
    emu = emulator()
    workdir = app_folder(tmp_path)
    write_files(scenario, workdir)
    with emu.serve() as base_url:
        env = app_environment(scenario, base_url, dict(os.environ))
        with serve_example(APPS[app], workdir, env) as url:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            try:
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(url)
                check_page(page, scenario)
            finally:
                context.close()
    assert (emu.request_count > 0) is scenario.configured
    assert not any(request.credentials_in_url for request in emu.requests)
    assert_no_canary((workdir / "server.log").read_text())
