"""The access gate: the policy branch by branch, then the app under AppTest with the Trello emulator."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from tests.helpers.apptest import APP_SCRIPT, OVERVIEW_PAGE, TIMEOUT_SECONDS, page_text
from tests.helpers.canaries import (
    CANARY_KEY,
    CANARY_SECRET,
    CANARY_TOKEN,
    assert_no_canary,
    write_secrets,
)
from tests.ui.test_live_boards import BOARDS, emulator
from tests.ui.test_page_connect import CONNECT_PAGE, everything_rendered
from tests.ui.test_page_security import SECURITY_PAGE
from trellolens.loopback import is_loopback
from trellolens.testing import TrelloEmulator
from trellolens.ui.access import (
    ANONYMOUS,
    AccessMode,
    AccessSettings,
    Identity,
    decide,
    email_allowed,
    settings_from,
)
from trellolens.ui.access.gate import DECISION_KEY
from trellolens.ui.access.policy import login_providers
from trellolens.ui.components.board_picker import SELECT_KEY
from trellolens.ui.data.board_source import LIVE_KEY, LiveBoardRef
from trellolens.ui.markdown_text import plain

ALICE = Identity(logged_in=True, email="alice@example.com", email_verified=True)
ALLOW_ALICE = AccessSettings(AccessMode.LOGIN, ("Alice@Example.com",))

# --- The policy ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "patterns", "allowed"),
    [
        ("alice@example.com", ("alice@example.com",), True),
        ("ALICE@example.COM", ("alice@EXAMPLE.com",), True),  # case-insensitive
        ("bob@example.com", ("alice@example.com",), False),
        ("bob@example.com", ("*@example.com",), True),
        ("bob@sub.example.com", ("*@example.com",), False),  # a pattern names one domain
        ("bob@evil-example.com", ("*@example.com",), False),
        ("bob@example.com.evil", ("*@example.com",), False),
        ("a@b@example.com", ("*@example.com",), False),
        (None, ("*@example.com",), False),
        ("", ("*@example.com",), False),
        ("alice@example.com", (), False),
        ("\u212aim@corp.example", ("kim@corp.example",), False),  # Kelvin sign
        ("kim@corp.example", ("\u212aim@corp.example",), False),
        ("kim@corp.exampl\u0435", ("*@corp.example",), False),  # Cyrillic e
        ("stra\u00dfe@corp.example", ("strasse@corp.example",), False),  # casefold: ss
        ("KIM@CORP.EXAMPLE", ("kim@corp.example",), True),
    ],
)
def test_email_allowed(email: str | None, patterns: tuple[str, ...], allowed: bool) -> None:
    assert email_allowed(email, patterns) is allowed


def test_a_settings_problem_refuses_everyone_even_on_loopback() -> None:
    settings = AccessSettings(AccessMode.OPEN, problem="TRELLOLENS_ACCESS must be one of ...")
    decision = decide(settings, ALICE, loopback=True, login_configured=True)
    assert not decision.allowed
    assert decision.misconfigured
    assert "TRELLOLENS_ACCESS must be one of" in decision.reason


def test_open_lets_anyone_in_with_a_warning() -> None:
    decision = decide(
        AccessSettings(AccessMode.OPEN), ANONYMOUS, loopback=False, login_configured=False
    )
    assert decision.allowed
    assert decision.warning is not None
    assert "anyone" in decision.warning


def test_local_on_loopback_lets_the_owner_in_without_a_login() -> None:
    decision = decide(AccessSettings(), ANONYMOUS, loopback=True, login_configured=False)
    assert decision.allowed
    assert decision.warning is None


@pytest.mark.parametrize("mode", [AccessMode.LOCAL, AccessMode.LOGIN])
def test_without_a_login_configured_nobody_gets_in_off_loopback(mode: AccessMode) -> None:
    settings = AccessSettings(mode, ("alice@example.com",))
    decision = decide(settings, ALICE, loopback=False, login_configured=False)
    assert not decision.allowed
    assert decision.setup_help
    assert not decision.offer_login


def test_login_mode_ignores_loopback() -> None:
    decision = decide(ALLOW_ALICE, ANONYMOUS, loopback=True, login_configured=True)
    assert not decision.allowed
    assert decision.offer_login


def test_no_allowlist_fails_closed_with_the_how_to() -> None:
    settings = AccessSettings(AccessMode.LOGIN)
    decision = decide(settings, ALICE, loopback=False, login_configured=True)
    assert not decision.allowed
    assert decision.setup_help
    assert "no e-mail address is allowed" in decision.reason


def test_a_logged_out_visitor_is_offered_a_login() -> None:
    decision = decide(ALLOW_ALICE, ANONYMOUS, loopback=False, login_configured=True)
    assert (decision.allowed, decision.offer_login, decision.offer_logout) == (False, True, False)


@pytest.mark.parametrize(
    "identity",
    [Identity(True, "bob@example.com"), Identity(True, None)],
)
def test_a_visitor_not_on_the_list_is_refused_and_may_switch_account(identity: Identity) -> None:
    decision = decide(ALLOW_ALICE, identity, loopback=False, login_configured=True)
    assert not decision.allowed
    assert decision.offer_logout
    assert not decision.offer_login


@pytest.mark.parametrize(
    "identity",
    [
        Identity(True, "alice@example.com"),  # no claim
        Identity(True, "alice@example.com", issuer="https://idp.example"),
    ],
)
def test_an_unverified_email_is_refused(identity: Identity) -> None:
    decision = decide(ALLOW_ALICE, identity, loopback=False, login_configured=True)
    assert not decision.allowed
    assert "without a verified e-mail" in decision.reason
    assert "alice@" not in decision.reason


def test_an_issuer_the_owner_trusts_needs_no_claim() -> None:
    settings = AccessSettings(
        AccessMode.LOGIN, ("alice@example.com",), unverified_email_issuers=("https://idp.example",)
    )
    trusted = Identity(True, "alice@example.com", issuer="https://idp.example")
    other = Identity(True, "alice@example.com", issuer="https://other.example")
    assert decide(settings, trusted, loopback=False, login_configured=True).allowed
    assert not decide(settings, other, loopback=False, login_configured=True).allowed


def test_local_refuses_a_foreign_host_name() -> None:
    decision = decide(
        AccessSettings(), ANONYMOUS, loopback=False, login_configured=False, foreign_host=True
    )
    assert not decision.allowed
    assert "allowed_hosts" in decision.reason


def test_an_allowed_visitor_gets_in() -> None:
    decision = decide(ALLOW_ALICE, ALICE, loopback=False, login_configured=True)
    assert decision.allowed
    assert decision.reason == "Logged in as alice@example.com."


def test_settings_default_to_local_with_no_allowlist() -> None:
    assert settings_from(None, {}) == AccessSettings(AccessMode.LOCAL, ())


def test_hosts_and_issuers_from_the_secrets_table() -> None:
    table = {"allowed_hosts": ["Dash.LAN"], "unverified_email_issuers": ["https://idp.example"]}
    settings = settings_from(table, {})
    assert settings.allowed_hosts == ("dash.lan",)
    assert settings.unverified_email_issuers == ("https://idp.example",)


def test_settings_from_the_environment() -> None:
    settings = settings_from(
        None,
        {"TRELLOLENS_ACCESS": " Login ", "TRELLOLENS_ALLOWED_EMAILS": "a@x.org, *@y.org,"},
    )
    assert settings == AccessSettings(AccessMode.LOGIN, ("a@x.org", "*@y.org"))


def test_the_secrets_table_wins_over_the_environment() -> None:
    table = {"access": "open", "allowed_emails": ["b@x.org"]}
    env = {"TRELLOLENS_ACCESS": "login", "TRELLOLENS_ALLOWED_EMAILS": "a@x.org"}
    assert settings_from(table, env) == AccessSettings(AccessMode.OPEN, ("b@x.org",))


@pytest.mark.parametrize(
    ("table", "env", "where"),
    [
        (
            None,
            {"TRELLOLENS_ACCESS": "opne"},
            "TRELLOLENS_ACCESS must be one of local, login, open",
        ),
        ({"access": True}, {}, "access in [trellolens] of secrets.toml must be one of local,"),
        (None, {"TRELLOLENS_ALLOWED_EMAILS": "a@x.org, alice"}, "entry 2 of TRELLOLENS_ALLOWED_"),
        ({"allowed_emails": ["a*@x.org"]}, {}, "entry 1 of allowed_emails in [trellolens]"),
        ({"allowed_emails": 3}, {}, "must be a list of e-mail addresses"),
        ({"allowed_emails": ["\u212aim@x.org"]}, {}, "entry 1 of allowed_emails"),
        (None, {"TRELLOLENS_ALLOWED_HOSTS": "http://alice"}, "entry 1 of TRELLOLENS_ALLOWED_HO"),
        ({"unverified_email_issuers": 3}, {}, "must be a list of issuer URLs"),
    ],
)
def test_bad_settings_are_one_line_without_the_value(
    table: dict[str, Any] | None, env: dict[str, str], where: str
) -> None:
    problem = settings_from(table, env).problem
    assert problem is not None
    assert where in problem
    assert "\n" not in problem
    assert "opne" not in problem
    assert "alice" not in problem


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        (None, False),  # unset: every interface
        ("", False),
        ("0.0.0.0", False),  # noqa: S104 -- the address under test
        ("::", False),
        ("192.168.1.10", False),
        ("localhost.evil.example", False),
    ],
)
def test_is_loopback(address: str | None, loopback: bool) -> None:
    assert is_loopback(address) is loopback


def test_login_providers() -> None:
    base = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}
    assert login_providers(None) == ()
    assert login_providers({"client_id": "c"}) == ()  # no redirect_uri or cookie_secret
    assert login_providers({**base, "client_id": "c"}) == (None,)
    named = {**base, "google": {"client_id": "g"}, "okta": {"client_id": "o"}, "x": {}}
    assert login_providers(named) == ("google", "okta")


# --- The app under AppTest ----------------------------------------------------------------------

BOARD_NAMES = ("Live board 1", "Live board 2")
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": CANARY_SECRET,
    "client_id": "trellolens-test-client",
    "client_secret": CANARY_SECRET,
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture
def served() -> Iterator[tuple[TrelloEmulator, str]]:
    emu = emulator()
    with emu.serve() as base_url:
        yield emu, base_url


def visit(
    base_url: str,
    *,
    env: dict[str, str] | None = None,
    user: dict[str, Any] | None = None,
    page: str = CONNECT_PAGE,
    **secrets: Any,
) -> AppTest:
    """The app on ``page``, with the owner's token in st.secrets and the given access settings."""
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]
    os.environ.update(env or {})
    os.environ["TRELLOLENS_SOURCES"] = "streamlit,env"
    os.environ["TRELLO_API_BASE_URL"] = base_url
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.secrets["trello"] = {"api_key": CANARY_KEY, "token": CANARY_TOKEN}
    for name, table in secrets.items():
        at.secrets[name] = table
    if user is not None:
        at.user = user
    return at.switch_page(page).run()


