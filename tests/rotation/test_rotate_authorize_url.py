"""`trellolens authorize-url`: the page that makes a new token; the key only when asked."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner, Result

from tests.helpers.canaries import CANARY_KEY, assert_no_canary, write_secrets
from tests.rotation.rotate_support import OLD, isolate
from trellolens.cli.main import cli
from trellolens.credentials import Secret
from trellolens.rotation.authorize import AuthorizeRequest, authorize_url, parse_scopes


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return isolate(tmp_path)


def authorize(project: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["authorize-url", "--project-dir", str(project), *args])


def query(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "trello.com", "/1/authorize")
    return parse_qs(parts.query)


def test_default_url_is_read_only_30_days_with_a_key_placeholder(project: Path) -> None:
    result = authorize(project)
    assert result.exit_code == 0, result.stderr
    url = result.stdout.strip()
    assert url == (
        "https://trello.com/1/authorize?expiration=30days&name=trellolens&scope=read"
        "&response_type=token&key=YOUR_API_KEY"
    )
    assert "Replace YOUR_API_KEY" in result.stderr
    assert "power-ups/admin" in result.stderr
    assert "!" not in result.stderr


def test_with_key_fills_in_the_resolved_key_and_says_so(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    write_secrets(
        project / ".streamlit" / "secrets.toml",
        f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{OLD}"\n',
    )
    result = authorize(project, "--with-key")
    assert result.exit_code == 0, result.stderr
    assert query(result.stdout.strip())["key"] == [CANARY_KEY]
    assert "This URL holds your API key" in result.stderr
    assert_no_canary(result.stderr)
    assert_no_canary(caplog.text)


def test_with_key_and_no_key_is_one_line(project: Path) -> None:
    result = authorize(project, "--with-key")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("trellolens: error: --with-key needs the API key")


@pytest.mark.parametrize(
    ("args", "warned"),
    [
        (("--scope", "read,write"), ["scope write"]),
        (("--scope", "account"), ["scope account"]),
        (("--expiration", "never"), ["expiration never"]),
        (("--scope", "read,write,account", "--expiration", "never"), ["write", "account", "never"]),
        (("--expiration", "1day"), []),
    ],
)
def test_broad_requests_are_warned_about_on_stderr(
    project: Path, args: tuple[str, ...], warned: list[str]
) -> None:
    result = authorize(project, *args)
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("! ")]
    assert len(warnings) == len(warned)
    for line, word in zip(warnings, warned, strict=True):
        assert word in line
    assert len(result.stdout.splitlines()) == 1  # the URL alone on stdout, for scripts


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("--scope", "read,admin"), "unknown scope admin"),
        (("--scope", ","), "unknown scope (none)"),
        (("--name", " "), "name must be 1-64 characters"),
        (("--expiration", "1year"), "Invalid value for '--expiration'"),
    ],
)
def test_bad_options_are_one_clear_line(project: Path, args: tuple[str, ...], problem: str) -> None:
    result = authorize(project, *args)
    assert result.exit_code == 2
    assert problem in result.stderr


def test_name_and_scopes_are_encoded() -> None:
    request = AuthorizeRequest("1day", parse_scopes("READ, write,read"), "my  dash & co")
    url = authorize_url(request, Secret("k"))
    assert query(url) == {
        "expiration": ["1day"],
        "name": ["my dash & co"],
        "scope": ["read,write"],
        "response_type": ["token"],
        "key": ["k"],
    }
    assert "scope=read,write" in url
