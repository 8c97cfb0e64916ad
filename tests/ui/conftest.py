"""AppTest fixtures: the real app from streamlit_app.py, with no Trello credentials anywhere."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, LOCAL_BROWSER, TIMEOUT_SECONDS


@pytest.fixture(autouse=True)
def _browser_on_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest has no websocket: its runs carry the headers of a browser on localhost."""
    monkeypatch.setattr("trellolens.ui.access.gate.request_headers", lambda: dict(LOCAL_BROWSER))


@pytest.fixture
def app() -> AppTest:
    """The app, run once on its default page (Board overview), with no secrets configured."""
    for name in list(os.environ):  # the autouse fixture in tests/conftest.py restores them
        if name.startswith("TRELLO"):
            del os.environ[name]
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    assert not at.secrets
    return at.run()
