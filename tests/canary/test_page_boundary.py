"""The page boundary: an error id for the visitor, the traceback in the log, Streamlit's flow intact."""

from __future__ import annotations

import logging
import os
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, TIMEOUT_SECONDS, page_text
from trellolens.ui.page_boundary import MESSAGE

ERROR_ID = re.compile(r"error id ([0-9a-f]{8})\)")


def control_flow_script() -> None:
    import streamlit as st

    from trellolens.ui.page_boundary import page_boundary

    with page_boundary("test page"):
        runs = st.session_state.get("runs", 0) + 1
        st.session_state["runs"] = runs
        if runs == 1:
            st.rerun()  # a RerunException: must rerun, not become an error
        st.write(f"run {runs}")
        if runs > 1:
            st.stop()  # a StopException: must stop quietly
        st.write("after stop")


def failing_script() -> None:
    import streamlit as st

    from trellolens.ui.page_boundary import page_boundary

    def fail() -> None:
        raise KeyError("a detail the visitor must not read")

    st.title("before")
    with page_boundary("test page"):
        fail()
    st.write("after the boundary")


def test_rerun_and_stop_pass_through_the_boundary() -> None:
    at = AppTest.from_function(control_flow_script, default_timeout=TIMEOUT_SECONDS).run()
    assert not at.exception
    assert not at.error
    assert [m.value for m in at.markdown] == ["run 2"]


def test_an_exception_becomes_an_error_id_and_a_logged_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="trellolens.ui.page_boundary")
    at = AppTest.from_function(failing_script, default_timeout=TIMEOUT_SECONDS).run()
    assert not at.exception
    (error,) = at.error
    match = ERROR_ID.search(error.value)
    assert match is not None
    assert error.value == MESSAGE.format(error_id=match.group(1))
    assert "KeyError" not in error.value
    assert "must not read" not in error.value
    assert [m.value for m in at.markdown] == ["after the boundary"]  # the rest of the page runs
    (record,) = caplog.records
    assert f"(error id {match.group(1)})" in record.getMessage()
    assert "KeyError: 'a detail the visitor must not read'" in caplog.text


def test_error_ids_differ_per_failure() -> None:
    ids = {
        ERROR_ID.search(AppTest.from_function(failing_script).run().error[0].value).group(1)  # type: ignore[union-attr]
        for _ in range(3)
    }
    assert len(ids) == 3


def test_a_failing_sidebar_leaves_the_page_working(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith("TRELLO"):
            del os.environ[name]

    def broken_sidebar(connect_page: object) -> None:
        raise RuntimeError("the sidebar broke")

    monkeypatch.setattr("trellolens.ui.app.board_sidebar", broken_sidebar)
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS).run()
    assert not at.exception
    assert any(ERROR_ID.search(e.value) for e in at.error)
    assert "amirite" in page_text(at)  # the overview page still rendered the demo board
