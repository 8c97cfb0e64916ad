"""The Security page under AppTest: credentials in st.secrets, the Trello emulator, a tmp git project."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from tests.helpers.apptest import APP_SCRIPT, TIMEOUT_SECONDS
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary, write_secrets
from tests.ui.test_page_connect import everything_rendered
from trellolens.shared.board_cache import board_version
from trellolens.shared.settings import REDIS_URL_VARIABLE
from trellolens.testing import TokenSpec, TrelloEmulator
from trellolens.testing.redis_server import RedisServer

SECURITY_PAGE = str(APP_SCRIPT.parent / "src/trellolens/ui/pages/security.py")
NOW = datetime.now(UTC)
HEALTHY = TokenSpec(
    CANARY_TOKEN, expires=NOW + timedelta(days=30), created=NOW - timedelta(days=10)
)
TRELLO = {"api_key": CANARY_KEY, "token": CANARY_TOKEN}
EVERY_INTERFACE = "0.0.0.0"  # noqa: S104 - the address a hosting platform sets, never bound here


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git project with secrets.toml ignored, as the working directory; no ambient settings."""
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_", "STREAMLIT_", "GIT_")):
            del os.environ[name]
    (tmp_path / "gitconfig").write_text("")
    os.environ.update(
        {
            "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "TRELLOLENS_SOURCES": "streamlit,env",
            "HOME": str(tmp_path),
        }
    )
    root = tmp_path / "project"
    (root / ".streamlit").mkdir(parents=True)
    subprocess.run(["git", "-C", str(root), "init", "-q"], check=True)
    (root / ".gitignore").write_text(".streamlit/secrets.toml\n")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def emulator() -> Iterator[TrelloEmulator]:
    emu = TrelloEmulator(key=CANARY_KEY, tokens=[HEALTHY])
    with emu.serve() as base_url:
        os.environ["TRELLO_API_BASE_URL"] = base_url
        yield emu


def security_page(
    error_details: str = "none", address: str = "127.0.0.1", **secrets: Any
) -> AppTest:
    """The page as the app's owner sees it: by default on a loopback-only server (access: local)."""
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=TIMEOUT_SECONDS)
    for name, table in secrets.items():
        at.secrets[name] = table
    options = {"client.showErrorDetails": error_details, "server.address": address}
    with patch_config_options(options):
        at.switch_page(SECURITY_PAGE).run()
    assert not at.exception
    assert at.title[0].value == "Security"
    assert_no_canary(everything_rendered(at))
    return at


def test_a_visitor_the_access_gate_refuses_sees_no_checks(
    project: Path, emulator: TrelloEmulator
) -> None:
    at = security_page(address="", trello=TRELLO)
    assert not at.dataframe
    rendered = everything_rendered(at)
    assert "security checks are shown to visitors who may see the live boards" in rendered
    assert emulator.request_count == 0  # not even the token check reached Trello


def statuses(at: AppTest) -> dict[str, str]:
    table = at.dataframe[0].value
    return dict(zip(table["Check"], table["Status"], strict=True))


def test_a_healthy_app_shows_every_check_and_only_the_emulator_warning(
    project: Path, emulator: TrelloEmulator
) -> None:
    at = security_page(trello=TRELLO)
    shown = statuses(at)
    assert shown.pop("Trello API address") == "! warn"  # the emulator is not api.trello.com
    assert set(shown.values()) == {"✓ pass"}
    assert shown["Settings (TRELLOLENS_*, [trellolens])"] == "✓ pass"
    assert len(shown) == 13
    (summary, address) = at.warning
    assert "No check failed; 1 needs a look." in summary.value
    assert "Fix: unset TRELLO\\_API\\_BASE\\_URL" in address.value
    assert not at.error
    finding = dict(
        zip(at.dataframe[0].value["Check"], at.dataframe[0].value["Finding"], strict=True)
    )
    assert (
        "token from streamlit (token in [trello] of st.secrets)"
        in finding["Where the credentials come from"]
    )
    assert emulator.member_id in finding["Token accepted by Trello"]


def test_a_rerun_reuses_the_report_without_git_or_trello(
    project: Path, emulator: TrelloEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = security_page(trello=TRELLO)
    asked = [request.path for request in emulator.requests if "/tokens/" in request.path]
    assert asked, "the first run asks Trello about the token"
    git_runs: list[object] = []
    real_run = subprocess.run

    def counting_run(*args: Any, **kwargs: Any) -> Any:
        git_runs.append(args[0])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting_run)
    with patch_config_options({"client.showErrorDetails": "none", "server.address": "127.0.0.1"}):
        at.run()
    assert not at.exception
    again = [request.path for request in emulator.requests if "/tokens/" in request.path]
    assert again == asked
    assert git_runs == []
    assert statuses(at)["Trello API address"] == "! warn"


