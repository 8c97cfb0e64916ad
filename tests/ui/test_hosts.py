"""Host and Origin names a loopback-bound app accepts (the DNS-rebinding defence)."""

from __future__ import annotations

import pytest

from trellolens.settings.hosts import parse_allowed_hosts
from trellolens.ui.access.hosts import (
    host_of_header,
    host_of_origin,
    request_names_an_allowed_host,
)


@pytest.mark.parametrize(
    ("header", "host"),
    [
        ("localhost:8501", "localhost"),
        ("LOCALHOST", "localhost"),
        ("127.0.0.1:8501", "127.0.0.1"),
        ("[::1]:8501", "::1"),
        ("evil.example:8501", "evil.example"),
        ("localhost.:8501", None),  # a trailing dot is another name
        ("", None),
        ("local host", None),
        ("lоcalhost", None),  # Cyrillic o
        ("127.0.0.1:8501:1", None),
        (None, None),
    ],
)
def test_host_of_header(header: str | None, host: str | None) -> None:
    assert host_of_header(header) == host


@pytest.mark.parametrize(
    ("origin", "host"),
    [
        ("http://localhost:8501", "localhost"),
        ("http://[::1]:8501", "::1"),
        ("https://app.example", "app.example"),
        ("null", None),
        ("file://", None),
        ("http://localhost:8501/path", None),
        ("http://localhost:99999", None),
    ],
)
def test_host_of_origin(origin: str, host: str | None) -> None:
    assert host_of_origin(origin) == host


@pytest.mark.parametrize(
    ("headers", "allowed", "ok"),
    [
        ({"Host": "localhost:8501"}, (), True),
        ({"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1:8501"}, (), True),
        ({"host": "[::1]:8501", "origin": "http://[::1]:8501"}, (), True),
        ({"Host": "evil.example:8501", "Origin": "http://evil.example:8501"}, (), False),
        ({"Host": "localhost:8501", "Origin": "http://evil.example:8501"}, (), False),
        ({"Host": "localhost:8501", "Origin": "null"}, (), False),
        ({}, (), False),  # no Host at all: fail closed
        ({"Host": "dash.lan:8501", "Origin": "http://dash.lan:8501"}, ("dash.lan",), True),
        ({"Host": "sub.dash.lan:8501"}, ("dash.lan",), False),
    ],
)
def test_request_names_an_allowed_host(
    headers: dict[str, str], allowed: tuple[str, ...], ok: bool
) -> None:
    assert request_names_an_allowed_host(headers, allowed) is ok


def test_allowed_hosts_are_normalised_and_checked() -> None:
    assert parse_allowed_hosts("Dash.LAN, 10.0.0.5,", "X") == (("dash.lan", "10.0.0.5"), None)
    assert parse_allowed_hosts(["[::1]"], "X") == (("::1",), None)
    for bad in (["http://dash.lan"], ["dash.lan:8501"], ["dásh.lan"], 3):
        hosts, problem = parse_allowed_hosts(bad, "allowed_hosts")
        assert hosts == ()
        assert problem is not None
        assert "allowed_hosts" in problem