def shows_live_boards(at: AppTest) -> bool:
    assert not at.exception
    picker = at.get("selectbox")
    return any(getattr(box, "key", None) == SELECT_KEY for box in picker)


def assert_refused(at: AppTest, emu: TrelloEmulator, reason: str) -> None:
    assert not shows_live_boards(at)
    assert reason in page_text(at)
    rendered = everything_rendered(at)
    for name in BOARD_NAMES:
        assert name not in rendered
    assert "trellolens emulator" not in rendered  # not even the token check ran
    assert not emu.requests, "Trello was asked for something for a refused visitor"
    assert_no_canary(rendered)


def button_labels(at: AppTest) -> list[str]:
    return [str(button.label) for button in at.button]


def test_default_local_on_every_interface_shows_no_live_boards(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    at = visit(base_url)
    assert_refused(at, emu, "this app can be reached from other computers and no login")
    assert at.expander  # how to configure [auth] and the allowlist
    how_to = "\n".join(str(markdown.value) for markdown in at.markdown)
    assert "[auth]" in how_to
    assert "allowed_emails" in how_to
    assert "TRELLOLENS_ACCESS=open" in how_to
    assert "Log in" not in button_labels(at)  # no login is configured, so no button


def test_a_remembered_live_board_is_dropped_before_it_loads(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    for name in list(os.environ):
        if name.startswith("TRELLO"):
            del os.environ[name]
    os.environ["TRELLOLENS_SOURCES"] = "streamlit,env"
    os.environ["TRELLO_API_BASE_URL"] = base_url
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.secrets["trello"] = {"api_key": CANARY_KEY, "token": CANARY_TOKEN}
    at.session_state[LIVE_KEY] = LiveBoardRef(BOARDS[0]["id"], "Live board 1")
    at.switch_page(OVERVIEW_PAGE).run()
    assert not at.exception
    assert LIVE_KEY not in at.session_state
    assert any("Demo board" in info.value for info in at.sidebar.info)
    assert not emu.requests
    assert "Live board 1" not in everything_rendered(at)


def browser_headers(monkeypatch: pytest.MonkeyPatch, host: str, origin: str | None) -> None:
    """What the websocket handshake would carry (AppTest has no client to send headers)."""
    headers = {"Host": host} | ({"Origin": origin} if origin else {})
    monkeypatch.setattr("trellolens.ui.access.gate.request_headers", lambda: headers)


def test_local_on_loopback_shows_live_boards(
    served: tuple[TrelloEmulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, base_url = served
    browser_headers(monkeypatch, "localhost:8501", "http://localhost:8501")
    with patch_config_options({"server.address": "127.0.0.1"}):
        at = visit(base_url)
    assert shows_live_boards(at)
    assert sorted(at.selectbox(key=SELECT_KEY).options) == list(BOARD_NAMES)


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        ("evil.example:8501", "http://evil.example:8501"),  # DNS rebinding
        ("127.0.0.1:8501", "http://evil.example:8501"),
        (None, None),  # no Host header at all
    ],
)
def test_local_refuses_another_host_name(
    served: tuple[TrelloEmulator, str],
    monkeypatch: pytest.MonkeyPatch,
    host: str | None,
    origin: str | None,
) -> None:
    emu, base_url = served
    if host is None:
        monkeypatch.setattr("trellolens.ui.access.gate.request_headers", dict)
    else:
        browser_headers(monkeypatch, host, origin)
    with patch_config_options({"server.address": "127.0.0.1"}):
        at = visit(base_url)
    assert_refused(at, emu, "not this computer's")


def test_local_accepts_a_host_the_owner_lists(
    served: tuple[TrelloEmulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, base_url = served
    browser_headers(monkeypatch, "dash.lan:8501", "http://dash.lan:8501")
    with patch_config_options({"server.address": "127.0.0.1"}):
        at = visit(base_url, trellolens={"allowed_hosts": ["dash.lan"]})
    assert shows_live_boards(at)


@pytest.mark.parametrize("verified", [None, "true", 1, False])
def test_login_refuses_an_email_not_verified_exactly(
    served: tuple[TrelloEmulator, str], verified: object
) -> None:
    emu, base_url = served
    user: dict[str, Any] = {"is_logged_in": True, "email": "alice@example.com"}
    if verified is not None:
        user["email_verified"] = verified
    at = visit(
        base_url,
        user=user,
        auth=AUTH,
        trellolens={"access": "login", "allowed_emails": ["alice@example.com"]},
    )
    assert_refused(at, emu, "an account without a verified e-mail")


def test_open_shows_live_boards_with_a_warning(served: tuple[TrelloEmulator, str]) -> None:
    _, base_url = served
    at = visit(base_url, env={"TRELLOLENS_ACCESS": "open"})
    assert shows_live_boards(at)
    assert any("anyone who has this app's address" in w.value for w in at.warning)


def test_open_from_the_secrets_table(served: tuple[TrelloEmulator, str]) -> None:
    _, base_url = served
    at = visit(base_url, trellolens={"access": "open"})
    assert shows_live_boards(at)


def test_login_without_auth_is_refused_with_the_how_to(served: tuple[TrelloEmulator, str]) -> None:
    emu, base_url = served
    env = {"TRELLOLENS_ACCESS": "login", "TRELLOLENS_ALLOWED_EMAILS": "alice@example.com"}
    at = visit(base_url, env=env, user={"is_logged_in": True, "email": "alice@example.com"})
    assert_refused(at, emu, "no login is configured")
    assert "[auth]" in "\n".join(str(markdown.value) for markdown in at.markdown)


def test_login_lets_an_allowed_user_in(served: tuple[TrelloEmulator, str]) -> None:
    _, base_url = served
    at = visit(
        base_url,
        user={"is_logged_in": True, "email": "Alice@Example.com", "email_verified": True},
        auth=AUTH,
        trellolens={"access": "login", "allowed_emails": ["alice@example.com"]},
    )
    assert shows_live_boards(at)
    assert "Log out" in button_labels(at)
    assert_no_canary(everything_rendered(at))


def test_login_refuses_an_email_not_on_the_list(served: tuple[TrelloEmulator, str]) -> None:
    emu, base_url = served
    at = visit(
        base_url,
        user={"is_logged_in": True, "email": "mallory@example.org", "email_verified": True},
        auth=AUTH,
        trellolens={"access": "login", "allowed_emails": ["alice@example.com"]},
    )
    assert_refused(at, emu, "You are logged in as mallory@example.org, which may not see")
    assert "Log out" in button_labels(at)


def test_login_accepts_a_domain_pattern(served: tuple[TrelloEmulator, str]) -> None:
    _, base_url = served
    env = {"TRELLOLENS_ACCESS": "login", "TRELLOLENS_ALLOWED_EMAILS": "*@example.com"}
    at = visit(
        base_url,
        env=env,
        user={"is_logged_in": True, "email": "bob@example.com", "email_verified": True},
        auth=AUTH,
    )
    assert shows_live_boards(at)


def test_login_with_no_allowlist_lets_nobody_in(served: tuple[TrelloEmulator, str]) -> None:
    emu, base_url = served
    at = visit(
        base_url,
        env={"TRELLOLENS_ACCESS": "login"},
        user={"is_logged_in": True, "email": "alice@example.com"},
        auth=AUTH,
    )
    assert_refused(at, emu, "no e-mail address is allowed to see them yet")


def test_a_logged_out_visitor_sees_a_login_button(served: tuple[TrelloEmulator, str]) -> None:
    emu, base_url = served
    env = {"TRELLOLENS_ACCESS": "login", "TRELLOLENS_ALLOWED_EMAILS": "alice@example.com"}
    at = visit(base_url, env=env, user={"is_logged_in": False}, auth=AUTH)
    assert_refused(at, emu, "Log in to see live Trello boards.")
    assert button_labels(at) == ["Log in"]


def test_streamlits_default_test_user_is_not_logged_in(served: tuple[TrelloEmulator, str]) -> None:
    """AppTest's default ``st.user`` has an e-mail but no ``is_logged_in``: that is no login."""
    emu, base_url = served
    env = {"TRELLOLENS_ACCESS": "login", "TRELLOLENS_ALLOWED_EMAILS": "test@example.com"}
    at = visit(base_url, env=env, auth=AUTH)
    assert_refused(at, emu, "Log in to see live Trello boards.")


def test_a_bad_access_setting_is_one_line_and_fails_closed(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    with patch_config_options({"server.address": "127.0.0.1"}):
        at = visit(base_url, env={"TRELLOLENS_ACCESS": "public"})
    assert_refused(at, emu, "TRELLOLENS_ACCESS must be one of local, login, open")
    (error,) = at.error
    assert "\n" not in error.value
    assert "public" not in error.value


def test_a_secrets_file_others_may_change_fails_closed(
    served: tuple[TrelloEmulator, str], tmp_path: Path
) -> None:
    emu, base_url = served
    secrets_file = write_secrets(
        tmp_path / "secrets.toml", '[trellolens]\naccess = "open"\n', 0o664
    )
    with patch_config_options({"secrets.files": [str(secrets_file)]}):
        at = visit(base_url)
    assert_refused(at, emu, "chmod 600")
    decision, _ = at.session_state[DECISION_KEY]
    assert not decision.allowed
    assert decision.misconfigured
    assert str(secrets_file) in decision.reason


@pytest.mark.parametrize(("access", "warned"), [("open", True), ("login", False)])
def test_a_secrets_file_others_may_read_is_a_sidebar_warning_for_admitted_visitors(
    served: tuple[TrelloEmulator, str], tmp_path: Path, access: str, warned: bool
) -> None:
    _, base_url = served
    secrets_file = write_secrets(tmp_path / "secrets.toml", "[trellolens]\n", 0o644)
    with patch_config_options({"secrets.files": [str(secrets_file)]}):
        at = visit(base_url, env={"TRELLOLENS_ACCESS": access})
    assert shows_live_boards(at) is warned
    file_warnings = [w.value for w in at.sidebar.warning if "chmod 600" in w.value]
    if warned:
        (warning,) = file_warnings
        assert plain(str(secrets_file)) in warning
        assert "mode 0644" in warning
        assert "trellolens doctor \\-\\-fix" in warning
    else:
        assert file_warnings == []
    assert_no_canary(everything_rendered(at))


def test_the_security_page_warns_when_access_is_open(served: tuple[TrelloEmulator, str]) -> None:
    _, base_url = served
    at = visit(base_url, env={"TRELLOLENS_ACCESS": "open"}, page=SECURITY_PAGE)
    assert any("anyone who has this app's address" in w.value for w in at.warning)
