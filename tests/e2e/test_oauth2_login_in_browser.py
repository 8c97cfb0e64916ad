"""`trellolens login` driven in Debian's chromium: consent on the emulator's page, then the
loopback redirect finishes the sign-in and the refresh token lands in the secrets file."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.helpers.oauth2_login import start_login
from tests.testing.emulator_support import make_emulator
from trellolens.testing import TrelloEmulator
from trellolens.trello.oauth2_store import SecretsFileStore

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20_000


@pytest.fixture
def auth() -> Iterator[tuple[TrelloEmulator, str]]:
    emulator = make_emulator()
    emulator.oauth2.register_client(CLIENT_ID, CLIENT_SECRET)
    with emulator.serve() as base_url:
        yield emulator, emulator.oauth2.base_url(base_url)


def test_consent_in_chromium_finishes_the_login(
    browser: Any, auth: tuple[TrelloEmulator, str], tmp_path: Path
) -> None:
    emulator, auth_base = auth
    path = tmp_path / "secrets.toml"
    process, url = start_login(auth_base, "--secrets-file", str(path))
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="Allow access to Trello?").wait_for(timeout=TIMEOUT_MS)
        page.get_by_role("button", name="Allow as Emulator User (@emulator)").click()
        page.get_by_text("Signed in to Trello").wait_for(timeout=TIMEOUT_MS)
        assert page.url.startswith("http://127.0.0.1:")
        assert "/callback?" in page.url
    finally:
        context.close()
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = SecretsFileStore(path).read()
    assert stored is not None
    with emulator.oauth2.lock:
        assert stored.reveal() in emulator.oauth2.refresh
    assert stored.reveal() not in out + err
