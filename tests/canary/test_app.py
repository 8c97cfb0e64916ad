"""The app under AppTest, on every error path, with canaries in every source: none is shown.

Each test seeds the environment and AWS (moto over HTTP) with canary credentials, gives the app
more in ``st.secrets`` or a secrets file, points it at the Trello emulator's real server (or a
hostile server echoing credentials), and checks every rendered element, session state, exception,
CSV download, log record and byte on stdout/stderr.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.canary.harness import (
    WRONG_KEY,
    Canaries,
    Evidence,
    echoing_server,
    secrets_files,
)
from tests.helpers.apptest import (
    APP_SCRIPT,
    CARDS_PAGE,
    OPEN_EXPORT_PAGE,
    OVERVIEW_PAGE,
    page_text,
    shown,
)
from tests.helpers.canaries import write_secrets
from tests.ui.test_page_connect import CONNECT_PAGE, everything_rendered
from trellolens.testing import TrelloEmulator
from trellolens.ui.data.board_source import LIVE_KEY, LiveBoardRef
from trellolens.ui.views.tables import CARD_COLUMNS

TIMEOUT_SECONDS = 30
ERROR_ID_MESSAGE = "Something went wrong on this page (error id "

pytestmark = pytest.mark.aws


@pytest.fixture
def trello(canaries: Canaries) -> Iterator[tuple[TrelloEmulator, str]]:
    emulator = canaries.emulator()
    with emulator.serve() as base_url:
        yield emulator, base_url


def run_app(
    evidence: Evidence,
    page: str,
    base_url: str,
    secrets_file: Path,
    *,
    secrets: dict[str, str] | None = None,
    live_board: str | None = None,
) -> AppTest:
    """One run of the real app on ``page``; everything it rendered goes into ``evidence``."""
    os.environ["TRELLO_API_BASE_URL"] = base_url
    os.environ["TRELLOLENS_ACCESS"] = "open"  # the gate itself: tests/ui/test_access_gate.py
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    if secrets is not None:
        at.secrets["trello"] = secrets
    if live_board is not None:
        at.session_state[LIVE_KEY] = LiveBoardRef(live_board, "Canary board")
    at.switch_page(page)
    with secrets_files([secrets_file]):
        at.run()
    collect(evidence, at)
    return at


def collect(evidence: Evidence, at: AppTest) -> None:
    evidence.add("rendered elements and session state", everything_rendered(at))
    evidence.add("page text", visible(at))
    for table in at.dataframe:
        evidence.add("dataframe", table.value.to_csv())
    for exception in at.exception:
        evidence.add("st.exception", f"{exception.message} {exception.stack_trace}")


def visible(at: AppTest) -> str:
    """What a visitor reads: titles, captions, markdown, alerts (warnings too) and metrics."""
    alerts = [str(alert.value) for alert in (*at.warning, *at.toast)]
    return page_text(at) + "\n" + "\n".join(alerts)


def board_id(emulator: TrelloEmulator) -> str:
    (first,) = emulator.board_ids
    return first


# --- credentials: missing, invalid TOML, refused -------------------------------------------


def test_missing_credentials(evidence: Evidence, trello: Any, tmp_path: Path) -> None:
    os.environ.pop("TRELLO_OAUTH_TOKEN")
    os.environ["TRELLOLENS_SOURCES"] = "streamlit,env"
    at = run_app(evidence, CONNECT_PAGE, trello[1], tmp_path / "absent.toml")
    assert "Missing for profile **development**: token" in visible(at)
    evidence.verify()


def test_invalid_toml(evidence: Evidence, trello: Any, tmp_path: Path) -> None:
    canaries = evidence.canaries
    broken = write_secrets(tmp_path / "secrets.toml", canaries.toml().replace('"', "", 3))
    at = run_app(evidence, CONNECT_PAGE, trello[1], broken)
    assert "secrets.toml" in visible(at)
    assert not at.exception
    evidence.verify()


@pytest.mark.parametrize(
    ("refused", "expected"),
    [
        ("key", "Trello does not accept the API key (asking for "),
        (
            "token",
            "Trello refused the token: it is not valid (wrong, revoked, or made for another API key)",
        ),
    ],
)
def test_credentials_trello_refuses(
    refused: str, expected: str, evidence: Evidence, trello: Any, tmp_path: Path
) -> None:
    canaries = evidence.canaries
    table = canaries.trello_table(canaries.wrong_token if refused == "token" else None)
    if refused == "key":
        table["api_key"] = WRONG_KEY
    at = run_app(evidence, CONNECT_PAGE, trello[1], tmp_path / "absent.toml", secrets=table)
    assert expected in visible(at)
    assert "HTTP Request" in evidence.verify()


def test_credentials_from_aws_and_a_hostile_403(evidence: Evidence, tmp_path: Path) -> None:
    """Secrets Manager first; a server that answers 403 echoing the Authorization header."""
    os.environ["TRELLOLENS_SOURCES"] = "aws-sm,ssm,env,streamlit"
    with echoing_server(403) as base_url:
        at = run_app(evidence, CONNECT_PAGE, base_url, tmp_path / "absent.toml")
    assert "the token may not read" in visible(at)
    seen = evidence.verify()
    assert "aws-sm" in seen or "Secrets Manager" in seen
    assert "botocore" in seen  # botocore's debug records were there, and clean


# --- Trello failures while loading a live board ----------------------------------------------

FAULTS: dict[str, Callable[[TrelloEmulator], object]] = {
    # Longer than any deadline: the client, told by retry-after, gives up at once.
    "429 storm": lambda emu: emu.faults.rate_limit_storm(seconds=3600),
    "500": lambda emu: emu.faults.server_errors(10, status=500),
    "timeout": lambda emu: emu.faults.timeouts(10, seconds=1.5),
    "dropped connection": lambda emu: emu.faults.drop_connections(10),
    "malformed JSON": lambda emu: emu.faults.truncate_bodies(10, honest_length=True),
    "cut-off body": lambda emu: emu.faults.truncate_bodies(10),
}


@pytest.mark.parametrize("fault", [*FAULTS, "404"])
def test_trello_failures_loading_a_board(
    fault: str, evidence: Evidence, trello: Any, tmp_path: Path
) -> None:
    emulator, base_url = trello
    secrets_file = evidence.canaries.seed_file(tmp_path / "secrets.toml")
    wanted = "0123456789abcdef01234567" if fault == "404" else board_id(emulator)
    if fault in FAULTS:
        FAULTS[fault](emulator)
    at = run_app(evidence, OVERVIEW_PAGE, base_url, secrets_file, live_board=wanted)
    assert "Canary board could not be loaded" in visible(at)
    assert not at.exception
    assert "httpcore" in evidence.verify()  # the client's debug records were there, and clean


def test_malformed_json_echoing_credentials(evidence: Evidence, tmp_path: Path) -> None:
    secrets_file = evidence.canaries.seed_file(tmp_path / "secrets.toml")
    with echoing_server(json_cut=True) as base_url:
        run_app(evidence, CONNECT_PAGE, base_url, secrets_file)
    evidence.verify()


# --- uploads, pages that raise, and the CSV downloads of a live board ------------------------


def test_a_bad_upload_holding_canaries(evidence: Evidence, trello: Any, tmp_path: Path) -> None:
    canaries = evidence.canaries
    secrets_file = canaries.seed_file(tmp_path / "secrets.toml")
    at = run_app(evidence, OVERVIEW_PAGE, trello[1], secrets_file)
    # Before a first run AppTest finds a page only by a file name equal to its url path.
    with secrets_files([secrets_file]):
        at.switch_page(OPEN_EXPORT_PAGE).run()
    bad = f'{{"id": "{canaries.token}", "name": "{canaries.key}", "cards": "{canaries.token}"'
    for data in (bad.encode(), (bad + "}").encode()):
        at.file_uploader[0].set_value(("board.json", data, "application/json"))
        with secrets_files([secrets_file]):
            at.run()
        assert at.error
        collect(evidence, at)
    evidence.verify()


@pytest.mark.parametrize("kind", ["RuntimeError", "TrellolensError"])
def test_an_exception_inside_a_page(
    kind: str,
    evidence: Evidence,
    trello: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page reads the credentials, then fails with all of them in the exception's message."""
    from urllib.parse import quote

    from trellolens.credentials import resolve_credentials
    from trellolens.errors import TrellolensError

    def failing_board() -> object:
        found = resolve_credentials()
        assert found.api_secret is not None
        values = (found.api_key, found.token, found.api_secret)
        message = "failed for " + " ".join(v.reveal() + " " + quote(v.reveal()) for v in values)
        raise (RuntimeError if kind == "RuntimeError" else TrellolensError)(message)

    monkeypatch.setattr("trellolens.ui.data.board_source.current_board", failing_board)
    secrets_file = evidence.canaries.seed_file(tmp_path / "secrets.toml")
    at = run_app(evidence, OVERVIEW_PAGE, trello[1], secrets_file)
    assert not at.exception
    (error,) = at.error
    if kind == "RuntimeError":
        assert error.value.startswith(ERROR_ID_MESSAGE)
        error_id = error.value[len(ERROR_ID_MESSAGE) :][:8]
        seen = evidence.verify()
        assert f"(error id {error_id})" in seen  # the server log has it, with the traceback
        assert "RuntimeError: failed for [REDACTED]" in seen
    else:
        assert shown(error.value).startswith("failed for [REDACTED]")
        evidence.verify()


def test_live_board_pages_and_csv_downloads(
    evidence: Evidence, trello: Any, tmp_path: Path, downloads: list[bytes]
) -> None:
    emulator, base_url = trello
    secrets_file = tmp_path / "absent.toml"
    table = evidence.canaries.trello_table()
    at = run_app(evidence, CONNECT_PAGE, base_url, secrets_file, secrets=table)
    assert "Trello accepts this token" in visible(at)
    at = run_app(
        evidence, CARDS_PAGE, base_url, secrets_file, secrets=table, live_board=board_id(emulator)
    )
    assert at.title[0].value == "Cards of Canary board"
    header = ",".join(CARD_COLUMNS).encode()
    assert any(data.startswith(header) for data in downloads)  # the cards CSV, made on click
    for data in downloads:
        evidence.add("CSV download", data.decode("utf-8", "replace"))
    evidence.verify()
