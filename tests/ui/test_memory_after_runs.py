"""Every run of the app hands the C allocator's freed pages back to the system once it is drawn,
even a run that a page stopped: a big board's tables would otherwise leave the server's resident
memory at their peak (bench/memory.py)."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import PAGES


def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def release() -> bool:
        calls.append(1)
        return True

    monkeypatch.setattr("trellolens.ui.app.release_freed_memory", release)
    return calls


def test_each_run_releases_freed_memory_once(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counted(monkeypatch)
    app.run()
    assert calls == [1]
    app.switch_page(str(PAGES / "cards.py")).run()
    assert not app.exception
    assert calls == [1, 1]


def test_a_run_a_page_stops_releases_it_too(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counted(monkeypatch)
    drawn: list[str] = []

    def stops(*_args: object) -> None:
        drawn.append("stopped")
        st.stop()  # Streamlit's control flow: not an Exception, no boundary catches it

    monkeypatch.setattr("trellolens.ui.app.keep_board_in_url", stops)
    app.run()
    assert drawn == ["stopped"]
    assert calls == [1]
