"""Connect Trello page under AppTest: missing, broken and found credentials; never a value."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Element
from streamlit.testing.v1.util import patch_config_options

from tests.helpers.apptest import APP_SCRIPT, TIMEOUT_SECONDS, page_text, shown
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary, write_secrets

CONNECT_PAGE = "src/trellolens/ui/pages/connect.py"
NO_TRELLO = "http://127.0.0.1:9/1"
"""Nothing listens there: the page's token check fails fast, without the internet."""


def everything_rendered(at: AppTest) -> str:
    """The protobuf of every element on the page and in the sidebar, plus session state."""
    parts: list[str] = []

    def walk(node: Block | Element) -> None:
        if isinstance(node, Block):
            for child in node.children.values():
                walk(child)
        else:
            parts.append(str(node.proto))

    walk(at._tree)
    parts.extend(f"{key}={at.session_state[key]!r}" for key in at.session_state)
    return "\n".join(parts)


def connect(at: AppTest | None = None, **secrets: dict[str, str]) -> AppTest:
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]
    os.environ["TRELLOLENS_SOURCES"] = "streamlit,env"
    os.environ["TRELLO_API_BASE_URL"] = NO_TRELLO
    os.environ["TRELLOLENS_ACCESS"] = "open"  # the gate itself: tests/ui/test_access_gate.py
    at = at or AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    for name, table in secrets.items():
        at.secrets[name] = table
    at.switch_page(CONNECT_PAGE)
    return at.run()


def test_missing_credentials_explain_what_where_and_how() -> None:
    at = connect()
    assert not at.exception
    (warning,) = at.warning
    assert "Missing for profile **development**: api_key, token" in shown(warning.value)
    where = at.dataframe[0].value.to_string()
    assert "secrets.toml" in where
    assert "TRELLO_API_KEY" in where
    snippets = "\n".join(code.value for code in at.code)
    assert '[trello]\napi_key = "your-32-hex-api-key"' in snippets
    assert "export TRELLO_OAUTH_TOKEN=your-user-token" in snippets
    assert "aws secretsmanager create-secret --name trellolens/development/trello" in snippets
    assert any("Demo board" in info.value for info in at.sidebar.info)  # the demo stays


def test_found_credentials_show_provenance_and_no_value() -> None:
    at = connect(trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    assert not at.exception
    assert "Trello credentials found for profile **development**." in at.success[0].value
    provenance = at.dataframe[0].value
    assert list(provenance["key"]) == ["api_key", "token"]
    assert list(provenance["source"]) == ["streamlit", "streamlit"]
    assert list(provenance["where"]) == [
        "api_key in [trello] of st.secrets",
        "token in [trello] of st.secrets",
    ]
    assert "Trello is unavailable" in page_text(at)  # tests/ui/test_live_boards.py has Trello
    assert_no_canary(everything_rendered(at))


def test_keys_merge_across_streamlit_secrets_and_the_environment() -> None:
    os.environ["TRELLO_OAUTH_TOKEN"] = CANARY_TOKEN
    os.environ["TRELLO_API_BASE_URL"] = NO_TRELLO
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.secrets["connections"] = {"trello": {"api_key": CANARY_KEY}}
    os.environ["TRELLOLENS_SOURCES"] = "streamlit,env"
    at.switch_page(CONNECT_PAGE).run()
    assert not at.exception
    provenance = at.dataframe[0].value
    assert dict(zip(provenance["key"], provenance["where"], strict=True)) == {
        "api_key": "api_key in [connections.trello] of st.secrets",
        "token": "TRELLO_OAUTH_TOKEN",
    }
    assert_no_canary(everything_rendered(at))


@pytest.mark.parametrize(
    ("text", "mode", "problem"),
    [
        (
            f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = {CANARY_TOKEN}\n',
            0o600,
            "invalid TOML at line 3, column 9",
        ),
        (
            f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n',
            0o664,
            "(mode 0664), so trellolens will not trust it",
        ),
    ],
)
def test_a_broken_secrets_file_is_one_line_and_the_demo_stays(
    tmp_path: Path, text: str, mode: int, problem: str
) -> None:
    secrets_file = write_secrets(tmp_path / "secrets.toml", text, mode)
    os.environ["TRELLO_API_KEY"] = CANARY_KEY
    with patch_config_options({"secrets.files": [str(secrets_file)]}):
        at = connect()
    assert not at.exception
    (error,) = at.error
    assert str(secrets_file) in error.value
    assert problem in error.value
    assert any("Demo board" in info.value for info in at.sidebar.info)
    assert_no_canary(everything_rendered(at))


def test_wrong_settings_are_one_line_with_the_how_to() -> None:
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    os.environ["TRELLOLENS_SOURCES"] = "env,vault"
    at.switch_page(CONNECT_PAGE).run()
    assert not at.exception
    assert "unknown source(s) vault" in at.error[0].value
    assert at.code
