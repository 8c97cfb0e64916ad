"""A real Streamlit server and Debian's chromium, driven by Playwright (never a downloaded browser).

Servers, ports and chromium's flags: tests/helpers/servers.py and tests/helpers/browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS
from tests.helpers.servers import app_folder, clean_env, serve_app


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
