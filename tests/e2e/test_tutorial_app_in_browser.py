"""The tutorial-style py-trello app in chromium, against both real exports served by the emulator:
every open card with its labels (the 2014 export's labels have no ids of their own)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_examples_in_browser import serve_example
from tests.examples.scenarios import KEY, SOURCES, TOKEN, assert_no_canary
from tests.examples.test_real_exports import EXPORT_FILES, TUTORIAL_APP, export
from tests.helpers.servers import with_streamlit_config
from trellolens.testing import TokenSpec, TrelloEmulator

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 60_000


def test_the_tutorial_app_lists_both_real_boards_with_card_labels(
    browser: Any, tmp_path: Path
) -> None:
    emu = TrelloEmulator(boards=EXPORT_FILES, key=KEY, tokens=[TokenSpec(TOKEN)])
    workdir = with_streamlit_config(tmp_path)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLO", "AWS_"))}
    with emu.serve() as base_url:
        env = base | {
            "TRELLO_API_KEY": KEY,
            "TRELLO_OAUTH_TOKEN": TOKEN,
            "TRELLO_API_BASE_URL": base_url,
            "TRELLOLENS_SOURCES": SOURCES,
        }
        with serve_example(TUTORIAL_APP, workdir, env) as url:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            try:
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(url)
                main = page.locator("[data-testid='stMain']")
                for path in EXPORT_FILES:
                    main.get_by_text(export(path)["name"], exact=True).wait_for()
                main.get_by_text("labels: Client").first.wait_for()  # a 2014 card label
                body = main.inner_text()
            finally:
                context.close()
    assert "Traceback" not in body
    assert "KeyError" not in body
    assert_no_canary(body)
    assert_no_canary((workdir / "server.log").read_text())
