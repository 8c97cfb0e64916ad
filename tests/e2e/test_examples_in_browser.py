"""Both example apps in chromium, served by `streamlit run`, against the emulator's real server.

One app server per app and credential scenario: a secrets file, the environment, a .env file,
[connections.trello] with oauth_token, and nothing (the short "how to configure" error).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

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
from tests.helpers.servers import free_port, serving, with_streamlit_config

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20_000


@contextmanager
def serve_example(
    app: Path, workdir: Path, env: dict[str, str], python: str = sys.executable
) -> Iterator[str]:
    """`streamlit run app` from ``workdir`` on a free loopback port; yields its URL once healthy."""
    port = free_port()
    command = [python, "-m", "streamlit", "run", str(app), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false"]
    with serving(command, cwd=workdir, env=env, port=port) as url:
        yield url


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
    workdir = with_streamlit_config(tmp_path)
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
