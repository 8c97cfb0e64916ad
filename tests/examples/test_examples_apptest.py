"""Both example apps under AppTest, against the emulator's real server, in every scenario."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from tests.examples.scenarios import (
    APPS,
    BOARD,
    SCENARIO_IDS,
    SCENARIOS,
    SECRETS_FILE,
    Scenario,
    app_environment,
    assert_no_canary,
    assert_short_setup_error,
    emulator,
    write_files,
)
from tests.ui.test_page_connect import everything_rendered
from trellolens.testing import TrelloEmulator

TIMEOUT_SECONDS = 30


@pytest.fixture(autouse=True)
def _fresh_secrets() -> Iterator[None]:
    """Streamlit's process-wide st.secrets forgets the files of other tests."""
    from streamlit.runtime.secrets import secrets_singleton

    secrets_singleton._reset()
    yield
    secrets_singleton._reset()


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[TrelloEmulator, str]]:
    emu = emulator()
    with emu.serve() as base_url:
        yield emu, base_url


def run_example(app: Path, scenario: Scenario, workdir: Path, base_url: str) -> AppTest:
    """Run ``app`` from ``workdir`` as Streamlit would: files there, st.secrets from the file."""
    write_files(scenario, workdir)
    env = app_environment(scenario, base_url, dict(os.environ))
    os.environ.clear()  # tests/conftest.py restores it
    os.environ.update(env)
    os.chdir(workdir)
    secrets = workdir / SECRETS_FILE
    at = AppTest.from_file(str(app), default_timeout=TIMEOUT_SECONDS)
    if secrets.is_file():
        at.secrets.update(tomllib.loads(secrets.read_text()))
    with patch_config_options({"secrets.files": [str(secrets)]}):
        return at.run()


@pytest.mark.parametrize("app", sorted(APPS), ids=sorted(APPS))
@pytest.mark.parametrize("scenario", SCENARIOS, ids=SCENARIO_IDS)
def test_example_lists_the_boards_or_says_how_to_configure(
    app: str,
    scenario: Scenario,
    served: tuple[TrelloEmulator, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emu, base_url = served
    monkeypatch.chdir(tmp_path)  # restored after the test
    st.cache_resource.clear()  # each scenario is a fresh app: TrelloConnection's BoardService
    st.cache_data.clear()  # keeps its boards()
    before = emu.request_count
    at = run_example(APPS[app], scenario, tmp_path, base_url)
    assert not at.exception
    if scenario.configured:
        assert [text.value for text in at.text] == [BOARD.name]
        assert not at.error
        assert emu.request_count > before
    else:
        (error,) = at.error
        assert_short_setup_error(error.value)
        assert emu.request_count == before
    assert not any(request.credentials_in_url for request in emu.requests)
    assert_no_canary(everything_rendered(at))
    if scenario.name == ".env":
        assert "TRELLO_API_KEY" not in os.environ  # read, never exported