def test_failures_come_first_with_their_fixes(project: Path, emulator: TrelloEmulator) -> None:
    emulator.revoke_token(CANARY_TOKEN)
    (project / ".gitignore").write_text("")
    trello = {**TRELLO, "production": {"token": CANARY_TOKEN}}
    at = security_page("full", trello=trello)
    shown = statuses(at)
    assert shown["Token accepted by Trello"] == "✗ fail"
    assert shown["One token per profile"] == "✗ fail"
    assert shown["secrets.toml git-ignored"] == "✗ fail"
    assert shown["Error details shown to visitors"] == "! warn"
    summary, *failures = at.error
    assert "3 checks failed and 2 need a look" in summary.value
    assert len(failures) == 3
    text = "\n".join(box.value for box in failures)
    assert "Trello refused the token" in text
    assert "profiles development and production use the same token" in text
    assert "add the line" in text
    details = "\n".join(box.value for box in at.warning)
    assert "the running app" in details


def test_with_nothing_configured_the_page_says_so_and_what_each_check_will_look_at(
    project: Path,
) -> None:
    at = security_page()
    assert not at.error  # no red "1 check failed" for a newcomer on the demo board
    (info,) = at.main.info
    assert "No Trello credentials are configured yet" in info.value
    assert "(the checks that need no credentials): Every check passed." in at.success[0].value
    table = at.dataframe[0].value.set_index("Check")
    waiting = table[table["Status"] == "- not configured yet"]
    assert set(waiting.index) == {
        "Where the credentials come from",
        "Token accepted by Trello",
        "One token per profile",
        "Live boards open to anyone",
    }
    assert "scopes" in str(waiting.loc["Token accepted by Trello", "Finding"])
    assert "TRELLO_API_KEY" in str(waiting.loc["Where the credentials come from", "Fix"])
    assert "✗ fail" not in set(table["Status"])


def test_missing_credentials_fail_with_what_to_set(project: Path) -> None:
    os.environ["TRELLO_API_BASE_URL"] = "http://127.0.0.1:9/1"
    os.environ["TRELLO_API_KEY"] = CANARY_KEY  # configured, but only half
    at = security_page()
    assert statuses(at)["Where the credentials come from"] == "✗ fail"
    text = "\n".join(box.value for box in at.error)
    assert "missing token" in text
    assert not at.main.info


def test_a_secrets_file_other_users_may_read_fails_with_doctor_fix(
    project: Path, emulator: TrelloEmulator
) -> None:
    secrets_file = project / ".streamlit" / "secrets.toml"
    write_secrets(
        secrets_file, f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n', 0o644
    )
    at = security_page()
    shown = statuses(at)
    assert shown["Secrets file permissions"] == "✗ fail"
    assert shown["Token accepted by Trello"] == "✓ pass"  # the file is still read
    text = "\n".join(box.value for box in at.error)
    assert "mode 0644" in text
    assert "trellolens doctor \\-\\-fix" in text
    assert_no_canary(everything_rendered(at))


def test_an_unreachable_redis_is_one_warning_on_the_page(
    project: Path, emulator: TrelloEmulator, redis_server: RedisServer
) -> None:
    os.environ[REDIS_URL_VARIABLE] = redis_server.url
    redis_server.stop()
    assert (
        board_version("5a1b2c3d4e5f60718293a4b5", 600, redis_server.url) is None
    )  # Redis down: noted, no error
    at = security_page(trello=TRELLO)
    warnings = [w.value for w in at.warning if "TRELLOLENS" in w.value]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0]
    assert redis_server.password not in everything_rendered(at)


@pytest.mark.parametrize("public", [True, False], ids=["public", "not-public"])
def test_the_community_cloud_open_route_ends_green_with_public_true(
    project: Path, emulator: TrelloEmulator, public: bool
) -> None:
    """docs/deploy-community-cloud.md's private app: access = "open" and public = true."""
    settings: dict[str, Any] = {"access": "open"} | ({"public": True} if public else {})
    at = security_page(address=EVERY_INTERFACE, trello=TRELLO, trellolens=settings)
    shown = statuses(at)
    if public:
        assert shown["Live boards open to anyone"] == "✓ pass"
        assert not at.error
    else:
        assert shown["Live boards open to anyone"] == "✗ fail"
        assert "public = true" in "\n".join(box.value for box in at.error)


def test_the_heroku_open_route_ends_green_with_environment_settings_only(
    project: Path, emulator: TrelloEmulator
) -> None:
    """docs/deploy-heroku.md: config vars only, TRELLOLENS_ACCESS=open TRELLOLENS_PUBLIC=true."""
    os.environ.update(
        {
            "TRELLO_API_KEY": CANARY_KEY,
            "TRELLO_OAUTH_TOKEN": CANARY_TOKEN,
            "TRELLOLENS_ACCESS": "open",
            "TRELLOLENS_PUBLIC": "true",
        }
    )
    at = security_page(address=EVERY_INTERFACE)
    shown = statuses(at)
    assert shown["Live boards open to anyone"] == "✓ pass"
    assert not at.error


def test_status_marks_need_no_emoji_font() -> None:
    """A browser without an emoji font (a server's, a kiosk's) still shows every status."""
    from trellolens.ui.views.security_tables import ICONS, NOT_YET

    for label in [*ICONS.values(), NOT_YET]:
        assert all(ord(char) < 0x2700 or char in "✓✗" for char in label), label
        assert "\ufe0f" not in label  # the emoji presentation selector
