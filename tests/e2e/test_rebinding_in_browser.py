"""DNS rebinding: the loopback app reached under another name shows no live board.

Chromium's ``--host-resolver-rules`` makes ``rebind.example`` resolve to 127.0.0.1, exactly as
an attacker's DNS would after the page loaded: the request reaches the loopback-bound server with
``Host: rebind.example:<port>`` and the websocket with that ``Origin``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.test_live_boards_in_browser import (
    BOARD,
    TIMEOUT_MS,
    LiveApp,
    assert_no_canary,
    live_app,  # noqa: F401 (fixture)
)
from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.e2e

REBIND_HOST = "rebind.example"


@pytest.fixture
def rebinding_browser(browser: Any) -> Iterator[Any]:
    """A second chromium from the session's Playwright (only one may run per thread)."""
    rules = f"--host-resolver-rules=MAP {REBIND_HOST} 127.0.0.1"
    launched = browser.browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, rules])
    yield launched
    launched.close()


def open_connect(browser: Any, url: str) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{url}/connect")
    return page


def test_another_host_name_gets_no_live_board(
    rebinding_browser: Any,
    live_app: LiveApp,  # noqa: F811
) -> None:
    port = urlsplit(live_app.url).port
    page = open_connect(rebinding_browser, f"http://{REBIND_HOST}:{port}")
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("not this computer's").wait_for()
    assert page.get_by_text("Your boards").count() == 0
    assert BOARD.name not in page.content()
    assert not live_app.emulator.requests, "Trello was asked for something for a rebinding page"
    assert_no_canary(page)
    page.context.close()

    # The same server under its loopback name still shows the boards (the rule is the name).
    page = open_connect(rebinding_browser, f"http://localhost:{port}")
    page.get_by_text("Your boards (1)").wait_for()  # the sidebar's picker
    page.context.close()
